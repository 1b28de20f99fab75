using System.Diagnostics;
using System.Diagnostics.Metrics;
using Tessera.Telemetry;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Bearer;

/// <summary>Validation metrics of the bearer handler on the <c>Tessera</c> meter: duration by result, reason and kind.</summary>
public sealed class TesseraBearerMetrics
{
    private readonly Histogram<double> _duration;

    /// <summary>Creates the instruments through <paramref name="meterFactory"/>.</summary>
    public TesseraBearerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(TesseraTelemetry.MeterName);
        _duration = meter.CreateHistogram<double>(
            TesseraTelemetry.ValidationDuration,
            "s",
            "Duration of bearer token validation, by result, failure reason and token kind.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1] });
    }

    internal void Validated(TokenKind kind, FailureReason? failure, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { TesseraTelemetry.Result, failure is null ? "success" : "failure" },
            { TesseraTelemetry.TokenKind, KindName(kind) },
        };
        if (failure is { } reason)
        {
            tags.Add(TesseraTelemetry.ErrorType, reason.ToCode());
            tags.Add(TesseraTelemetry.FailureReason, reason.ToCode());
        }

        _duration.Record(elapsed.TotalSeconds, tags);
    }

    internal static string KindName(TokenKind kind) => kind switch
    {
        TokenKind.Access => "access",
        TokenKind.Id => "id",
        TokenKind.Service => "service",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
