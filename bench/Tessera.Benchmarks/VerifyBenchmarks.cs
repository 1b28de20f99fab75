using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.Tokens;

namespace Tessera.Benchmarks;

/// <summary>
/// Verifying one access token per algorithm. The floor is the bare primitive on pre-decoded input; every
/// library gets the token text. Tessera's figure is its JWS verifier: structure, strict base64url, the
/// header rules, key lookup by kid, the algorithm bound to the key, the signature.
/// </summary>
public class VerifyBenchmarks : IDisposable
{
    private AlgorithmFixture _fixture = null!;
    private FloorPrimitives _floor = null!;
    private MicrosoftPeer? _microsoft;
    private JoseJwtPeer? _joseJwt;
    private JwtNetPeer? _jwtNet;

    [ParamsAllValues]
    public Alg Alg { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new AlgorithmFixture(Alg.ToString());
        _floor = new FloorPrimitives(_fixture);
        _microsoft = Libraries.Supports(Libraries.MicrosoftIdentityModel, Alg) ? new MicrosoftPeer(_fixture) : null;
        _joseJwt = Libraries.Supports(Libraries.JoseJwt, Alg) ? new JoseJwtPeer(_fixture) : null;
        _jwtNet = Libraries.Supports(Libraries.JwtNet, Alg) ? new JwtNetPeer(_fixture) : null;
    }

    [Benchmark(Baseline = true)]
    public bool Floor() => _floor.Verify();

    [Benchmark]
    public bool Tessera() => _fixture.TesseraVerifier.Verify(_fixture.Token).IsValid;

    [Benchmark]
    public TokenValidationResult MicrosoftIdentityModel() => _microsoft!.Verify();

    [Benchmark]
    public string JoseJwt() => _joseJwt!.Verify();

    [Benchmark]
    public string JwtNet() => _jwtNet!.Verify();

    [GlobalCleanup]
    public void Dispose()
    {
        _floor?.Dispose();
        _fixture?.Dispose();
        GC.SuppressFinalize(this);
    }
}
