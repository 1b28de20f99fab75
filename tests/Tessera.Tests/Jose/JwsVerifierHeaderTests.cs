using System.Text;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Jose;

/// <summary>
/// Headers that break the rules of DESIGN.md principle 3 or are not strict JSON. Every token here carries a
/// signature that is valid for its exact header bytes, so only the header rule can reject it.
/// </summary>
public class JwsVerifierHeaderTests
{
    private const string Kid = "hs-header";

    private static readonly JsonWebKey Key = TestKeys.For(JwsAlgorithm.HS256, Kid);

    // expected reason → header JSON (golang-jwt table style).
    public static TheoryData<string, string> Headers => new()
    {
        // Headers that carry or point at a key (RFC 8725 §3.10): never used, always refused.
        { "forbidden_header", """{"alg":"HS256","kid":"hs-header","jwk":{"kty":"oct","k":"AAAA"}}""" },
        { "forbidden_header", """{"alg":"HS256","kid":"hs-header","jku":"https://attacker.example/jwks.json"}""" },
        { "forbidden_header", """{"alg":"HS256","kid":"hs-header","x5u":"https://attacker.example/cert.pem"}""" },
        { "forbidden_header", """{"alg":"HS256","kid":"hs-header","x5c":["MIIBszCCAVmgAwIBAgIUZ"]}""" },
        { "forbidden_header", """{"alg":"HS256","kid":"hs-header","x5t":"dGh1bWI"}""" },
        { "forbidden_header", """{"alg":"HS256","kid":"hs-header","x5t#S256":"dGh1bWI"}""" },
        { "forbidden_header", """{"alg":"HS256","kid":"hs-header","\u006aku":"https://attacker.example/"}""" },
        { "forbidden_header", """{"jwk":null,"alg":"HS256","kid":"hs-header"}""" },
        // Extensions: none is understood, so any crit is refused (RFC 7515 §4.1.11), and so is b64: false (RFC 7797).
        { "forbidden_header", """{"alg":"HS256","kid":"hs-header","crit":["exp"],"exp":1}""" },
        { "forbidden_header", """{"alg":"HS256","kid":"hs-header","b64":false,"crit":["b64"]}""" },
        { "forbidden_header", """{"alg":"HS256","kid":"hs-header","b64":false}""" },
        { "malformed", """{"alg":"HS256","kid":"hs-header","crit":[]}""" },
        { "malformed", """{"alg":"HS256","kid":"hs-header","crit":"exp"}""" },
        { "malformed", """{"alg":"HS256","kid":"hs-header","crit":[1]}""" },
        { "malformed", """{"alg":"HS256","kid":"hs-header","b64":"false"}""" },
        // Duplicate members, compared after unescaping (RFC 7515 §4: MUST reject or use the last; we reject).
        { "malformed", """{"alg":"HS256","kid":"hs-header","alg":"HS256"}""" },
        { "malformed", """{"alg":"none","alg":"HS256","kid":"hs-header"}""" },
        { "malformed", """{"alg":"HS256","kid":"hs-header","\u0061lg":"HS256"}""" },
        { "malformed", """{"\u0061\u006c\u0067":"HS256","alg":"HS256","kid":"hs-header"}""" },
        { "malformed", """{"alg":"HS256","kid":"hs-header","kid":"other"}""" },
        { "malformed", """{"alg":"HS256","kid":"hs-header","typ":"JWT","typ":"at+jwt"}""" },
        { "malformed", """{"alg":"HS256","kid":"hs-header","ext":{"a":1,"a":2}}""" },
        // Not a JSON object.
        { "malformed", """["alg","HS256"]""" },
        { "malformed", """[{"alg":"HS256","kid":"hs-header"}]""" },
        { "malformed", "\"HS256\"" },
        { "malformed", "42" },
        { "malformed", "null" },
        { "malformed", "" },
        { "malformed", "alg=HS256" },
        { "malformed", "{\"alg\":\"HS256\",\"kid\":\"hs-header\"" },
        { "malformed", """{"alg":"HS256","kid":"hs-header"}{}""" },
        { "malformed", """{"alg":"HS256","kid":"hs-header"}x""" },
        { "malformed", """{"alg":"HS256","kid":"hs-header",}""" },
        { "malformed", """{"alg":"HS256",/*c*/"kid":"hs-header"}""" },
        { "malformed", """{'alg':'HS256','kid':'hs-header'}""" },
        { "malformed", """{"alg":"\uD800","kid":"hs-header"}""" },
        { "malformed", """{"alg":"HS256","kid":"hs-header","\uDC00":1}""" },
        { "malformed", """{"alg":"HS256","kid":"\uD800\uD800"}""" },
        { "malformed", """{"alg":"HS256","kid":"hs-header","typ":"\uDBFF"}""" },
        // Members of the wrong JSON type.
        { "malformed", """{"kid":"hs-header"}""" },
        { "malformed", """{"alg":["HS256"],"kid":"hs-header"}""" },
        { "malformed", """{"alg":null,"kid":"hs-header"}""" },
        { "malformed", """{"alg":"HS256","kid":7}""" },
        { "malformed", """{"alg":"HS256","kid":["hs-header"]}""" },
        { "malformed", """{"alg":"HS256","kid":"hs-header","typ":{"v":"JWT"}}""" },
        // kid values that look like paths, SQL or shell are simply unknown: nothing reads, queries or runs them.
        { "key_not_found", """{"alg":"HS256","kid":"../../../../etc/passwd"}""" },
        { "key_not_found", """{"alg":"HS256","kid":"/dev/null"}""" },
        { "key_not_found", """{"alg":"HS256","kid":"file:///etc/shadow"}""" },
        { "key_not_found", """{"alg":"HS256","kid":"' OR '1'='1"}""" },
        { "key_not_found", """{"alg":"HS256","kid":"x'; DROP TABLE keys; --"}""" },
        { "key_not_found", """{"alg":"HS256","kid":"$(touch /tmp/tessera-pwned)"}""" },
        { "key_not_found", """{"alg":"HS256","kid":"`id`; rm -rf / #"}""" },
        { "key_not_found", """{"alg":"HS256","kid":"hs-header\u0000"}""" },
        { "key_not_found", """{"alg":"HS256","kid":"HS-HEADER"}""" },
        { "key_not_found", """{"alg":"HS256","kid":""}""" },
        { "key_not_found", """{"alg":"HS256","kid":"https://attacker.example/key"}""" },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void Verify_SignedTokenWithHostileHeader_IsRejectedWithReason(string expected, string headerJson)
    {
        var token = TestTokens.SignWithHeader(Key, headerJson);

        VerificationAssert.Rejected(expected, TestKeys.VerifierFor(Key).Verify(token));
    }

    [Theory]
    [InlineData("ES256")]
    [InlineData("RS256")]
    [InlineData("EdDSA")]
    public void Verify_TokenSignedByTheKeyItsHeaderEmbeds_IsForbiddenHeader(string alg)
    {
        // The attacker signs with their own key, embeds its public JWK and borrows the configured key's kid.
        var algorithm = JwsAlgorithm.Get(alg);
        var configured = TestKeys.For(algorithm, "configured");
        var attacker = TestKeys.For(algorithm, "attacker");
        var embedded = attacker.ToPublicJwk().Replace("\"attacker\"", "\"configured\"", StringComparison.Ordinal);

        var token = TestTokens.SignWithHeader(attacker, $$"""{"alg":"{{alg}}","kid":"configured","jwk":{{embedded}}}""");

        VerificationAssert.Rejected("forbidden_header", TestKeys.VerifierFor(configured).Verify(token));
        VerificationAssert.Rejected("forbidden_header", TestKeys.VerifierFor(attacker).Verify(token));
    }

    [Fact]
    public void Verify_HeaderTable_HasAValidBaseline()
    {
        // The same signer with a plain header verifies, so the table rows fail for their header alone.
        var baseline = TestTokens.SignWithHeader(Key, """{"alg":"HS256","kid":"hs-header","typ":"JWT","ext":{"a":1,"b":[{"a":1},{"a":2}]}}""");

        VerificationAssert.Valid(TestKeys.VerifierFor(Key).Verify(baseline));
    }

    [Fact]
    public void Verify_KidThatOnlyDiffersByEscaping_FindsTheKey()
    {
        var token = TestTokens.SignWithHeader(Key, """{"alg":"HS256","kid":"hs\u002Dheader"}""");

        VerificationAssert.Valid(TestKeys.VerifierFor(Key).Verify(token));
    }

    [Theory]
    [InlineData(JoseHeaderReader.MaxDepth - 1, null)]
    [InlineData(JoseHeaderReader.MaxDepth, "malformed")]
    [InlineData(64, "malformed")]
    [InlineData(600, "malformed")]
    public void Verify_DeeplyNestedHeaderMember_IsRejectedBeyondTheDepthLimit(int depth, string? expected)
    {
        var nested = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            nested.Append(i % 2 == 0 ? "{\"n\":" : "[");
        }

        nested.Append('1');
        for (var i = depth - 1; i >= 0; i--)
        {
            nested.Append(i % 2 == 0 ? "}" : "]");
        }

        var token = TestTokens.SignWithHeader(Key, $$"""{"alg":"HS256","kid":"hs-header","deep":{{nested}}}""");
        var result = TestKeys.VerifierFor(Key).Verify(token);

        if (expected is null)
        {
            VerificationAssert.Valid(result);
        }
        else
        {
            VerificationAssert.Rejected(expected, result);
        }
    }

    [Fact]
    public void Verify_HeaderWithTooManyMembers_IsMalformed()
    {
        var members = string.Concat(Enumerable.Range(0, 100).Select(i => $",\"m{i}\":{i}"));

        var token = TestTokens.SignWithHeader(Key, $$"""{"alg":"HS256","kid":"hs-header"{{members}}}""");

        VerificationAssert.Rejected("malformed", TestKeys.VerifierFor(Key).Verify(token));
    }

    [Fact]
    public void Verify_HeaderThatIsNotUtf8_IsMalformed()
    {
        byte[] header = [.. "{\"alg\":\"HS256\",\"kid\":\"hs-header\",\"x\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        var token = JwsWriter.SignWithHeader(Key, header, TestTokens.PayloadBytes);

        VerificationAssert.Rejected("malformed", TestKeys.VerifierFor(Key).Verify(token));
    }

    [Fact]
    public void Verify_KidLongerThanAnyConfiguredKid_IsKeyNotFound()
    {
        var kid = new string('k', JsonWebKey.MaxKidLength + 1);

        var token = TestTokens.SignWithHeader(Key, $$"""{"alg":"HS256","kid":"{{kid}}"}""");

        VerificationAssert.Rejected("key_not_found", TestKeys.VerifierFor(Key).Verify(token));
    }

    [Fact]
    public void Verify_KeyWithLongNonAsciiKid_IsFoundWhetherTheHeaderEscapesItOrNot()
    {
        // 200 characters: 500 bytes of UTF-8 and 1,200 bytes once every character is escaped as \uXXXX.
        var kid = new string('é', 100) + new string('鍵', 100);
        var key = JsonWebKey.FromSecret(RandomBytes(32), JwsAlgorithm.HS256, kid);
        var escaped = string.Concat(kid.Select(c => $"\\u{(int)c:X4}"));

        var raw = TestTokens.SignWithHeader(key, $$"""{"alg":"HS256","kid":"{{kid}}"}""");
        var allEscaped = TestTokens.SignWithHeader(key, $$"""{"alg":"HS256","kid":"{{escaped}}"}""");
        var tooLong = TestTokens.SignWithHeader(key, $$"""{"alg":"HS256","kid":"{{escaped}}{{string.Concat(Enumerable.Repeat("\\u00E9", 57))}}"}""");

        var verifier = TestKeys.VerifierFor(key);
        VerificationAssert.Valid(verifier.Verify(raw));
        VerificationAssert.Valid(verifier.Verify(allEscaped));
        VerificationAssert.Valid(verifier.Verify(JwsWriter.Sign(key, TestTokens.PayloadBytes, "JWT")));
        VerificationAssert.Rejected("key_not_found", verifier.Verify(tooLong)); // 257 characters
    }

    [Fact]
    public void Verify_AlgNameWrittenWithEscapes_IsTheSameAlgorithm()
    {
        var token = TestTokens.SignWithHeader(Key, """{"alg":"\u0048\u0053\u0032\u0035\u0036","kid":"hs-header"}""");

        VerificationAssert.Valid(TestKeys.VerifierFor(Key).Verify(token));
    }

    private static byte[] RandomBytes(int count) => System.Security.Cryptography.RandomNumberGenerator.GetBytes(count);
}
