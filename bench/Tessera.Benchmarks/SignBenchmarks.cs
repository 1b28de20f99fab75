using BenchmarkDotNet.Attributes;

namespace Tessera.Benchmarks;

/// <summary>
/// Signing the same claims per algorithm. The floor signs the already-encoded signing input into a
/// stack buffer; every library builds the header, encodes, signs and returns the token text.
/// </summary>
public class SignBenchmarks : IDisposable
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
    public int Floor() => _floor.Sign();

    [Benchmark]
    public string Tessera() => Jose.JwsWriter.Sign(_fixture.TesseraSigningKey, _fixture.Payload, AlgorithmFixture.AccessTokenType);

    [Benchmark]
    public string MicrosoftIdentityModel() => _microsoft!.Sign();

    [Benchmark]
    public string JoseJwt() => _joseJwt!.Sign();

    [Benchmark]
    public string JwtNet() => _jwtNet!.Sign();

    [GlobalCleanup]
    public void Dispose()
    {
        _floor?.Dispose();
        _fixture?.Dispose();
        GC.SuppressFinalize(this);
    }
}
