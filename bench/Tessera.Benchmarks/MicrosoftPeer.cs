using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Tessera.Benchmarks;

/// <summary>
/// Microsoft.IdentityModel's <see cref="JsonWebTokenHandler"/>, configured to check what Tessera's JWS
/// verifier checks (algorithm, key, signature) and no claims, so the comparison is signature to signature.
/// </summary>
internal sealed class MicrosoftPeer
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TokenValidationParameters _parameters;
    private readonly SigningCredentials _credentials;
    private readonly Dictionary<string, object> _headers = new() { ["typ"] = AlgorithmFixture.AccessTokenType };
    private readonly string _token;

    public MicrosoftPeer(AlgorithmFixture fixture)
    {
        _token = fixture.Token;
        var (verificationKey, signingKey) = Keys(fixture);
        verificationKey.KeyId = fixture.Kid;
        signingKey.KeyId = fixture.Kid;
        var algorithm = fixture.Name switch
        {
            "HS256" => SecurityAlgorithms.HmacSha256,
            "RS256" => SecurityAlgorithms.RsaSha256,
            "PS256" => SecurityAlgorithms.RsaSsaPssSha256,
            "ES256" => SecurityAlgorithms.EcdsaSha256,
            _ => throw new NotSupportedException(fixture.Name),
        };
        _credentials = new SigningCredentials(signingKey, algorithm);
        _parameters = new TokenValidationParameters
        {
            IssuerSigningKey = verificationKey,
            ValidAlgorithms = [algorithm],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
        };

        var result = Verify();
        if (!result.IsValid)
        {
            throw new InvalidOperationException($"Microsoft.IdentityModel does not verify the {fixture.Name} token.", result.Exception);
        }
    }

    /// <summary>A handler and parameters making the same checks as Tessera's access-token profile.</summary>
    public static (JsonWebTokenHandler Handler, TokenValidationParameters Parameters) FullValidation(AlgorithmFixture fixture, string issuer, string audience)
    {
        var (verificationKey, _) = Keys(fixture);
        verificationKey.KeyId = fixture.Kid;
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKey = verificationKey,
            ValidAlgorithms = [fixture.Name],
            ValidIssuer = issuer,
            ValidAudience = audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            ValidTypes = [AlgorithmFixture.AccessTokenType],
        };
        return (new JsonWebTokenHandler(), parameters);
    }

    public TokenValidationResult Verify() => _handler.ValidateTokenAsync(_token, _parameters).GetAwaiter().GetResult();

    public string Sign() => _handler.CreateToken(AlgorithmFixture.PayloadJson, _credentials, _headers);

    private static (SecurityKey Verification, SecurityKey Signing) Keys(AlgorithmFixture f) => f.Algorithm.KeyType switch
    {
        Jose.KeyType.Oct => (new SymmetricSecurityKey(f.Secret), new SymmetricSecurityKey(f.Secret)),
        Jose.KeyType.Rsa => (new RsaSecurityKey(f.RsaPublic), new RsaSecurityKey(f.RsaPrivate)),
        Jose.KeyType.EC => (new ECDsaSecurityKey(f.EcPublic), new ECDsaSecurityKey(f.EcPrivate)),
        _ => throw new NotSupportedException(f.Name),
    };
}
