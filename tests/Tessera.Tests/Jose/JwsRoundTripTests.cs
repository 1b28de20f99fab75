using System.Text;
using System.Text.Json;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Jose;

public class JwsRoundTripTests
{
    public static TheoryData<string> Algorithms => TestKeys.AlgorithmNames();

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_TokenSignedByJwsWriter_IsValidForEveryAlgorithm(string alg)
    {
        var key = TestKeys.For(JwsAlgorithm.Get(alg));
        var token = JwsWriter.Sign(key, TestTokens.PayloadBytes, "at+jwt");

        var result = TestKeys.VerifierFor(key).Verify(token);

        VerificationAssert.Valid(result);
        Assert.Equal(key.Kid, result.Key!.Kid);
        Assert.Same(key.Algorithm, result.Key.Algorithm);
        Assert.Equal("at+jwt", result.Type);
        var payload = token.AsSpan(result.PayloadStart, result.PayloadLength).ToString();
        Assert.Equal(TestTokens.Payload, Encoding.UTF8.GetString(Base64Url.DecodeOrNull(payload)!));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Sign_AnyKey_WritesOnlyAlgKidAndTyp(string alg)
    {
        var key = TestKeys.For(JwsAlgorithm.Get(alg));

        var token = JwsWriter.Sign(key, TestTokens.PayloadBytes, "JWT");

        using var header = JsonDocument.Parse(Base64Url.DecodeOrNull(TestTokens.Segments(token)[0]));
        Assert.Equal(["alg", "kid", "typ"], header.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(alg, header.RootElement.GetProperty("alg").GetString());
        Assert.Equal(key.Kid, header.RootElement.GetProperty("kid").GetString());
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_SignatureOfAnotherKeyWithTheSameKid_IsSignatureInvalid(string alg)
    {
        var algorithm = JwsAlgorithm.Get(alg);
        var signer = TestKeys.For(algorithm, "shared-kid");
        var other = TestKeys.For(algorithm, "other");
        var impostor = JsonWebKey.FromJwk(other.ToPrivateJwkUnsafe().Replace("\"other\"", "\"shared-kid\"", StringComparison.Ordinal));

        var result = TestKeys.VerifierFor(impostor).Verify(TestTokens.Sign(signer));

        VerificationAssert.Rejected("signature_invalid", result);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_TokenWithoutKidAndOneKeyForItsAlg_IsValid(string alg)
    {
        var key = TestKeys.For(JwsAlgorithm.Get(alg));

        var token = TestTokens.SignWithHeader(key, $$"""{"alg":"{{alg}}"}""");

        VerificationAssert.Valid(TestKeys.VerifierFor(key).Verify(token));
    }

    [Fact]
    public void Verify_HeaderAlgEd25519_IsAcceptedAsEdDSA()
    {
        var key = TestKeys.For(JwsAlgorithm.EdDSA);

        var withKid = TestTokens.SignWithHeader(key, $$"""{"alg":"Ed25519","kid":"{{key.Kid}}"}""");
        var withoutKid = TestTokens.SignWithHeader(key, """{"alg":"Ed25519"}""");

        var verifier = TestKeys.VerifierFor(key);
        VerificationAssert.Valid(verifier.Verify(withKid));
        VerificationAssert.Valid(verifier.Verify(withoutKid));
        Assert.Same(JwsAlgorithm.EdDSA, verifier.Verify(withKid).Key!.Algorithm);
    }

    [Fact]
    public void TryGet_Ed25519_IsTheEdDSAEntryAndNoneIsNotInTheTable()
    {
        Assert.True(JwsAlgorithm.TryGet("Ed25519", out var ed25519));
        Assert.Same(JwsAlgorithm.EdDSA, ed25519);
        Assert.False(JwsAlgorithm.TryGet("none", out _));
        Assert.False(JwsAlgorithm.TryGet("hs256", out _));
        Assert.DoesNotContain(JwsAlgorithm.All, a => a.Name.Equals("none", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(13, JwsAlgorithm.All.Count);
    }

    [Fact]
    public void Sign_WithPublicKey_Throws()
    {
        var publicKey = TestKeys.For(JwsAlgorithm.ES256).ToPublicKey();

        Assert.Throws<InvalidOperationException>(() => JwsWriter.Sign(publicKey, TestTokens.PayloadBytes, null));
    }

    [Fact]
    public void Verify_KeySetWithSeveralKeys_SelectsTheKeyByKid()
    {
        var first = TestKeys.For(JwsAlgorithm.ES256, "first");
        var second = TestKeys.For(JwsAlgorithm.ES256, "second");
        var rsa = TestKeys.For(JwsAlgorithm.PS256);
        var verifier = new JwsVerifier(JsonWebKeySet.Create([first.ToPublicKey(), second.ToPublicKey(), rsa.ToPublicKey()]));

        Assert.Equal("second", verifier.Verify(TestTokens.Sign(second)).Key?.Kid);
        Assert.Equal("first", verifier.Verify(TestTokens.Sign(first)).Key?.Kid);
        Assert.Equal(rsa.Kid, verifier.Verify(TestTokens.Sign(rsa)).Key?.Kid);
        // Two ES256 keys: a token without kid cannot pick one.
        VerificationAssert.Rejected("key_not_found", verifier.Verify(TestTokens.SignWithHeader(first, """{"alg":"ES256"}""")));
    }
}
