using System.Text;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Jose;

/// <summary>
/// The published examples of RFC 7515 Appendix A, RFC 7519, RFC 7520 §4 and RFC 8037: each accepted or rejected as
/// the RFC states, and the deterministic ones (HMAC, RSASSA-PKCS1-v1_5, Ed25519) reproduced byte for byte.
/// </summary>
public class RfcVectorTests
{
    // id → the reason Tessera gives, or null when the RFC says the token is valid.
    public static TheoryData<string, string?> RfcExamples => new()
    {
        { "rfc7515-A.1", null },
        { "rfc7515-A.2", null },
        { "rfc7515-A.3", null },
        { "rfc7515-A.4", null },
        { "rfc7515-A.5", "unsupported_algorithm" },
        { "rfc7515-A.5-rsa", "unsupported_algorithm" },
        { "rfc7519-3.1", null },
        { "rfc7519-6.1", "unsupported_algorithm" },
        { "rfc7519-A.1", "malformed" }, // five-part JWE
        { "rfc7519-A.2", "malformed" }, // five-part JWE wrapping a JWS
        { "rfc8037-A.4", null },
    };

    [Fact]
    public void RfcExamples_Table_CoversEveryVectorInTheFile()
    {
        var tabled = RfcExamples.Select(row => (string)row[0]).Order(StringComparer.Ordinal);
        Assert.Equal(Vectors.RfcExampleIds().Order(StringComparer.Ordinal), tabled);
    }

    [Theory]
    [MemberData(nameof(RfcExamples))]
    public void Verify_RfcExample_AcceptsOrRejectsAsTheRfcStates(string id, string? expectedReason)
    {
        var vector = Vectors.RfcExample(id);
        Assert.Equal(expectedReason is null ? "accept" : "reject", (string?)vector["expected"]);

        var algorithm = JwsAlgorithm.Get((string)vector["alg"]!);
        var keys = JsonWebKeySet.Parse(Vectors.Json(vector["jwks"]!), [algorithm]);
        var result = new JwsVerifier(keys).Verify((string)vector["token"]!);

        if (expectedReason is null)
        {
            VerificationAssert.Valid(result);
            Assert.Same(algorithm, result.Key!.Algorithm);
        }
        else
        {
            VerificationAssert.Rejected(expectedReason, result);
        }
    }

    [Theory]
    [InlineData("rfc7515-A.1")] // HS256, header and payload with CRLF
    [InlineData("rfc7515-A.2")] // RS256
    [InlineData("rfc8037-A.4")] // Ed25519
    public void SignWithHeader_DeterministicRfcExample_ReproducesTheTokenByteForByte(string id)
    {
        var vector = Vectors.RfcExample(id);
        var algorithm = JwsAlgorithm.Get((string)vector["alg"]!);
        var key = JsonWebKey.FromJwk(Vectors.Json(vector["jwk_as_printed_in_rfc"]!), algorithm);

        Assert.Equal((string)vector["token"]!, Reproduce(key, (string)vector["token"]!));
    }

    [Fact]
    public void Verify_RfcExampleA1WithOneByteOfThePayloadChanged_IsSignatureInvalid()
    {
        var vector = Vectors.RfcExample("rfc7515-A.1");
        var keys = JsonWebKeySet.Parse(Vectors.Json(vector["jwks"]!), [JwsAlgorithm.HS256]);
        var parts = TestTokens.Segments((string)vector["token"]!);
        var payload = Base64Url.DecodeOrNull(parts[1])!;
        payload[^2] ^= 0x01; // one bit of the claims set

        VerificationAssert.Rejected("signature_invalid", new JwsVerifier(keys).Verify($"{parts[0]}.{Base64Url.Encode(payload)}.{parts[2]}"));
    }

    // RFC 7520 §4: every example that has a compact serialization.
    public static TheoryData<string, string, string?> CookbookCompact => new()
    {
        { "jws/4_1.rsa_v15_signature.json", "RS256", null },
        { "jws/4_2.rsa-pss_signature.json", "PS384", null },
        { "jws/4_3.ecdsa_signature.json", "ES512", null },
        { "jws/4_4.hmac-sha2_integrity_protection.json", "HS256", null },
        // Detached content (RFC 7515 Appendix F): without its payload the compact form does not verify.
        { "jws/4_5.signature_with_detached_content.json", "HS256", "signature_invalid" },
        { "curve25519/jws.json", "EdDSA", null },
    };

    [Theory]
    [MemberData(nameof(CookbookCompact))]
    public void Verify_Rfc7520CompactExample_AcceptsOrRejectsAsTheRfcStates(string file, string alg, string? expectedReason)
    {
        var vector = Vectors.Rfc7520(file);
        var algorithm = JwsAlgorithm.Get(alg);
        Assert.Equal(alg, (string?)vector["input"]!["alg"]);
        var key = JsonWebKey.FromJwk(Vectors.Json(vector["input"]!["key"]!), algorithm);

        var result = TestKeys.VerifierFor(key).Verify((string)vector["output"]!["compact"]!);

        if (expectedReason is null)
        {
            VerificationAssert.Valid(result);
            Assert.Equal(key.Kid, result.Key!.Kid);
        }
        else
        {
            VerificationAssert.Rejected(expectedReason, result);
        }
    }

    [Fact]
    public void Verify_Rfc7520DetachedExampleWithItsPayloadReattached_IsValid()
    {
        var vector = Vectors.Rfc7520("jws/4_5.signature_with_detached_content.json");
        var key = JsonWebKey.FromJwk(Vectors.Json(vector["input"]!["key"]!), JwsAlgorithm.HS256);
        var parts = TestTokens.Segments((string)vector["output"]!["compact"]!);
        var payload = TestTokens.B64((string)vector["input"]!["payload"]!);

        VerificationAssert.Valid(TestKeys.VerifierFor(key).Verify($"{parts[0]}.{payload}.{parts[2]}"));
    }

    [Theory]
    [InlineData("jws/4_1.rsa_v15_signature.json", "RS256")]
    [InlineData("jws/4_4.hmac-sha2_integrity_protection.json", "HS256")]
    [InlineData("curve25519/jws.json", "EdDSA")]
    public void SignWithHeader_DeterministicRfc7520Example_ReproducesTheTokenByteForByte(string file, string alg)
    {
        var vector = Vectors.Rfc7520(file);
        Assert.True((bool?)vector["reproducible"]);
        var key = JsonWebKey.FromJwk(Vectors.Json(vector["input"]!["key"]!), JwsAlgorithm.Get(alg));
        var expected = (string)vector["output"]!["compact"]!;

        var signed = JwsWriter.SignWithHeader(
            key,
            Base64Url.DecodeOrNull((string)vector["signing"]!["protected_b64u"]!),
            Encoding.UTF8.GetBytes((string)vector["input"]!["payload"]!));

        Assert.Equal(expected, signed);
        Assert.Equal((string)vector["signing"]!["sig"]!, TestTokens.Segments(signed)[2]);
    }

    [Fact]
    public void Thumbprint_Rfc7638Example_MatchesThePublishedValue()
    {
        // RFC 7638 §3.1.
        const string jwk = """
            {"kty":"RSA","e":"AQAB","alg":"RS256","kid":"2011-04-29",
             "n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"}
            """;

        var key = JsonWebKey.FromJwk(jwk);

        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", key.Thumbprint);
        Assert.Equal("2011-04-29", key.Kid);
    }

    [Fact]
    public void Thumbprint_Rfc8037Ed25519Example_MatchesThePublishedValue()
    {
        // RFC 8037 Appendix A.3.
        var key = JsonWebKey.FromJwk("""{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}""");

        Assert.Equal("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k", key.Thumbprint);
        Assert.Same(JwsAlgorithm.EdDSA, key.Algorithm);
    }

    private static string Reproduce(JsonWebKey key, string token)
    {
        var parts = TestTokens.Segments(token);
        return JwsWriter.SignWithHeader(key, Base64Url.DecodeOrNull(parts[0]), Base64Url.DecodeOrNull(parts[1]));
    }
}
