using Tessera.Jose;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Jose;

/// <summary>
/// The verifier remembers headers whose tokens verified, to skip parsing them again. Remembering must never
/// change an outcome: the signature is always checked, and a header resolves to the same key and type.
/// </summary>
public class JwsVerifierRememberedHeaderTests
{
    public static TheoryData<string> Algorithms => TestKeys.AlgorithmNames();

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_RememberedHeader_SameKeyAndTypeAsFirstTime(string alg)
    {
        var key = TestKeys.For(JwsAlgorithm.Get(alg));
        var token = JwsWriter.Sign(key, TestTokens.PayloadBytes, "at+jwt");
        var verifier = TestKeys.VerifierFor(key);

        var first = verifier.Verify(token);
        var second = verifier.Verify(token);

        VerificationAssert.Valid(first);
        VerificationAssert.Valid(second);
        Assert.Same(first.Key, second.Key);
        Assert.Equal("at+jwt", second.Type);
        Assert.Equal(first.PayloadStart, second.PayloadStart);
        Assert.Equal(first.PayloadLength, second.PayloadLength);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_RememberedHeaderWithAlteredSignatureOrPayload_IsSignatureInvalid(string alg)
    {
        var key = TestKeys.For(JwsAlgorithm.Get(alg));
        var token = TestTokens.Sign(key);
        var verifier = TestKeys.VerifierFor(key);
        VerificationAssert.Valid(verifier.Verify(token));

        var signature = TestTokens.SignatureBytes(token);
        signature[^1] ^= 1;
        var parts = TestTokens.Segments(token);
        var otherPayload = TestTokens.B64("""{"sub":"someone-else"}""");

        VerificationAssert.Rejected("signature_invalid", verifier.Verify(TestTokens.WithSignature(token, signature)));
        VerificationAssert.Rejected("signature_invalid", verifier.Verify($"{parts[0]}.{otherPayload}.{parts[2]}"));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_RememberedHeaderSignedByAnotherKeyWithTheSameKid_IsSignatureInvalid(string alg)
    {
        var algorithm = JwsAlgorithm.Get(alg);
        var key = TestKeys.For(algorithm);
        var impostor = JsonWebKey.Generate(algorithm, key.Kid);
        var verifier = TestKeys.VerifierFor(key);
        VerificationAssert.Valid(verifier.Verify(TestTokens.Sign(key)));

        var forged = TestTokens.Sign(impostor);

        Assert.Equal(TestTokens.Segments(TestTokens.Sign(key))[0], TestTokens.Segments(forged)[0]);
        VerificationAssert.Rejected("signature_invalid", verifier.Verify(forged));
    }

    [Fact]
    public void Verify_LongHeader_VerifiesEveryTime()
    {
        var key = TestKeys.For(JwsAlgorithm.HS256);
        var header = $$"""{"alg":"HS256","kid":"{{key.Kid}}","x":"{{new string('a', 2000)}}"}""";
        var token = TestTokens.SignWithHeader(key, header);
        var verifier = TestKeys.VerifierFor(key);

        VerificationAssert.Valid(verifier.Verify(token));
        VerificationAssert.Valid(verifier.Verify(token));
    }

    [Fact]
    public void Verify_MoreHeadersThanRememberedFromManyThreads_EveryOutcomeAsExpected()
    {
        var keys = Enumerable.Range(0, 20).Select(i => JsonWebKey.Generate(JwsAlgorithm.HS256, $"k{i}")).ToArray();
        var verifier = new JwsVerifier(JsonWebKeySet.Create(keys));
        var tokens = keys.Select((k, i) => JwsWriter.Sign(k, TestTokens.PayloadBytes, i % 2 == 0 ? "JWT" : "at+jwt")).ToArray();
        var forged = keys.Select(k => TestTokens.Sign(JsonWebKey.Generate(JwsAlgorithm.HS256, k.Kid))).ToArray();
        var failures = 0;

        Parallel.For(0, 4000, n =>
        {
            var i = n % keys.Length;
            var valid = verifier.Verify(tokens[i]);
            var rejected = verifier.Verify(forged[i]);
            if (!valid.IsValid || !ReferenceEquals(valid.Key, keys[i]) || valid.Type != (i % 2 == 0 ? "JWT" : "at+jwt")
                || rejected.IsValid || rejected.Failure.ToCode() != "signature_invalid")
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
    }
}
