using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Jose;
using JsonWebKeySet = Tessera.Keys.JsonWebKeySet;
using Tessera.Revocation;
using Tessera.Tokens;

namespace Tessera.Benchmarks;

/// <summary>
/// Full validation of one access token (issue 3): Tessera's signature check alone is the baseline; next to it
/// Tessera's complete validation (signature, typ, required claims, issuer, audience, exp/nbf/iat, lifetime
/// cap, revocation lookup in an index holding 100,000 entries) and Microsoft.IdentityModel's
/// JsonWebTokenHandler configured with the same checks (issuer, audience, lifetime, algorithm, typ).
/// </summary>
public class ValidationBenchmarks : IDisposable
{
    private const string Issuer = "https://id.example.com";
    private const string Audience = "https://api.example.com";

    private AlgorithmFixture _fixture = null!;
    private string _token = null!;
    private JwsVerifier _verifier = null!;
    private TokenProfile _profile = null!;
    private TokenValidator _validator = null!;
    private JsonWebTokenHandler? _handler;
    private TokenValidationParameters? _parameters;

    [ParamsAllValues]
    public Alg Alg { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new AlgorithmFixture(Alg.ToString());
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = $$"""{"iss":"{{Issuer}}","sub":"5f0c2a8e-43b1-4c6e-9d0a-7b2e1f3c4d5a","aud":"{{Audience}}","exp":{{now + 3000}},"iat":{{now}},"jti":"b1946ac92492d2347c6235b4d2611184","scope":"orders:read orders:write","client_id":"web-app"}""";
        _token = JwsWriter.Sign(_fixture.TesseraSigningKey, Encoding.UTF8.GetBytes(claims), "at+jwt");

        var keys = JsonWebKeySet.Create([_fixture.TesseraVerificationKey]);
        _verifier = new JwsVerifier(keys);
        var revocation = new InMemoryRevocationIndex();
        for (var i = 0; i < 50_000; i++)
        {
            revocation.TryDeny($"denied-{i}", DateTimeOffset.UtcNow.AddHours(1));
            revocation.RevokeBefore(RevocationScope.Subject, $"user-{i}", DateTimeOffset.UtcNow);
        }

        var options = new TokenProfileOptions { Keys = keys, AllowSymmetricKeys = keys.IsSymmetric, Revocation = revocation };
        options.Issuers.Add(Issuer);
        options.Audiences.Add(Audience);
        _profile = TokenProfile.Create(TokenKind.Access, options);
        _validator = new TokenValidator(TimeProvider.System);
        if (!_validator.Validate(_token, _profile).IsValid)
        {
            throw new InvalidOperationException($"Tessera rejects the {Alg} benchmark token: {_validator.Validate(_token, _profile)}");
        }

        if (Libraries.Supports(Libraries.MicrosoftIdentityModel, Alg))
        {
            (_handler, _parameters) = MicrosoftPeer.FullValidation(_fixture, Issuer, Audience);
            var check = _handler.ValidateTokenAsync(_token, _parameters).GetAwaiter().GetResult();
            if (!check.IsValid)
            {
                throw new InvalidOperationException($"Microsoft.IdentityModel rejects the {Alg} benchmark token.", check.Exception);
            }
        }
    }

    [Benchmark(Baseline = true)]
    public bool Tessera() => _verifier.Verify(_token).IsValid;

    [Benchmark]
    public bool TesseraFullValidation() => _validator.Validate(_token, _profile).IsValid;

    [Benchmark]
    public bool MicrosoftIdentityModel() => _handler!.ValidateTokenAsync(_token, _parameters).GetAwaiter().GetResult().IsValid;

    [GlobalCleanup]
    public void Dispose()
    {
        _fixture?.Dispose();
        GC.SuppressFinalize(this);
    }
}
