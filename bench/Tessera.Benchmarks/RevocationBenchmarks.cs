using BenchmarkDotNet.Attributes;
using Tessera.Revocation;

namespace Tessera.Benchmarks;

/// <summary>
/// The revocation lookup every validation makes (issue 3 target: at most 50 ns with a million entries):
/// an index holding a million denied jtis and a million subject cut-offs, asked about a token that is not
/// revoked (the common case) and about one that is.
/// </summary>
public class RevocationBenchmarks
{
    private InMemoryRevocationIndex _index = null!;
    private string _issuedAfterCutoffSubject = null!;
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        _index = new InMemoryRevocationIndex(maxDeniedTokens: 2_000_000);
        var expiry = DateTimeOffset.UtcNow.AddHours(2);
        var cutoff = DateTimeOffset.UtcNow.AddMinutes(-10);
        for (var i = 0; i < 1_000_000; i++)
        {
            _index.TryDeny($"jti-{i:D8}-denied", expiry);
            _index.RevokeBefore(RevocationScope.Subject, $"user-{i:D8}", cutoff);
        }

        _issuedAfterCutoffSubject = "user-00500000";
        _now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    }

    [Benchmark(Baseline = true)]
    public bool NotRevoked()
    {
        var query = new RevocationQuery(_issuedAfterCutoffSubject, "tenant-1", "web-app", "jti-live-token-0001", _now);
        return _index.IsRevoked(in query);
    }

    [Benchmark]
    public bool DeniedTokenId()
    {
        var query = new RevocationQuery("someone", "tenant-1", "web-app", "jti-00123456-denied", 0);
        return _index.IsRevoked(in query);
    }
}
