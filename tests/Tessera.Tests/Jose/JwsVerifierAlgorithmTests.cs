using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Jose;

/// <summary>The token never chooses its own verification: no <c>none</c>, no algorithm the key is not bound to.</summary>
public class JwsVerifierAlgorithmTests
{
    public static TheoryData<string, string> NoneCasingsAndSignatures()
    {
        var data = new TheoryData<string, string>();
        var hmac = Base64Url.Encode(RandomNumberGenerator.GetBytes(32));
        for (var mask = 0; mask < 16; mask++)
        {
            var none = new string("none".Select((c, i) => (mask & (1 << i)) != 0 ? char.ToUpperInvariant(c) : c).ToArray());
            data.Add(none, "");
            data.Add(none, hmac);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NoneCasingsAndSignatures))]
    public void Verify_AlgNoneInAnyCasing_IsUnsupportedAlgorithmForEveryKeyType(string none, string signature)
    {
        foreach (var algorithm in new[] { JwsAlgorithm.HS256, JwsAlgorithm.RS256, JwsAlgorithm.ES256, JwsAlgorithm.EdDSA })
        {
            var key = TestKeys.For(algorithm);
            var verifier = TestKeys.VerifierFor(key);

            VerificationAssert.Rejected("unsupported_algorithm", verifier.Verify(TestTokens.Unsigned($$"""{"alg":"{{none}}"}""", signature)));
            VerificationAssert.Rejected("unsupported_algorithm", verifier.Verify(TestTokens.Unsigned($$"""{"alg":"{{none}}","kid":"{{key.Kid}}"}""", signature)));
        }
    }

    [Fact]
    public void Verify_AlgNoneWrittenWithEscapesOrWithAValidHmacOverTheToken_IsUnsupportedAlgorithm()
    {
        var key = TestKeys.For(JwsAlgorithm.HS256);
        var verifier = TestKeys.VerifierFor(key);

        VerificationAssert.Rejected("unsupported_algorithm", verifier.Verify(TestTokens.Unsigned("""{"alg":"\u006eone"}""")));
        VerificationAssert.Rejected("unsupported_algorithm", verifier.Verify(TestTokens.Unsigned("""{"alg":"\u006E\u006F\u006E\u0065"}""")));
        // A real HS256 MAC under the configured secret does not make "none" acceptable.
        VerificationAssert.Rejected("unsupported_algorithm", verifier.Verify(TestTokens.SignWithHeader(key, $$"""{"alg":"none","kid":"{{key.Kid}}"}""")));
    }

    // expected reason → alg value as it appears in the header JSON.
    public static TheoryData<string, string> UnknownAlgorithms => new()
    {
        { "unsupported_algorithm", "\"hs256\"" },
        { "unsupported_algorithm", "\"HS256 \"" },
        { "unsupported_algorithm", "\" HS256\"" },
        { "unsupported_algorithm", "\"HS257\"" },
        { "unsupported_algorithm", "\"HS2560\"" },
        { "unsupported_algorithm", "\"\"" },
        { "unsupported_algorithm", "\"RS1\"" },
        { "unsupported_algorithm", "\"ES256K\"" },
        { "unsupported_algorithm", "\"EDDSA\"" },
        { "unsupported_algorithm", "\"ed25519\"" },
        { "unsupported_algorithm", "\"RSA-OAEP\"" },
        { "unsupported_algorithm", "\"dir\"" },
        { "unsupported_algorithm", "\"HS256\\u0000\"" },
        { "unsupported_algorithm", "\"a-very-long-algorithm-name-that-is-not-in-the-table\"" },
        { "malformed", "1" },
        { "malformed", "true" },
        { "malformed", "null" },
        { "malformed", "{\"name\":\"HS256\"}" },
    };

    [Theory]
    [MemberData(nameof(UnknownAlgorithms))]
    public void Verify_AlgThatIsNotInTheTable_IsRejectedWithReason(string expected, string algJson)
    {
        var key = TestKeys.For(JwsAlgorithm.HS256);

        var token = TestTokens.SignWithHeader(key, $$"""{"alg":{{algJson}},"kid":"{{key.Kid}}"}""");

        VerificationAssert.Rejected(expected, TestKeys.VerifierFor(key).Verify(token));
    }

    [Theory]
    [InlineData("RS256", "RS384")]
    [InlineData("RS256", "PS256")]
    [InlineData("PS512", "RS512")]
    [InlineData("ES256", "ES384")]
    [InlineData("HS256", "HS512")]
    [InlineData("EdDSA", "ES256")]
    public void Verify_AlgOfTheSameFamilyAsTheKey_IsAlgorithmNotAllowed(string keyAlg, string tokenAlg)
    {
        var key = TestKeys.For(JwsAlgorithm.Get(keyAlg));
        var token = TestTokens.SignWithHeader(key, $$"""{"alg":"{{tokenAlg}}","kid":"{{key.Kid}}"}""");

        // Even when the verifier allows both, the key is bound to one algorithm.
        var permissive = new JwsVerifier(
            JsonWebKeySet.Create([key.IsSymmetric ? key : key.ToPublicKey()]),
            [JwsAlgorithm.Get(keyAlg), JwsAlgorithm.Get(tokenAlg)]);

        VerificationAssert.Rejected("algorithm_not_allowed", TestKeys.VerifierFor(key).Verify(token));
        VerificationAssert.Rejected("algorithm_not_allowed", permissive.Verify(token));
    }

    public static TheoryData<string, string> PublicKeyEncodings()
    {
        var data = new TheoryData<string, string>();
        foreach (var family in new[] { "RSA", "EC", "Ed25519" })
        {
            foreach (var encoding in new[] { "pem", "pem-crlf", "pem-no-newline", "der", "jwk", "jwk-pretty" })
            {
                data.Add(family, encoding);
            }
        }

        return data;
    }

    /// <summary>
    /// The classic confusion attack (CVE-2015-9235 family): the attacker MACs a token with the verifier's own public
    /// key as the HMAC secret. The verifier holds that public key and must refuse whatever it allows.
    /// </summary>
    [Theory]
    [MemberData(nameof(PublicKeyEncodings))]
    public void Verify_HmacTokenKeyedWithTheVerifiersPublicKey_IsRejected(string family, string encoding)
    {
        var (key, pem, der) = PublicKey(family);
        var secret = encoding switch
        {
            "pem" => Encoding.ASCII.GetBytes(pem + "\n"),
            "pem-crlf" => Encoding.ASCII.GetBytes(pem.Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n"),
            "pem-no-newline" => Encoding.ASCII.GetBytes(pem),
            "der" => der,
            "jwk" => Encoding.UTF8.GetBytes(key.ToPublicJwk()),
            _ => Encoding.UTF8.GetBytes(System.Text.Json.Nodes.JsonNode.Parse(key.ToPublicJwk())!.ToJsonString(new() { WriteIndented = true })),
        };
        var withKid = TestTokens.HmacForge(secret, $$"""{"alg":"HS256","kid":"{{key.Kid}}","typ":"JWT"}""");
        var withoutKid = TestTokens.HmacForge(secret, """{"alg":"HS256","typ":"JWT"}""");

        var strict = new JwsVerifier(JsonWebKeySet.Create([key]));
        var permissive = new JwsVerifier(JsonWebKeySet.Create([key]), [key.Algorithm, JwsAlgorithm.HS256]);

        VerificationAssert.Rejected("algorithm_not_allowed", strict.Verify(withKid));
        VerificationAssert.Rejected("algorithm_not_allowed", strict.Verify(withoutKid));
        VerificationAssert.Rejected("algorithm_not_allowed", permissive.Verify(withKid));
        VerificationAssert.Rejected("key_not_found", permissive.Verify(withoutKid));
    }

    [Fact]
    public void Create_KeySetWithAPublicKeyAndAnHmacSecret_IsRefused()
    {
        var (rsa, pem, der) = PublicKey("RSA");

        // A key's own text can never become an HMAC secret: refused at load, before any set is built.
        var fromPem = Assert.Throws<KeyRejectedException>(() => JsonWebKey.FromSecret(Encoding.ASCII.GetBytes(pem), JwsAlgorithm.HS256, "pem-as-secret"));
        Assert.Contains("algorithm-confusion", fromPem.Message, StringComparison.Ordinal);
        Assert.Throws<KeyRejectedException>(() => JsonWebKey.FromSecret(der, JwsAlgorithm.HS256, "der-as-secret"));
        Assert.Throws<KeyRejectedException>(() => JsonWebKey.FromSecret(Encoding.UTF8.GetBytes(rsa.ToPublicJwk()), JwsAlgorithm.HS256, "jwk-as-secret"));

        // And a random secret still cannot share a set with a public key.
        var secret = JsonWebKey.Generate(JwsAlgorithm.HS256, "random-secret");
        var e = Assert.Throws<KeyRejectedException>(() => JsonWebKeySet.Create([rsa, secret]));
        Assert.Contains("separate sets", e.Message, StringComparison.Ordinal);
    }

    private static readonly Dictionary<string, (JsonWebKey Key, string Pem, byte[] Der)> PublicKeys = new()
    {
        ["RSA"] = RsaPublicKey(),
        ["EC"] = EcPublicKey(),
        ["Ed25519"] = Ed25519PublicKey(),
    };

    private static (JsonWebKey Key, string Pem, byte[] Der) PublicKey(string family) => PublicKeys[family];

    private static (JsonWebKey, string, byte[]) RsaPublicKey()
    {
        using var rsa = RSA.Create(2048);
        var pem = rsa.ExportSubjectPublicKeyInfoPem();
        return (JsonWebKey.FromPem(pem, JwsAlgorithm.RS256), pem, rsa.ExportSubjectPublicKeyInfo());
    }

    private static (JsonWebKey, string, byte[]) EcPublicKey()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = ecdsa.ExportSubjectPublicKeyInfoPem();
        return (JsonWebKey.FromPem(pem), pem, ecdsa.ExportSubjectPublicKeyInfo());
    }

    private static (JsonWebKey, string, byte[]) Ed25519PublicKey()
    {
        using var key = NSec.Cryptography.Key.Create(SignatureAlgorithm.Ed25519);
        var der = key.PublicKey.Export(KeyBlobFormat.PkixPublicKey);
        var pem = Encoding.ASCII.GetString(key.PublicKey.Export(KeyBlobFormat.PkixPublicKeyText)).TrimEnd();
        return (JsonWebKey.FromPem(pem), pem, der);
    }
}
