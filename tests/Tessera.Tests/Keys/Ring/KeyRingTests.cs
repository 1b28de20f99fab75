using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Keys.Ring;

namespace Tessera.Tests.Keys.Ring;

public sealed class KeyRingTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly InMemoryKeyStore _store = new();
    private readonly RotationPolicy _policy = RotationPolicy.Default;

    private KeyRing NewRing(RotationPolicy? policy = null) => new(_store, policy ?? _policy, _time);

    private static string Sign(JsonWebKey key) => JwsWriter.Sign(key, """{"sub":"s"}"""u8, "JWT");

    private static JwsVerification Verify(KeyRingSnapshot snapshot, string token) =>
        new JwsVerifier(JsonWebKeySet.Parse(snapshot.Jwks.Json)).Verify(token);

    [Fact]
    public async Task Refresh_EmptyStore_FirstKeySignsAtOnceWithThumbprintKid()
    {
        var snapshot = await NewRing().RefreshAsync();

        var key = Assert.Single(snapshot.Keys);
        Assert.Equal(KeyState.Active, snapshot.StateOf(key));
        Assert.Equal(key.Key.Thumbprint, key.Kid);
        Assert.Equal(JwsAlgorithm.ES256, key.Algorithm);
        Assert.Equal(1, key.Generation);
        Assert.True(snapshot.TryGetSigningKey(JwsAlgorithm.ES256, out var signing));
        Assert.True(Verify(snapshot, Sign(signing)).IsValid);
    }

    [Fact]
    public async Task Refresh_NothingDue_WritesNothing()
    {
        var ring = NewRing();
        var first = await ring.RefreshAsync();
        _time.Advance(TimeSpan.FromDays(10));
        var second = await ring.RefreshAsync();
        Assert.Equal(first.Version, second.Version);
    }

    [Fact]
    public async Task Refresh_ThroughOneRotation_PublishesAheadSignsThenRetiresThenRemoves()
    {
        var ring = NewRing();
        var first = Assert.Single((await ring.RefreshAsync()).Keys);
        var token = Sign(first.Key);

        _time.Advance(_policy.RotationPeriod - _policy.PublishAhead);
        var rotating = await ring.RefreshAsync();
        var next = rotating.Keys.Single(k => k.Kid != first.Kid);
        Assert.Equal(KeyState.Pending, rotating.StateOf(next));
        Assert.Equal(Start + _policy.RotationPeriod, next.ActivatesAt);
        Assert.Equal(next.ActivatesAt, rotating.Keys.Single(k => k.Kid == first.Kid).RetiresAt);
        Assert.Contains(next.Kid, rotating.Jwks.Json, StringComparison.Ordinal);
        Assert.Equal(first.Kid, (await ring.GetSigningKeyAsync()).Kid);

        _time.Advance(_policy.PublishAhead);
        Assert.Equal(next.Kid, (await ring.GetSigningKeyAsync()).Kid);
        var retired = ring.Current;
        Assert.Equal(KeyState.Retired, retired.StateOf(retired.Keys.Single(k => k.Kid == first.Kid)));
        Assert.True(Verify(retired, token).IsValid);

        _time.Advance(_policy.RetiredRetention);
        var removed = await ring.RefreshAsync();
        var gone = removed.Keys.Single(k => k.Kid == first.Kid);
        Assert.Equal(KeyState.Removed, removed.StateOf(gone));
        Assert.False(gone.Key.HasPrivateKey);
        Assert.Equal(FailureReason.KeyNotFound, Verify(removed, token).Failure);
    }

    [Fact]
    public async Task Remove_ActiveKey_TokensRejectedAndNewKeySignsAtOnce()
    {
        var ring = NewRing();
        var compromised = await ring.GetSigningKeyAsync();
        var token = Sign(compromised);

        var snapshot = await ring.RemoveAsync(compromised.Kid);

        Assert.Equal(FailureReason.KeyNotFound, Verify(snapshot, token).Failure);
        var record = snapshot.Keys.Single(k => k.Kid == compromised.Kid);
        Assert.Equal(KeyState.Removed, snapshot.StateOf(record));
        Assert.True(record.RemovedEarly);
        Assert.False(record.Key.HasPrivateKey);
        var replacement = await ring.GetSigningKeyAsync();
        Assert.NotEqual(compromised.Kid, replacement.Kid);
        Assert.DoesNotContain(compromised.Kid, snapshot.Jwks.Json, StringComparison.Ordinal);
        Assert.True(Verify(snapshot, Sign(replacement)).IsValid);

        // A restarted process sees the same: the removal is in the store, not in memory.
        Assert.Equal(FailureReason.KeyNotFound, Verify(await NewRing().RefreshAsync(), token).Failure);
    }

    [Fact]
    public async Task Remove_ActiveKeyWithPublishedSuccessor_SuccessorTakesOverAtOnce()
    {
        var ring = NewRing();
        var first = await ring.GetSigningKeyAsync();
        var rotating = await ring.RotateAsync();
        var successor = rotating.Keys.Single(k => k.Kid != first.Kid);

        await ring.RemoveAsync(first.Kid);

        Assert.Equal(successor.Kid, (await ring.GetSigningKeyAsync()).Kid);
        Assert.Equal(2, ring.Current.Keys.Count);
    }

    [Fact]
    public async Task Remove_PendingKey_ActiveKeepsSigningAndTheNextSuccessorComesOnPlan()
    {
        var ring = NewRing();
        var first = await ring.GetSigningKeyAsync();
        var pending = (await ring.RotateAsync()).Keys.Single(k => k.Kid != first.Kid);

        var snapshot = await ring.RemoveAsync(pending.Kid);

        Assert.Null(snapshot.Keys.Single(k => k.Kid == first.Kid).RetiresAt);
        Assert.Equal(first.Kid, (await ring.GetSigningKeyAsync()).Kid);
        _time.Advance(_policy.RotationPeriod - _policy.PublishAhead);
        var replacement = (await ring.RefreshAsync()).Keys.Single(k => k.Generation == 3);
        Assert.Equal(Start + _policy.RotationPeriod, replacement.ActivatesAt);
        Assert.Equal(replacement.ActivatesAt, ring.Current.Keys.Single(k => k.Kid == first.Kid).RetiresAt);
    }

    [Fact]
    public async Task Remove_UnknownKid_ThrowsWithTheFix()
    {
        var ring = NewRing();
        await ring.RefreshAsync();
        var e = await Assert.ThrowsAsync<ArgumentException>(() => ring.RemoveAsync("no-such-kid"));
        Assert.Contains("List the keys", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotate_Twice_OneSuccessorThatWaitsPublishAhead()
    {
        var ring = NewRing();
        var first = await ring.GetSigningKeyAsync();
        await ring.RotateAsync();
        var snapshot = await ring.RotateAsync(JwsAlgorithm.ES256);

        Assert.Equal(2, snapshot.Keys.Count);
        var successor = snapshot.Keys.Single(k => k.Kid != first.Kid);
        Assert.Equal(_time.GetUtcNow() + _policy.PublishAhead, successor.ActivatesAt);
        Assert.Equal(first.Kid, (await ring.GetSigningKeyAsync()).Kid);
        await Assert.ThrowsAsync<ArgumentException>(() => ring.RotateAsync(JwsAlgorithm.RS256));
    }

    [Fact]
    public async Task AlgorithmAddedToRunningRing_WaitsPublishAheadBeforeSigning()
    {
        await NewRing().RefreshAsync();
        _time.Advance(TimeSpan.FromDays(1));
        var ring = NewRing(new RotationPolicy { Algorithms = [JwsAlgorithm.ES256, JwsAlgorithm.EdDSA] });

        var snapshot = await ring.RefreshAsync();

        var added = snapshot.Keys.Single(k => k.Algorithm == JwsAlgorithm.EdDSA);
        Assert.Equal(KeyState.Pending, snapshot.StateOf(added));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () => await ring.GetSigningKeyAsync(JwsAlgorithm.EdDSA));
        Assert.Contains("Sign with another configured algorithm", e.Message, StringComparison.Ordinal);
        _time.Advance(_policy.PublishAhead);
        Assert.Equal(added.Kid, (await ring.GetSigningKeyAsync(JwsAlgorithm.EdDSA)).Kid);
    }

    [Fact]
    public async Task AlgorithmDroppedFromPolicy_ItsKeyRetiresButStaysPublished()
    {
        await NewRing(new RotationPolicy { Algorithms = [JwsAlgorithm.ES256, JwsAlgorithm.PS256] }).RefreshAsync();
        var snapshot = await NewRing().RefreshAsync();

        var dropped = snapshot.Keys.Single(k => k.Algorithm == JwsAlgorithm.PS256);
        Assert.Equal(KeyState.Retired, snapshot.StateOf(dropped));
        Assert.Equal(_time.GetUtcNow() + _policy.RetiredRetention, dropped.RemovesAt);
        Assert.False(snapshot.TryGetSigningKey(JwsAlgorithm.PS256, out _));
    }

    [Fact]
    public async Task TwoRings_RefreshConcurrently_NeverCreateTwoKeysForOneSlot()
    {
        var rings = Enumerable.Range(0, 4).Select(_ => NewRing()).ToArray();
        for (var round = 0; round < 13; round++)
        {
            await Task.WhenAll(rings.Select(r => Task.Run(() => r.RefreshAsync())));
            _time.Advance(TimeSpan.FromDays(10));
        }

        var contents = await _store.LoadAsync();
        Assert.Equal(contents.Keys.Count, contents.Keys.Select(k => k.Generation).Distinct().Count());
        var kids = await Task.WhenAll(rings.Select(async r => (await r.RefreshAsync()).Jwks.ETag));
        Assert.Single(kids.Distinct());
    }

    [Fact]
    public async Task Jwks_PublicMembersOnlyWithCacheHeaders()
    {
        var ring = NewRing(new RotationPolicy { Algorithms = [JwsAlgorithm.ES256, JwsAlgorithm.RS256, JwsAlgorithm.EdDSA] });
        var document = await ring.GetJwksAsync();

        using var json = JsonDocument.Parse(document.Json);
        var keys = json.RootElement.GetProperty("keys").EnumerateArray().ToArray();
        Assert.Equal(3, keys.Length);
        foreach (var key in keys)
        {
            Assert.Equal("sig", key.GetProperty("use").GetString());
            Assert.True(key.TryGetProperty("kid", out _) && key.TryGetProperty("alg", out _) && key.TryGetProperty("kty", out _));
            foreach (var secret in new[] { "d", "p", "q", "dp", "dq", "qi", "k" })
            {
                Assert.False(key.TryGetProperty(secret, out _), secret);
            }
        }

        Assert.Equal(_policy.JwksCacheLifetime, document.MaxAge);
        Assert.Equal("public, max-age=3600", document.CacheControl);
        Assert.StartsWith("\"", document.ETag, StringComparison.Ordinal);
        Assert.Equal(document.ETag, (await NewRing(ring.Policy).ReadAsync()).Jwks.ETag);
    }

    [Fact]
    public void Current_BeforeFirstRead_ThrowsWithTheFix()
    {
        var e = Assert.Throws<InvalidOperationException>(() => NewRing().Current);
        Assert.Contains("RefreshAsync", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyRecord_KidNotThumbprintOrSymmetric_Refused()
    {
        var named = JsonWebKey.Generate(JwsAlgorithm.ES256, kid: "my-key");
        Assert.Throws<KeyRejectedException>(() => new KeyRecord(named, 1, Start, Start, null, null, false));
        var secret = JsonWebKey.Generate(JwsAlgorithm.HS256);
        Assert.Throws<KeyRejectedException>(() => new KeyRecord(secret, 1, Start, Start, null, null, false));
    }
}
