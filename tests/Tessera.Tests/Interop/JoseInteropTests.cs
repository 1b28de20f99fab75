using System.Text;
using System.Text.Json.Nodes;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Interop;

/// <summary>
/// Cross-checks with panva/jose (npm, v6) in both directions: jose signs with keys it generates and Tessera verifies
/// with the exported public JWK; Tessera signs and jose verifies with Tessera's published JWK. Each direction runs
/// node once for all algorithms (see <see cref="JoseInteropFixture"/>).
/// </summary>
public class JoseInteropTests(JoseInteropTests.JoseInteropFixture fixture) : IClassFixture<JoseInteropTests.JoseInteropFixture>
{
    /// <summary>Every algorithm of the table, plus the fully-specified name "Ed25519" in the header.</summary>
    public static TheoryData<string> HeaderAlgorithms => new(HeaderAlgorithmNames);

    private static string[] HeaderAlgorithmNames => [.. JwsAlgorithm.All.Select(a => a.Name), JwsAlgorithm.Ed25519Name];

    [Theory]
    [MemberData(nameof(HeaderAlgorithms))]
    public void Verify_TokenSignedByJose_IsValid(string alg)
    {
        var signed = fixture.SignedByJose[alg];
        var key = JsonWebKey.FromJwk(signed.Jwk, JwsAlgorithm.Get(alg));

        var result = TestKeys.VerifierFor(key).Verify(signed.Token);

        VerificationAssert.Valid(result);
        Assert.Same(JwsAlgorithm.Get(alg), result.Key!.Algorithm);
        var payload = signed.Token.AsSpan(result.PayloadStart, result.PayloadLength).ToString();
        Assert.Equal(TestTokens.Payload, Encoding.UTF8.GetString(Base64Url.DecodeOrNull(payload)!));
    }

    [Theory]
    [MemberData(nameof(HeaderAlgorithms))]
    public void Verify_TokenSignedByJoseWithOneSignatureBitFlipped_IsSignatureInvalid(string alg)
    {
        var signed = fixture.SignedByJose[alg];
        var key = JsonWebKey.FromJwk(signed.Jwk, JwsAlgorithm.Get(alg));
        var signature = TestTokens.SignatureBytes(signed.Token);
        signature[signature.Length / 2] ^= 0x04;

        VerificationAssert.Rejected("signature_invalid", TestKeys.VerifierFor(key).Verify(TestTokens.WithSignature(signed.Token, signature)));
    }

    [Theory]
    [MemberData(nameof(HeaderAlgorithms))]
    public void JoseCompactVerify_TokenSignedByTessera_IsValid(string alg)
    {
        var verified = fixture.VerifiedByJose[alg];

        Assert.True((bool)verified.Valid["valid"]!, verified.Valid.ToJsonString());
        Assert.Equal(TestTokens.Payload, (string?)verified.Valid["payload"]);
        Assert.Equal(alg, (string?)verified.Valid["header"]!["alg"]);
    }

    [Theory]
    [MemberData(nameof(HeaderAlgorithms))]
    public void JoseCompactVerify_TokenSignedByTesseraThenTampered_IsRejected(string alg)
    {
        var verified = fixture.VerifiedByJose[alg];

        Assert.False((bool)verified.Tampered["valid"]!, verified.Tampered.ToJsonString());
        Assert.Equal("ERR_JWS_SIGNATURE_VERIFICATION_FAILED", (string?)verified.Tampered["code"]);
    }

    public sealed record SignedToken(string Token, string Jwk);

    public sealed record Verified(JsonObject Valid, JsonObject Tampered);

    /// <summary>Runs node twice for the whole class: once to sign with jose, once to verify with jose.</summary>
    public sealed class JoseInteropFixture
    {
        public JoseInteropFixture()
        {
            var algorithms = HeaderAlgorithmNames.ToList();
            SignedByJose = SignWithJose(algorithms);
            VerifiedByJose = VerifyWithJose(algorithms);
        }

        public IReadOnlyDictionary<string, SignedToken> SignedByJose { get; }

        public IReadOnlyDictionary<string, Verified> VerifiedByJose { get; }

        private static Dictionary<string, SignedToken> SignWithJose(List<string> algorithms)
        {
            // The Ed25519-named token goes without kid, so Tessera finds the key by its algorithm alone.
            var requests = new JsonArray([.. algorithms.Select(alg => (JsonNode)new JsonObject
            {
                ["alg"] = alg,
                ["kid"] = alg == JwsAlgorithm.Ed25519Name ? null : "jose-" + alg,
                ["typ"] = "JWT",
                ["payload"] = TestTokens.Payload,
            })]);

            var results = NodeScript.Run("jose-sign.mjs", new JsonObject { ["tokens"] = requests })["results"]!.AsArray();

            Assert.Equal(algorithms.Count, results.Count);
            return results.ToDictionary(r => (string)r!["alg"]!, r => new SignedToken((string)r!["token"]!, r["jwk"]!.ToJsonString()));
        }

        private static Dictionary<string, Verified> VerifyWithJose(List<string> algorithms)
        {
            var requests = new JsonArray();
            foreach (var alg in algorithms)
            {
                var key = TestKeys.For(JwsAlgorithm.Get(alg));
                var token = alg == JwsAlgorithm.Ed25519Name
                    ? TestTokens.SignWithHeader(key, $$"""{"alg":"Ed25519","kid":"{{key.Kid}}"}""")
                    : TestTokens.Sign(key);
                var jwk = JsonNode.Parse(key.IsSymmetric ? key.ToPrivateJwkUnsafe() : key.ToPublicJwk())!.AsObject();
                if (alg == JwsAlgorithm.Ed25519Name)
                {
                    jwk.Remove("alg"); // the published JWK says EdDSA; the token uses the other name of the same algorithm
                }

                var parts = TestTokens.Segments(token);
                var tampered = $"{parts[0]}.{TestTokens.B64("""{"sub":"admin"}""")}.{parts[2]}";
                requests.Add(new JsonObject { ["alg"] = alg, ["jwk"] = jwk, ["token"] = token });
                requests.Add(new JsonObject { ["alg"] = alg, ["jwk"] = jwk.DeepClone(), ["token"] = tampered });
            }

            var results = NodeScript.Run("jose-verify.mjs", new JsonObject { ["tokens"] = requests })["results"]!.AsArray();

            Assert.Equal(algorithms.Count * 2, results.Count);
            return algorithms
                .Select((alg, i) => (alg, new Verified(results[2 * i]!.AsObject(), results[(2 * i) + 1]!.AsObject())))
                .ToDictionary(p => p.alg, p => p.Item2);
        }
    }
}
