using System.Text.Json;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Keys;

public class JsonWebKeySetTests
{
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k", "r", "t"];

    [Fact]
    public void Create_MixOfSymmetricAndAsymmetricKeys_ThrowsNamingTheFix()
    {
        var e = Assert.Throws<KeyRejectedException>(() =>
            JsonWebKeySet.Create([TestKeys.For(JwsAlgorithm.ES256).ToPublicKey(), TestKeys.For(JwsAlgorithm.HS256)]));

        Assert.Contains("Keep HMAC secrets and public keys in separate sets", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MixOfSymmetricAndAsymmetricKeys_ThrowsNamingTheFix()
    {
        var json = $$"""{"keys":[{{Jwk.Public("RS256").With("kid", "rsa")}},{{Jwk.Private("HS256").With("kid", "oct")}}]}""";

        var e = Assert.Throws<KeyRejectedException>(() => JsonWebKeySet.Parse(json));

        Assert.Contains("separate sets", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ES256", "ES256")]
    [InlineData("ES256", "RS256")]
    [InlineData("HS256", "HS512")]
    public void Parse_RepeatedKid_ThrowsNamingTheFix(string first, string second)
    {
        var a = (first.StartsWith('H') ? Jwk.Private(first) : Jwk.Public(first)).With("kid", "same");
        var b = (second.StartsWith('H') ? Jwk.Private(second) : Jwk.Public(second)).With("kid", "same");

        var e = Assert.Throws<KeyRejectedException>(() => JsonWebKeySet.Parse($$"""{"keys":[{{a}},{{b}}]}"""));

        Assert.Contains("repeats kid 'same'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Every key needs its own kid", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_TheSameKeyTwice_ThrowsRepeatedKid()
    {
        var key = TestKeys.For(JwsAlgorithm.EdDSA);

        Assert.Throws<KeyRejectedException>(() => JsonWebKeySet.Create([key, key]));
    }

    [Theory]
    [InlineData("""{"keys":[]}""", "Configure at least one key")]
    [InlineData("""{"keys":{}}""", "must be an array")]
    [InlineData("""[]""", "must be a JSON object")]
    [InlineData("""{"keys":[1]}""", "must be a JSON object")]
    [InlineData("""{"keys":[]""", "not valid JSON")]
    [InlineData("""{"keys":[],"keys":[]}""", "repeats a member name")]
    [InlineData("{\"keys\":[] // comment\n}", "not valid JSON")]
    public void Parse_DocumentThatIsNotAKeySet_ThrowsKeyRejected(string json, string fix)
    {
        var e = Assert.Throws<KeyRejectedException>(() => JsonWebKeySet.Parse(json));

        Assert.Contains(fix, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DocumentOverTheSizeLimit_ThrowsKeyRejected()
    {
        var json = $$"""{"keys":[],"pad":"{{new string(' ', 1024 * 1024)}}"}""";

        Assert.Throws<KeyRejectedException>(() => JsonWebKeySet.Parse(json));
    }

    [Fact]
    public void Parse_KeysWithoutAlgAndCallerAlgorithms_LeavesOutKeysThatFitNone()
    {
        var json = $$"""{"keys":[{{Jwk.Public("RS256").Without("alg").With("kid", "rsa")}},{{Jwk.Public("ES256").Without("alg").With("kid", "ec")}}]}""";

        var set = JsonWebKeySet.Parse(json, [JwsAlgorithm.ES256]);

        Assert.Equal(["ec"], set.Keys.Select(k => k.Kid));
        Assert.Throws<KeyRejectedException>(() => JsonWebKeySet.Parse(json, [JwsAlgorithm.EdDSA]));
    }

    [Fact]
    public void ToPublicJson_SetLoadedFromPrivateKeys_NeverIncludesPrivateMembers()
    {
        var privateJwks = new[] { "RS256", "PS384", "ES256", "ES384", "ES512", "EdDSA" }
            .Select(alg => Jwk.Private(alg).With("kid", alg))
            .ToList();
        Assert.All(privateJwks, jwk => Assert.True(jwk.ContainsKey("d")));
        var set = JsonWebKeySet.Parse($$"""{"keys":[{{string.Join(',', privateJwks)}}]}""");
        Assert.All(set.Keys, k => Assert.True(k.HasPrivateKey));

        using var published = JsonDocument.Parse(set.ToPublicJson());

        var keys = published.RootElement.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(6, keys.Count);
        foreach (var jwk in keys)
        {
            var names = jwk.EnumerateObject().Select(p => p.Name).ToList();
            Assert.DoesNotContain(names, PrivateMembers.Contains);
            Assert.Contains("kty", names);
            Assert.Equal("sig", jwk.GetProperty("use").GetString());
        }

        // What was published loads back as public keys with the same thumbprints.
        var reloaded = JsonWebKeySet.Parse(set.ToPublicJson());
        Assert.All(reloaded.Keys, k => Assert.False(k.HasPrivateKey));
        Assert.Equal(set.Keys.Select(k => k.Thumbprint), reloaded.Keys.Select(k => k.Thumbprint));
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES512")]
    [InlineData("EdDSA")]
    public void ToPublicJwk_PrivateKey_HasOnlyPublicMembersAndVerifiesItsTokens(string alg)
    {
        var key = TestKeys.For(JwsAlgorithm.Get(alg));

        var published = key.ToPublicJwk();

        using (var document = JsonDocument.Parse(published))
        {
            Assert.DoesNotContain(document.RootElement.EnumerateObject(), p => PrivateMembers.Contains(p.Name));
        }

        var verifier = new JwsVerifier(JsonWebKeySet.Parse(published));
        VerificationAssert.Valid(verifier.Verify(TestTokens.Sign(key)));
    }

    [Fact]
    public void ToPublicJson_SymmetricSet_ThrowsRatherThanPublishingTheSecret()
    {
        var set = JsonWebKeySet.Create([TestKeys.For(JwsAlgorithm.HS256)]);

        Assert.Throws<InvalidOperationException>(set.ToPublicJson);
        Assert.Throws<InvalidOperationException>(TestKeys.For(JwsAlgorithm.HS384).ToPublicJwk);
        Assert.Throws<InvalidOperationException>(() => TestKeys.For(JwsAlgorithm.HS512).ToPublicKey());
    }

    [Fact]
    public void TryGet_KidIsCaseSensitiveAndExact()
    {
        var set = JsonWebKeySet.Create([TestKeys.For(JwsAlgorithm.ES256, "Key-1").ToPublicKey()]);

        Assert.True(set.TryGet("Key-1", out _));
        Assert.False(set.TryGet("key-1", out _));
        Assert.False(set.TryGet("Key-1 ", out _));
    }
}
