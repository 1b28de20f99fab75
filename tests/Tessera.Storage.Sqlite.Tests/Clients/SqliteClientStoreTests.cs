using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Tessera.Clients;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Storage.Sqlite.Clients;
using Tessera.Storage.Sqlite.Settings;

namespace Tessera.Storage.Sqlite.Tests.Clients;

public sealed class SqliteClientStoreTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _time = new(TestClients.Created);

    public void Dispose() => _temp.Dispose();

    /// <summary>What a new process does: open the file and build a store.</summary>
    private SqliteClientStore NewProcess() => new(SqliteDatabase.Open(_temp.Path), _time);

    [Fact]
    public void Open_NewFile_AppliesClientsAndSettingsMigrations()
    {
        var database = SqliteDatabase.Open(_temp.Path);

        Assert.Equal(1, database.SchemaVersions["clients"]);
        Assert.Equal(1, database.SchemaVersions["settings"]);
    }

    [Fact]
    public async Task AddFindListRemove_RoundTrip_KeepsEveryField()
    {
        var store = NewProcess();
        var hash = ClientSecrets.Hash(ClientSecrets.Generate(), new byte[32]);
        var service = TestClients.Service(secretHash: hash);
        var browser = TestClients.Browser();

        Assert.True(await store.AddAsync(service));
        Assert.True(await store.AddAsync(browser));

        var found = await NewProcess().FindAsync("billing");
        Assert.NotNull(found);
        AssertSame(service, found);
        Assert.Equal(hash, found.SecretHash);
        AssertSame(browser, (await store.FindAsync("spa"))!);
        Assert.Null(await store.FindAsync("nobody"));
        Assert.Equal(["billing", "spa"], (await store.ListAsync()).Select(c => c.ClientId));

        Assert.True(await store.RemoveAsync("billing"));
        Assert.False(await store.RemoveAsync("billing"));
        Assert.Null(await store.FindAsync("billing"));
        Assert.Equal(["spa"], (await NewProcess().ListAsync()).Select(c => c.ClientId));
    }

    [Fact]
    public async Task Add_PrivateKeyJwtClient_KeepsJwks()
    {
        var jwks = JsonWebKeySet.Create([JsonWebKey.Generate(JwsAlgorithm.ES256).ToPublicKey()]).ToPublicJson();
        var client = TestClients.Service() with { SecretHash = null, Jwks = jwks };

        Assert.True(await NewProcess().AddAsync(client));

        var found = await NewProcess().FindAsync(client.ClientId);
        Assert.Equal(jwks, found!.Jwks);
        Assert.Null(found.SecretHash);
    }

    [Fact]
    public async Task Add_DefaultCreatedAt_UsesTheClock()
    {
        var store = NewProcess();
        _time.Advance(TimeSpan.FromDays(3));

        await store.AddAsync(TestClients.Browser() with { CreatedAt = default });

        Assert.Equal(_time.GetUtcNow(), (await store.FindAsync("spa"))!.CreatedAt);
    }

    [Fact]
    public async Task Add_DuplicateId_ReturnsFalseAndKeepsTheFirst()
    {
        var store = NewProcess();
        Assert.True(await store.AddAsync(TestClients.Service()));

        Assert.False(await NewProcess().AddAsync(TestClients.Service() with { Scopes = ["other"] }));

        Assert.Equal(["invoices:read", "invoices:write"], (await store.FindAsync("billing"))!.Scopes);
        Assert.Single(await store.ListAsync());
    }

    [Fact]
    public async Task Add_InconsistentClient_ThrowsAndStoresNothing()
    {
        var store = NewProcess();

        var e = await Assert.ThrowsAsync<TesseraConfigurationException>(() =>
            store.AddAsync(TestClients.Browser() with { GrantTypes = [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken] }));

        Assert.Contains("refresh", e.Message, StringComparison.Ordinal);
        Assert.Empty(await store.ListAsync());
    }

    [Fact]
    public async Task TryUseAssertion_SameJtiTwice_SecondIsReplay()
    {
        var store = NewProcess();
        var expires = _time.GetUtcNow().AddMinutes(5);

        Assert.True(await store.TryUseAssertionAsync("billing", "jti-1", expires));
        Assert.False(await store.TryUseAssertionAsync("billing", "jti-1", expires));
        Assert.True(await store.TryUseAssertionAsync("billing", "jti-2", expires));
        Assert.True(await store.TryUseAssertionAsync("reports", "jti-1", expires));
    }

    [Fact]
    public async Task TryUseAssertion_TwoStoresOnOneFile_ReplayDetectedAcrossThem()
    {
        var expires = _time.GetUtcNow().AddMinutes(5);
        var nodeA = NewProcess();
        var nodeB = NewProcess();

        Assert.True(await nodeA.TryUseAssertionAsync("billing", "jti-1", expires));

        Assert.False(await nodeB.TryUseAssertionAsync("billing", "jti-1", expires));
    }

    [Fact]
    public async Task TryUseAssertion_AfterRestart_ReplayStillDetected()
    {
        var expires = _time.GetUtcNow().AddMinutes(5);
        Assert.True(await NewProcess().TryUseAssertionAsync("billing", "jti-1", expires));

        SqliteConnection.ClearAllPools();
        var restarted = NewProcess();

        Assert.False(await restarted.TryUseAssertionAsync("billing", "jti-1", expires));
    }

    [Fact]
    public async Task TryUseAssertion_ConcurrentSameJti_ExactlyOneWins()
    {
        var expires = _time.GetUtcNow().AddMinutes(5);
        var stores = Enumerable.Range(0, 8).Select(_ => NewProcess()).ToArray();

        var results = await Task.WhenAll(stores.Select(s => Task.Run(() => s.TryUseAssertionAsync("billing", "jti-race", expires))));

        Assert.Single(results, r => r);
    }

    [Fact]
    public async Task TryUseAssertion_ExpiredRecords_ArePurgedByLaterCalls()
    {
        var store = NewProcess();
        var expires = _time.GetUtcNow().AddMinutes(5);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(await store.TryUseAssertionAsync("billing", $"old-{i}", expires));
        }

        Assert.True(await store.TryUseAssertionAsync("billing", "live", expires.AddMinutes(10)));
        Assert.Equal(11, CountAssertions());

        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.True(await store.TryUseAssertionAsync("billing", "new", _time.GetUtcNow().AddMinutes(5)));

        Assert.Equal(2, CountAssertions());
        Assert.False(await store.TryUseAssertionAsync("billing", "live", expires.AddMinutes(10)));
    }

    [Fact]
    public async Task TryUseAssertion_OverlongJti_Throws()
    {
        var store = NewProcess();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.TryUseAssertionAsync("billing", new string('j', SqliteClientStore.MaxTokenIdLength + 1), _time.GetUtcNow()));
    }

    [Fact]
    public async Task Remove_Client_KeepsItsAssertionRecordsUntilTheyExpire()
    {
        var store = NewProcess();
        await store.AddAsync(TestClients.Service());
        var expires = _time.GetUtcNow().AddMinutes(5);
        Assert.True(await store.TryUseAssertionAsync("billing", "jti-1", expires));

        await store.RemoveAsync("billing");
        await store.AddAsync(TestClients.Service());

        Assert.False(await store.TryUseAssertionAsync("billing", "jti-1", expires));
    }

    [Fact]
    public async Task Secret_NeverStoredInTheFile_OnlyItsHash()
    {
        var database = SqliteDatabase.Open(_temp.Path);
        var key = await new SqliteSettings(database).GetOrCreateSecretHashingKeyAsync();
        var secret = ClientSecrets.Generate();
        var hash = ClientSecrets.Hash(secret, key);
        await new SqliteClientStore(database, _time).AddAsync(TestClients.Service(secretHash: hash));

        var bytes = _temp.FileBytes();

        Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
        Assert.Equal(-1, bytes.AsSpan().IndexOf(Base64Url.DecodeOrNull(secret)));
        Assert.NotEqual(-1, bytes.AsSpan().IndexOf(hash));
        var stored = await new SqliteClientStore(SqliteDatabase.Open(_temp.Path), _time).FindAsync("billing");
        Assert.True(ClientSecrets.Verify(secret, stored!.SecretHash, key));
    }

    private long CountAssertions()
    {
        using var connection = SqliteDatabase.Open(_temp.Path).OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM client_assertion_jtis;";
        return (long)command.ExecuteScalar()!;
    }

    private static void AssertSame(ClientRegistration expected, ClientRegistration actual)
    {
        Assert.Equal(expected.ClientId, actual.ClientId);
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.SecretHash, actual.SecretHash);
        Assert.Equal(expected.Jwks, actual.Jwks);
        Assert.Equal(expected.GrantTypes, actual.GrantTypes);
        Assert.Equal(expected.Audiences, actual.Audiences);
        Assert.Equal(expected.Scopes, actual.Scopes);
        Assert.Equal(expected.RedirectUris, actual.RedirectUris);
        Assert.Equal(expected.AccessTokenLifetime, actual.AccessTokenLifetime);
        Assert.Equal(expected.FirstParty, actual.FirstParty);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
    }
}
