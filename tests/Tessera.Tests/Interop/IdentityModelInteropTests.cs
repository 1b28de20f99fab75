using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Jose;
using Tessera.Tests.Support;
using MsJsonWebKey = Microsoft.IdentityModel.Tokens.JsonWebKey;
using TesseraJsonWebKey = Tessera.Keys.JsonWebKey;

namespace Tessera.Tests.Interop;

/// <summary>
/// Cross-checks with Microsoft.IdentityModel.JsonWebTokens in both directions. It has no EdDSA, so the table is every
/// algorithm but that one (jose covers EdDSA in <see cref="JoseInteropTests"/>).
/// </summary>
public class IdentityModelInteropTests
{
    public static TheoryData<string> Algorithms => new(JwsAlgorithm.All.Where(a => a != JwsAlgorithm.EdDSA).Select(a => a.Name));

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_TokenCreatedByJsonWebTokenHandler_IsValid(string alg)
    {
        var algorithm = JwsAlgorithm.Get(alg);
        var (signingKey, tesseraKey) = ForeignKey(algorithm, "ms-" + alg);
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://id.example",
            Audience = "api://orders",
            Claims = new Dictionary<string, object> { ["sub"] = "alice" },
            SigningCredentials = new SigningCredentials(signingKey, alg),
        });

        var result = TestKeys.VerifierFor(tesseraKey).Verify(token);

        VerificationAssert.Valid(result);
        Assert.Equal("ms-" + alg, result.Key!.Kid);
        Assert.Equal("JWT", result.Type);
        using var payload = JsonDocument.Parse(Base64Url.DecodeOrNull(token.Substring(result.PayloadStart, result.PayloadLength)));
        Assert.Equal("alice", payload.RootElement.GetProperty("sub").GetString());
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_TokenCreatedByJsonWebTokenHandlerWithAnotherKey_IsSignatureInvalid(string alg)
    {
        var algorithm = JwsAlgorithm.Get(alg);
        var (signingKey, _) = ForeignKey(algorithm, "ms-shared");
        var (_, otherTesseraKey) = ForeignKey(algorithm, "ms-shared");
        var token = new JsonWebTokenHandler().CreateToken("""{"sub":"alice"}""", new SigningCredentials(signingKey, alg));

        VerificationAssert.Rejected("signature_invalid", TestKeys.VerifierFor(otherTesseraKey).Verify(token));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task ValidateTokenAsync_TokenSignedByTesseraWithItsPublishedJwk_IsValid(string alg)
    {
        var key = TestKeys.For(JwsAlgorithm.Get(alg));
        var published = new MsJsonWebKey(key.IsSymmetric ? key.ToPrivateJwkUnsafe() : key.ToPublicJwk());

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(TestTokens.Sign(key), Parameters(published, alg));

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("alice", result.Claims["sub"]);
        Assert.Equal(key.Kid, ((JsonWebToken)result.SecurityToken).Kid);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task ValidateTokenAsync_TokenSignedByTesseraThenTampered_IsInvalid(string alg)
    {
        var key = TestKeys.For(JwsAlgorithm.Get(alg));
        var published = new MsJsonWebKey(key.IsSymmetric ? key.ToPrivateJwkUnsafe() : key.ToPublicJwk());
        var parts = TestTokens.Segments(TestTokens.Sign(key));
        var tampered = $"{parts[0]}.{TestTokens.B64("""{"sub":"admin","exp":4102444800}""")}.{parts[2]}";

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(tampered, Parameters(published, alg));

        Assert.False(result.IsValid);
        Assert.IsType<SecurityTokenInvalidSignatureException>(result.Exception, exactMatch: false);
    }

    private static TokenValidationParameters Parameters(SecurityKey key, string alg) => new()
    {
        IssuerSigningKey = key,
        ValidAlgorithms = [alg],
        ValidateIssuer = false,
        ValidateAudience = false,
        ValidateLifetime = false,
        RequireExpirationTime = false,
        RequireSignedTokens = true,
        TryAllIssuerSigningKeys = false,
    };

    /// <summary>A key made outside Tessera: the IdentityModel signing key and the same key as Tessera loads it (public half).</summary>
    private static (SecurityKey Signing, TesseraJsonWebKey Verifying) ForeignKey(JwsAlgorithm algorithm, string kid)
    {
        switch (algorithm.KeyType)
        {
            case KeyType.Oct:
                var secret = RandomNumberGenerator.GetBytes(algorithm.SignatureSize);
                return (new SymmetricSecurityKey(secret) { KeyId = kid }, TesseraJsonWebKey.FromSecret(secret, algorithm, kid));
            case KeyType.Rsa:
                var rsa = RSA.Create(2048);
                return (new RsaSecurityKey(rsa) { KeyId = kid }, TesseraJsonWebKey.FromPem(rsa.ExportSubjectPublicKeyInfoPem(), algorithm, kid));
            default:
                var ecdsa = ECDsa.Create(ECCurve.CreateFromFriendlyName(algorithm.Curve switch { "P-256" => "nistP256", "P-384" => "nistP384", _ => "nistP521" }));
                return (new ECDsaSecurityKey(ecdsa) { KeyId = kid }, TesseraJsonWebKey.FromPem(ecdsa.ExportSubjectPublicKeyInfoPem(), algorithm, kid));
        }
    }
}
