using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Keys;

/// <summary>Weak or inconsistent keys are refused when loaded, with a message that names the fix.</summary>
public class JsonWebKeyLoadTests
{
    // the fix the message must name → the broken key (golang-jwt table style, keyed by the expected outcome).
    public static TheoryData<string, string> BrokenKeys => new()
    {
        { "2048 bits or more", "rsa-1024" },
        { "2048 bits or more", "rsa-2040" },
        { "e = 65537", "rsa-e-3" },
        { "e = 65537", "rsa-e-1" },
        { "e = 65537", "rsa-e-2^32+1" },
        { "modulus is even", "rsa-even-modulus" },
        { "Export the key again", "rsa-private-of-another-key" },
        { "missing \"p\"", "rsa-private-without-crt" },
        { "more than two primes", "rsa-oth" },
        { "must be at least 32 random bytes", "hs256-16-bytes" },
        { "must be at least 32 random bytes", "hs256-31-bytes" },
        { "must be at least 64 random bytes", "hs512-32-bytes" },
        { "must be at least 48 random bytes", "hs384-empty" },
        { "not on P-256", "ec-point-off-curve" },
        { "not on P-256", "ec-point-at-origin" },
        { "not on P-384", "ec-point-of-p256-padded-to-p384" },
        { "exactly 32 bytes", "ec-x-short" },
        { "exactly 32 bytes", "ec-x-with-leading-zero" },
        { "does not match", "ec-private-of-another-key" },
        { "P-256 (ES256), P-384 (ES384) or P-521 (ES512)", "ec-crv-p192" },
        { "P-256 (ES256), P-384 (ES384) or P-521 (ES512)", "ec-crv-secp256k1" },
        { "exactly 32 bytes (RFC 8037)", "ed25519-x-short" },
        { "does not match the public key x", "ed25519-private-of-another-key" },
        { "Ed25519 only", "okp-crv-x25519" },
        { "Fix the alg or use the right key", "ec-p256-alg-es384" },
        { "Fix the alg or use the right key", "rsa-alg-es256" },
        { "Fix the alg or use the right key", "rsa-alg-hs256" },
        { "Fix the alg or use the right key", "oct-alg-rs256" },
        { "Fix the alg or use the right key", "okp-alg-es256" },
        { "Fix the alg or use the right key", "ec-alg-eddsa" },
        { "Use one of: HS256", "alg-none" },
        { "Use one of: HS256", "alg-lowercase" },
        { "Use one of: HS256", "alg-rsa-oaep" },
        { "Add \"alg\" to the JWK", "rsa-without-alg" },
        { "Add \"alg\" to the JWK", "oct-without-alg" },
        { "Use a separate key for encryption", "use-enc" },
        { "Use a separate key for encryption", "use-empty" },
        { "must be a string", "use-not-string" },
        { "may allow only \"sign\" and \"verify\"", "key-ops-encrypt" },
        { "may allow only \"sign\" and \"verify\"", "key-ops-wrap" },
        { "allow neither verifying nor signing", "key-ops-sign-on-public-key" },
        { "allow neither verifying nor signing", "key-ops-empty" },
        { "twice", "key-ops-repeated" },
        { "not an array of strings", "key-ops-not-array" },
        { "not a string", "key-ops-number" },
        { "Add kty", "kty-missing" },
        { "RSA, EC, OKP (Ed25519) or oct (HMAC)", "kty-unknown" },
        { "RSA, EC, OKP (Ed25519) or oct (HMAC)", "kty-lowercase-rsa" },
        { "Add the curve name", "ec-crv-missing" },
        { "missing \"n\"", "rsa-n-missing" },
        { "canonical base64url", "rsa-n-padded" },
        { "canonical base64url", "rsa-n-standard-alphabet" },
        { "canonical base64url", "hs256-k-with-whitespace" },
        { "must be a string", "kid-number" },
        { "omit it to use the RFC 7638 thumbprint", "kid-empty" },
        { "omit it to use the RFC 7638 thumbprint", "kid-too-long" },
        { "repeats a member name", "duplicate-member" },
        { "repeats a member name", "duplicate-escaped-member" },
        { "must be a JSON object", "not-an-object" },
    };

    [Theory]
    [MemberData(nameof(BrokenKeys))]
    public void FromJwk_WeakOrInconsistentKey_ThrowsKeyRejectedNamingTheFix(string fix, string scenario)
    {
        var jwk = BrokenKey(scenario);

        var e = Assert.Throws<KeyRejectedException>(() => JsonWebKey.FromJwk(jwk));

        Assert.Contains(fix, e.Message, StringComparison.Ordinal);
    }

    // Encryption keys beside signing keys are left out of a set instead (Parse_KeySetWithEncryptionKey_KeepsOnlySigningKeys).
    public static TheoryData<string, string> BrokenSigningKeys
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var row in BrokenKeys)
            {
                if (row[1] is not ("use-enc" or "alg-rsa-oaep"))
                {
                    data.Add((string)row[0], (string)row[1]);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(BrokenSigningKeys))]
    public void Parse_KeySetHoldingABrokenKey_ThrowsKeyRejected(string fix, string scenario)
    {
        var jwk = BrokenKey(scenario);

        var e = Assert.Throws<KeyRejectedException>(() => JsonWebKeySet.Parse($$"""{"keys":[{{Jwk.Public("ES256").With("kid", "fine")}},{{jwk}}]}"""));

        Assert.Contains(fix, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("use-enc")]
    [InlineData("alg-rsa-oaep")]
    public void Parse_KeySetWithEncryptionKey_KeepsOnlySigningKeys(string scenario)
    {
        var set = JsonWebKeySet.Parse($$"""{"keys":[{{Jwk.Public("ES256").With("kid", "fine")}},{{BrokenKey(scenario)}}]}""");
        Assert.Equal(["fine"], set.Keys.Select(k => k.Kid));

        var onlyEncryption = Assert.Throws<KeyRejectedException>(() => JsonWebKeySet.Parse($$"""{"keys":[{{BrokenKey(scenario)}}]}"""));
        Assert.Contains("no signing keys", onlyEncryption.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("PS512")]
    [InlineData("ES256")]
    [InlineData("ES384")]
    [InlineData("ES512")]
    [InlineData("EdDSA")]
    [InlineData("HS256")]
    [InlineData("HS512")]
    public void FromJwk_SoundKey_LoadsBoundToItsAlgorithm(string alg)
    {
        var key = JsonWebKey.FromJwk(Jwk.Private(alg).ToJsonString());

        Assert.Equal(alg, key.Algorithm.Name);
        Assert.True(key.HasPrivateKey);
        Assert.Equal(key.Thumbprint, key.Kid);
    }

    [Fact]
    public void FromJwk_KeyWithoutAlgAndACallerAlgorithm_IsBoundToTheCallersAlgorithm()
    {
        var jwk = Jwk.Public("RS256").Without("alg", "use").ToJsonString();

        Assert.Same(JwsAlgorithm.PS384, JsonWebKey.FromJwk(jwk, JwsAlgorithm.PS384).Algorithm);
        Assert.Same(JwsAlgorithm.ES256, JsonWebKey.FromJwk(Jwk.Public("ES256").Without("alg").ToJsonString()).Algorithm);
        Assert.Throws<KeyRejectedException>(() => JsonWebKey.FromJwk(jwk, JwsAlgorithm.ES256));
    }

    [Fact]
    public void FromJwk_FullySpecifiedAlgEd25519_IsBoundToEdDSA()
    {
        var key = JsonWebKey.FromJwk(Jwk.Public("EdDSA").With("alg", "Ed25519").ToJsonString());

        Assert.Same(JwsAlgorithm.EdDSA, key.Algorithm);
        Assert.Contains("\"alg\":\"EdDSA\"", key.ToPublicJwk(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromSecret_ShortSecret_ThrowsNamingTheGenerateCommand()
    {
        var e = Assert.Throws<KeyRejectedException>(() => JsonWebKey.FromSecret(new byte[31], JwsAlgorithm.HS256));

        Assert.Contains("tessera keys generate --alg HS256", e.Message, StringComparison.Ordinal);
        Assert.Equal(32 * 8, JsonWebKey.FromSecret(new byte[32], JwsAlgorithm.HS256).KeySizeBits);
    }

    private static string BrokenKey(string scenario)
    {
        var rsa = Jwk.Private("RS256");
        var rsaPublic = Jwk.Public("RS256");
        var ec = Jwk.Public("ES256");
        var ed = Jwk.Private("EdDSA");
        var oct = Jwk.Private("HS256");
        JsonNode jwk = scenario switch
        {
            "rsa-1024" => RsaOfSize(1024),
            "rsa-2040" => rsaPublic.With("n", rsaPublic.Bytes("n")[1..]),
            "rsa-e-3" => rsaPublic.With("e", "Aw"),
            "rsa-e-1" => rsaPublic.With("e", "AQ"),
            "rsa-e-2^32+1" => rsaPublic.With("e", "AQAAAAE"),
            "rsa-even-modulus" => rsaPublic.With("n", [.. rsaPublic.Bytes("n")[..^1], (byte)(rsaPublic.Bytes("n")[^1] & 0xFE)]),
            "rsa-private-of-another-key" => rsa.With("d", Jwk.Private("PS256").Bytes("d")),
            "rsa-private-without-crt" => rsa.Without("p", "q", "dp", "dq", "qi"),
            "rsa-oth" => rsa.With("oth", new JsonArray()),
            "hs256-16-bytes" => oct.With("k", new byte[16]),
            "hs256-31-bytes" => oct.With("k", new byte[31]),
            "hs512-32-bytes" => oct.With("k", new byte[32]).With("alg", "HS512"),
            "hs384-empty" => oct.With("k", "").With("alg", "HS384"),
            "ec-point-off-curve" => ec.With("y", Flip(ec.Bytes("y"))),
            "ec-point-at-origin" => ec.With("x", new byte[32]).With("y", new byte[32]),
            "ec-point-of-p256-padded-to-p384" => ec.With("crv", "P-384").With("alg", "ES384")
                .With("x", [.. new byte[16], .. ec.Bytes("x")]).With("y", [.. new byte[16], .. ec.Bytes("y")]),
            "ec-x-short" => ec.With("x", ec.Bytes("x")[1..]),
            "ec-x-with-leading-zero" => ec.With("x", [0, .. ec.Bytes("x")]),
            "ec-private-of-another-key" => ec.With("d", Jwk.Private("ES256").Bytes("d").Select(b => (byte)(b ^ 0x5A)).ToArray()),
            "ec-crv-p192" => ec.Without("alg").With("crv", "P-192").With("x", new byte[24]).With("y", new byte[24]),
            "ec-crv-secp256k1" => ec.Without("alg").With("crv", "secp256k1"),
            "ed25519-x-short" => ed.With("x", ed.Bytes("x")[1..]),
            "ed25519-private-of-another-key" => ed.With("d", Flip(ed.Bytes("d"))),
            "okp-crv-x25519" => ed.Without("d", "alg").With("crv", "X25519"),
            "ec-p256-alg-es384" => ec.With("alg", "ES384"),
            "rsa-alg-es256" => rsaPublic.With("alg", "ES256"),
            "rsa-alg-hs256" => rsaPublic.With("alg", "HS256"),
            "oct-alg-rs256" => oct.With("alg", "RS256"),
            "okp-alg-es256" => ed.With("alg", "ES256"),
            "ec-alg-eddsa" => ec.With("alg", "EdDSA"),
            "alg-none" => oct.With("alg", "none"),
            "alg-lowercase" => oct.With("alg", "hs256"),
            "alg-rsa-oaep" => rsaPublic.With("alg", "RSA-OAEP"),
            "rsa-without-alg" => rsaPublic.Without("alg"),
            "oct-without-alg" => oct.Without("alg"),
            "use-enc" => ec.With("use", "enc"),
            "use-empty" => ec.With("use", ""),
            "use-not-string" => ec.With("use", 1),
            "key-ops-encrypt" => ec.With("key_ops", new JsonArray("verify", "encrypt")),
            "key-ops-wrap" => oct.With("key_ops", new JsonArray("wrapKey")),
            "key-ops-sign-on-public-key" => ec.With("key_ops", new JsonArray("sign")),
            "key-ops-empty" => ec.With("key_ops", new JsonArray()),
            "key-ops-repeated" => ec.With("key_ops", new JsonArray("verify", "verify")),
            "key-ops-not-array" => ec.With("key_ops", "verify"),
            "key-ops-number" => ec.With("key_ops", new JsonArray(1)),
            "kty-missing" => ec.Without("kty"),
            "kty-unknown" => ec.With("kty", "DSA"),
            "kty-lowercase-rsa" => rsaPublic.With("kty", "rsa"),
            "ec-crv-missing" => ec.Without("crv"),
            "rsa-n-missing" => rsaPublic.Without("n"),
            "rsa-n-padded" => rsaPublic.With("n", (string)rsaPublic["n"]! + "=="),
            "rsa-n-standard-alphabet" => rsaPublic.With("n", StandardAlphabet(rsaPublic.Bytes("n"))),
            "hs256-k-with-whitespace" => oct.With("k", ((string)oct["k"]!).Insert(8, " ")),
            "kid-number" => ec.With("kid", 7),
            "kid-empty" => ec.With("kid", ""),
            "kid-too-long" => ec.With("kid", new string('k', JsonWebKey.MaxKidLength + 1)),
            "not-an-object" => new JsonArray(ec),
            "duplicate-member" or "duplicate-escaped-member" => ec,
            _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null),
        };

        return scenario switch
        {
            "duplicate-member" => jwk.ToJsonString()[..^1] + ",\"kty\":\"EC\"}",
            "duplicate-escaped-member" => jwk.ToJsonString()[..^1] + ",\"\\u006bty\":\"EC\"}",
            _ => jwk.ToJsonString(),
        };
    }

    private static JsonObject RsaOfSize(int bits)
    {
        using var rsa = RSA.Create(bits);
        var p = rsa.ExportParameters(false);
        return new JsonObject { ["kty"] = "RSA", ["alg"] = "RS256", ["n"] = Base64Url.Encode(p.Modulus), ["e"] = Base64Url.Encode(p.Exponent) };
    }

    private static string StandardAlphabet(byte[] value)
    {
        var text = Convert.ToBase64String(value).TrimEnd('=');
        return text.Contains('+', StringComparison.Ordinal) || text.Contains('/', StringComparison.Ordinal) ? text : "+" + text[1..];
    }

    private static byte[] Flip(byte[] value)
    {
        var copy = value.ToArray();
        copy[^1] ^= 0x01;
        return copy;
    }
}
