using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Keys.Ring;
using Tessera.Storage.Sqlite.Keys;

namespace Tessera.Storage.Sqlite.Tests.Keys;

public sealed class SqliteKeyStoreTests : IDisposable
{
    private static readonly RotationPolicy Policy = new() { Algorithms = [JwsAlgorithm.ES256, JwsAlgorithm.EdDSA] };
    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly KeyEncryptionKey _kek = KeyEncryptionKey.Generate().Key;

    public void Dispose() => _temp.Dispose();

    /// <summary>What a new process does: open the file, build a store and a ring.</summary>
    private KeyRing NewProcess(KeyEncryptionKey? kek = null) =>
        new(new SqliteKeyStore(SqliteDatabase.Open(_temp.Path), kek ?? _kek), Policy, _time);

    private static string Sign(JsonWebKey key) => JwsWriter.Sign(key, """{"sub":"s"}"""u8, "JWT");

    private static JwsVerification Verify(KeyRingSnapshot snapshot, string token) =>
        new JwsVerifier(JsonWebKeySet.Parse(snapshot.Jwks.Json)).Verify(token);

    [Fact]
    public async Task Restart_NewRingSameFile_KeepsKeysStatesAndSigningKey()
    {
        var first = NewProcess();
        var signing = await first.GetSigningKeyAsync();
        _time.Advance(Policy.RotationPeriod - Policy.PublishAhead);
        var before = await first.RefreshAsync();
        var token = Sign(signing);

        SqliteConnection.ClearAllPools();
        var restarted = await NewProcess().RefreshAsync();

        Assert.Equal(before.Version, restarted.Version);
        Assert.Equal(before.Jwks.ETag, restarted.Jwks.ETag);
        Assert.Equal(
            before.Keys.Select(k => (k.Kid, k.Generation, k.CreatedAt, k.ActivatesAt, k.RetiresAt, k.RemovesAt, before.StateOf(k))),
            restarted.Keys.Select(k => (k.Kid, k.Generation, k.CreatedAt, k.ActivatesAt, k.RetiresAt, k.RemovesAt, restarted.StateOf(k))));
        Assert.True(restarted.TryGetSigningKey(JwsAlgorithm.ES256, out var again));
        Assert.Equal(signing.Kid, again.Kid);
        Assert.True(Verify(restarted, Sign(again)).IsValid);
        Assert.True(Verify(restarted, token).IsValid);
    }

    [Fact]
    public async Task EmergencyRemoval_TakesEffectAndSurvivesRestart()
    {
        var ring = NewProcess();
        var compromised = await ring.GetSigningKeyAsync();
        var token = Sign(compromised);

        await ring.RemoveAsync(compromised.Kid);

        var other = await NewProcess().RefreshAsync();
        Assert.Equal(FailureReason.KeyNotFound, Verify(other, token).Failure);
        Assert.True(other.TryGetSigningKey(JwsAlgorithm.ES256, out var replacement));
        Assert.NotEqual(compromised.Kid, replacement.Kid);
        Assert.True(other.Keys.Single(k => k.Kid == compromised.Kid).RemovedEarly);
    }

    [Fact]
    public async Task TwoRingsOneFile_RaceOnTwoThreads_AgreeAndNeverDoubleCreate()
    {
        var rings = new[] { NewProcess(), NewProcess() };
        for (var round = 0; round < 40; round++)
        {
            using var start = new Barrier(rings.Length);
            var results = await Task.WhenAll(rings.Select(ring => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    return ring.RefreshAsync().GetAwaiter().GetResult();
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default)));

            Assert.Equal(results[0].Jwks.ETag, (await rings[1].RefreshAsync()).Jwks.ETag);
            _time.Advance(round % 4 == 0 ? Policy.PublishAhead : TimeSpan.FromDays(5));
        }

        var contents = await new SqliteKeyStore(SqliteDatabase.Open(_temp.Path), _kek).LoadAsync();
        foreach (var algorithm in Policy.Algorithms)
        {
            var generations = contents.Keys.Where(k => k.Algorithm == algorithm).Select(k => k.Generation).Order().ToArray();
            Assert.Equal(Enumerable.Range(1, generations.Length), generations);
            Assert.True(generations.Length >= 4);
        }
    }

    [Fact]
    public async Task TryWrite_TwoWritersSameVersion_ExactlyOneLands()
    {
        var stores = new[] { NewStore(), NewStore() };
        var version = (await stores[0].LoadAsync()).Version;
        using var start = new Barrier(2);
        var outcomes = await Task.WhenAll(stores.Select(store => Task.Factory.StartNew(
            () =>
            {
                var record = new KeyRecord(JsonWebKey.Generate(JwsAlgorithm.ES256), 1, _time.GetUtcNow(), _time.GetUtcNow(), null, null, false);
                start.SignalAndWait();
                return store.TryWriteAsync(version, [record]).GetAwaiter().GetResult();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)));

        Assert.Single(outcomes, true);
        Assert.Single((await stores[0].LoadAsync()).Keys);
    }

    [Fact]
    public async Task TryWrite_SlotAlreadyTaken_RefusedEvenAtTheRightVersion()
    {
        var store = NewStore();
        var now = _time.GetUtcNow();
        Assert.True(await store.TryWriteAsync(0, [new KeyRecord(JsonWebKey.Generate(JwsAlgorithm.ES256), 1, now, now, null, null, false)]));
        Assert.False(await store.TryWriteAsync(1, [new KeyRecord(JsonWebKey.Generate(JwsAlgorithm.ES256), 1, now, now, null, null, false)]));
        Assert.Equal(1, (await store.LoadAsync()).Version);
    }

    [Fact]
    public async Task PrivateKeys_NeverInTheFileOrItsLogInClear()
    {
        // An open connection keeps the write-ahead log from being checkpointed away when pools are cleared.
        using var holder = SqliteDatabase.Open(_temp.Path).OpenConnection();
        var ring = NewProcess();
        await ring.RefreshAsync();
        await ring.RotateAsync();
        var secrets = ring.Current.Keys.Where(k => k.Key.HasPrivateKey).Select(k => k.Key.ToPrivateJwkUnsafe()).ToArray();
        Assert.Equal(4, secrets.Length);

        var file = _temp.FileBytes();
        Assert.True(File.Exists(_temp.Path + "-wal"));
        foreach (var jwk in secrets)
        {
            using var json = JsonDocument.Parse(jwk);
            var d = json.RootElement.GetProperty("d").GetString()!;
            var raw = Base64Url.DecodeOrNull(d)!;
            Assert.Equal(-1, file.AsSpan().IndexOf(raw));
            Assert.Equal(-1, file.AsSpan().IndexOf(Encoding.ASCII.GetBytes(d)));
            Assert.Equal(-1, file.AsSpan().IndexOf(Encoding.ASCII.GetBytes(Convert.ToBase64String(raw).TrimEnd('='))));
            var publicX = json.RootElement.GetProperty("x").GetString()!;
            Assert.NotEqual(-1, file.AsSpan().IndexOf(Encoding.ASCII.GetBytes(publicX)));
        }
    }

    [Fact]
    public async Task WrongKek_RefusedWithTheFix()
    {
        await NewProcess().RefreshAsync();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => NewProcess(KeyEncryptionKey.Generate().Key).RefreshAsync());
        Assert.Contains("Configure the KEK the keys were sealed with", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SealedKeyMovedToAnotherRow_RefusedAsAltered()
    {
        await NewProcess().RefreshAsync();
        using (var connection = SqliteDatabase.Open(_temp.Path).OpenConnection())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                UPDATE signing_keys SET sealed_private_jwk = (SELECT sealed_private_jwk FROM signing_keys WHERE algorithm = 'EdDSA')
                WHERE algorithm = 'ES256';
                """;
            command.ExecuteNonQuery();
        }

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => NewStore().LoadAsync());
        Assert.Contains("cannot be decrypted", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicKeysOnly_ReadsWithoutKekAndRefusesToWrite()
    {
        var written = await NewProcess().RefreshAsync();
        var store = SqliteKeyStore.PublicKeysOnly(SqliteDatabase.Open(_temp.Path));

        var read = await new KeyRing(store, Policy, _time).ReadAsync();

        Assert.Equal(written.Jwks.Json, read.Jwks.Json);
        Assert.All(read.Keys, k => Assert.False(k.Key.HasPrivateKey));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.TryWriteAsync(read.Version, read.Keys));
    }

    private SqliteKeyStore NewStore() => new(SqliteDatabase.Open(_temp.Path), _kek);
}
