using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tessera.AspNetCore.Diagnostics;

namespace Tessera.AspNetCore.Tests.Diagnostics;

public sealed class FailureSignalAnalyzerTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly FakeLogger<FailureSignalAnalyzer> _logger = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MetricCollector<long> _findings;

    public FailureSignalAnalyzerTests()
    {
        _findings = new MetricCollector<long>(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "Tessera", "tessera.diagnostics.findings");
    }

    public void Dispose()
    {
        _findings.Dispose();
        _services.Dispose();
    }

    private FailureSignalAnalyzer Create(Action<FailureSignalAnalyzerOptions>? configure = null)
    {
        var options = new FailureSignalAnalyzerOptions();
        configure?.Invoke(options);
        return new FailureSignalAnalyzer(Options.Create(options), _time, _logger, new DiagnosticsMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
    }

    private FailureSignal TimeFailure(string client, double offsetSeconds, FailureReason reason = FailureReason.IssuedInFuture) =>
        new(reason, "10.0.0.1", client, "k1", "ES256", IssuedAt: _time.GetUtcNow().AddSeconds(offsetSeconds));

    [Theory]
    [InlineData(90)]
    [InlineData(-420)]
    [InlineData(45)]
    public void ClockDrift_SteadyOffset_EstimatedAndReported(double offset)
    {
        var analyzer = Create();
        for (var i = 0; i < 6; i++)
        {
            // Tokens arrive 0–500 ms after they were issued: the estimate may be low by that much.
            analyzer.Observe(TimeFailure("mobile-app", offset - (i * 0.1), offset > 0 ? FailureReason.IssuedInFuture : FailureReason.Expired));
            _time.Advance(TimeSpan.FromSeconds(7));
        }

        var estimate = analyzer.EstimateClockDrift("mobile-app");

        Assert.NotNull(estimate);
        Assert.InRange(estimate.OffsetSeconds, offset - 1, offset + 1);
        var finding = Assert.Single(analyzer.GetFindings());
        Assert.Equal(FindingKinds.ClockDrift, finding.Kind);
        Assert.Equal("client", finding.SubjectType);
        Assert.Equal("mobile-app", finding.Key);
        Assert.InRange(finding.EstimatedOffsetSeconds!.Value, offset - 1, offset + 1);
    }

    [Fact]
    public void ClockDrift_FewerSamplesThanMinimum_NoEstimate()
    {
        var analyzer = Create();
        for (var i = 0; i < 4; i++)
        {
            analyzer.Observe(TimeFailure("c", 90));
        }

        Assert.Null(analyzer.EstimateClockDrift("c"));
        Assert.Empty(analyzer.GetFindings());
    }

    [Fact]
    public void ClockDrift_ScatteredOffsets_EstimatedButNotReported()
    {
        // Tokens used long after they expired, by varying amounts: not a clock problem.
        var analyzer = Create();
        foreach (var offset in new[] { -400, -900, -1500, -2600, -3300, -700 })
        {
            analyzer.Observe(TimeFailure("lazy-client", offset, FailureReason.Expired));
        }

        Assert.NotNull(analyzer.EstimateClockDrift("lazy-client"));
        Assert.Empty(analyzer.GetFindings());
    }

    [Fact]
    public void ClockDrift_SamplesOlderThanWindow_Forgotten()
    {
        var analyzer = Create(o => o.ClockDriftWindow = TimeSpan.FromMinutes(5));
        for (var i = 0; i < 5; i++)
        {
            analyzer.Observe(TimeFailure("c", 90));
        }

        _time.Advance(TimeSpan.FromMinutes(6));

        Assert.Null(analyzer.EstimateClockDrift("c"));
    }

    [Fact]
    public void SignatureFailures_BurstFromOneSource_ReportedOnceAndCounted()
    {
        var analyzer = Create();
        for (var i = 0; i < 25; i++)
        {
            analyzer.Observe(new FailureSignal(FailureReason.SignatureInvalid, "203.0.113.9", Kid: "k1", Algorithm: "ES256"));
        }

        var finding = Assert.Single(analyzer.GetFindings());
        Assert.Equal(FindingKinds.SignatureFailureBurst, finding.Kind);
        Assert.Equal("source", finding.SubjectType);
        Assert.Equal("203.0.113.9", finding.Key);
        Assert.Equal(16, finding.Count); // raised at the 10th, then each further failure
        Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Id == 2301);
        Assert.Single(_findings.GetMeasurementSnapshot());
    }

    [Fact]
    public void SignatureFailures_SpreadBeyondWindow_NotABurst()
    {
        var analyzer = Create();
        for (var i = 0; i < 30; i++)
        {
            analyzer.Observe(new FailureSignal(FailureReason.SignatureInvalid, "203.0.113.9"));
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.Empty(analyzer.GetFindings());
    }

    [Fact]
    public void SignatureFailures_FromManySources_NoSingleSourceFlagged()
    {
        var analyzer = Create();
        for (var i = 0; i < 100; i++)
        {
            analyzer.Observe(new FailureSignal(FailureReason.SignatureInvalid, $"198.51.100.{i}"));
        }

        Assert.Empty(analyzer.GetFindings());
    }

    [Theory]
    [InlineData(FailureReason.UnsupportedAlgorithm)]
    [InlineData(FailureReason.AlgorithmNotAllowed)]
    [InlineData(FailureReason.ForbiddenHeader)]
    public void AlgorithmConfusion_ThreeAttempts_Reported(FailureReason reason)
    {
        var analyzer = Create();
        for (var i = 0; i < 3; i++)
        {
            analyzer.Observe(new FailureSignal(reason, "192.0.2.1", Algorithm: "none"));
        }

        Assert.Equal(FindingKinds.AlgorithmConfusion, Assert.Single(analyzer.GetFindings()).Kind);
    }

    [Fact]
    public void UnknownKid_Spike_ReportedPerKid()
    {
        var analyzer = Create();
        for (var i = 0; i < 10; i++)
        {
            analyzer.Observe(new FailureSignal(FailureReason.KeyNotFound, $"10.0.0.{i}", Kid: "2026-03-key"));
        }

        var finding = Assert.Single(analyzer.GetFindings());
        Assert.Equal(FindingKinds.UnknownKidSpike, finding.Kind);
        Assert.Equal("kid", finding.SubjectType);
        Assert.Equal("2026-03-key", finding.Key);
        Assert.Contains("rotation", finding.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FailureReason.WrongAudience, FindingKinds.WrongAudienceStreak)]
    [InlineData(FailureReason.WrongType, FindingKinds.WrongTypeStreak)]
    public void WrongAudienceOrType_StreakFromOneClient_ReportedAsClientBug(FailureReason reason, string kind)
    {
        var analyzer = Create();
        for (var i = 0; i < 5; i++)
        {
            analyzer.Observe(new FailureSignal(reason, "10.0.0.1", "billing-web"));
            _time.Advance(TimeSpan.FromSeconds(20));
        }

        var finding = Assert.Single(analyzer.GetFindings());
        Assert.Equal(kind, finding.Kind);
        Assert.Equal("billing-web", finding.Key);
        Assert.Contains("client", finding.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_AfterRetention_Dropped()
    {
        var analyzer = Create(o => o.FindingRetention = TimeSpan.FromMinutes(10));
        for (var i = 0; i < 3; i++)
        {
            analyzer.Observe(new FailureSignal(FailureReason.UnsupportedAlgorithm, "192.0.2.1"));
        }

        _time.Advance(TimeSpan.FromMinutes(11));

        Assert.Empty(analyzer.GetFindings());
    }

    [Fact]
    public void Findings_StillGrowing_LoggedAgainOnlyAfterReportInterval()
    {
        var analyzer = Create(o => o.ReportInterval = TimeSpan.FromMinutes(5));
        for (var minute = 0; minute < 12; minute++)
        {
            for (var i = 0; i < 3; i++)
            {
                analyzer.Observe(new FailureSignal(FailureReason.UnsupportedAlgorithm, "192.0.2.1"));
            }

            _time.Advance(TimeSpan.FromMinutes(1));
        }

        // Raised at minute 0, again at 5 and 10.
        Assert.Equal(3, _logger.Collector.GetSnapshot().Count(r => r.Id.Id == 2301));
        Assert.Equal(3, _findings.GetMeasurementSnapshot().Count);
    }

    [Fact]
    public void Memory_ManyMoreSourcesAndClientsThanTracked_Bounded()
    {
        var analyzer = Create(o =>
        {
            o.MaxTrackedSources = 100;
            o.MaxTrackedClients = 50;
            o.MaxTrackedKids = 10;
            o.MaxFindings = 20;
            o.AlgorithmConfusionThreshold = 1;
        });
        for (var i = 0; i < 5_000; i++)
        {
            analyzer.Observe(new FailureSignal(FailureReason.UnsupportedAlgorithm, $"2001:db8::{i:x}", $"client-{i}", $"kid-{i}"));
            analyzer.Observe(new FailureSignal(FailureReason.KeyNotFound, $"2001:db8::{i:x}", $"client-{i}", $"kid-{i}"));
            analyzer.Observe(new FailureSignal(FailureReason.Expired, null, $"client-{i}", IssuedAt: _time.GetUtcNow()));
        }

        Assert.True(analyzer.TrackedSources <= 100);
        Assert.True(analyzer.TrackedClients <= 50);
        Assert.True(analyzer.TrackedKids <= 10);
        Assert.True(analyzer.GetFindings().Count <= 20);
    }

    [Fact]
    public void Keys_WithControlCharactersOrTooLong_Sanitised()
    {
        var analyzer = Create(o => o.AlgorithmConfusionThreshold = 1);

        analyzer.Observe(new FailureSignal(FailureReason.KeyNotFound, null, Kid: "evil\r\nkid"));
        analyzer.Observe(new FailureSignal(FailureReason.UnsupportedAlgorithm, new string('x', 1000)));

        Assert.Equal("evil??kid", FailureSignalAnalyzer.Sanitize("evil\r\nkid"));
        Assert.Equal(128, Assert.Single(analyzer.GetFindings()).Key.Length);
    }

    [Fact]
    public void Options_OutOfRange_RefusedWithTheFix()
    {
        var e = Assert.Throws<ArgumentException>(() => Create(o => o.MaxTrackedSources = 0));

        Assert.Contains("MaxTrackedSources", e.Message, StringComparison.Ordinal);
    }
}
