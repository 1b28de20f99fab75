using System.Diagnostics;
using System.Diagnostics.Metrics;
using Tessera.AspNetCore.Diagnostics;
using Tessera.Telemetry;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Bearer;

/// <summary>
/// The bearer handler's instruments on the <c>Tessera</c> meter: validations and their duration by result, reason,
/// token kind and scheme, and requests refused because demanded revocation checks were unavailable.
/// </summary>
public sealed class TesseraBearerMetrics
{
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _validations;
    private readonly Counter<long> _failedClosed;

    /// <summary>Creates the instruments through <paramref name="meterFactory"/>.</summary>
    public TesseraBearerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(TesseraTelemetry.MeterName);
        _duration = meter.CreateHistogram<double>(
            TesseraTelemetry.ValidationDuration,
            "s",
            "Duration of bearer token validation, by result, failure reason, token kind and scheme.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1] });
        _validations = meter.CreateCounter<long>(
            TesseraResourceServerTelemetry.Validations,
            "{validation}",
            "Bearer token validations, by result, failure reason, token kind and scheme.");
        _failedClosed = meter.CreateCounter<long>(
            TesseraResourceServerTelemetry.FailedClosed,
            "{request}",
            "Requests refused with 503 because the endpoint demands fresh revocation state or live introspection and it was unavailable.");
    }

    internal void Validated(TokenKind kind, string scheme, FailureReason? failure, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { TesseraTelemetry.Result, failure is null ? "success" : "failure" },
            { TesseraTelemetry.TokenKind, KindName(kind) },
            { TesseraResourceServerTelemetry.Scheme, scheme },
        };
        if (failure is { } reason)
        {
            tags.Add(TesseraTelemetry.ErrorType, reason.ToCode());
            tags.Add(TesseraTelemetry.FailureReason, reason.ToCode());
        }

        _duration.Record(elapsed.TotalSeconds, tags);
        _validations.Add(1, tags);
    }

    internal void FailedClosed(string errorType, string scheme) =>
        _failedClosed.Add(
            1,
            new KeyValuePair<string, object?>(TesseraTelemetry.ErrorType, errorType),
            new KeyValuePair<string, object?>(TesseraResourceServerTelemetry.Scheme, scheme));

    internal static string KindName(TokenKind kind) => kind switch
    {
        TokenKind.Access => "access",
        TokenKind.Id => "id",
        TokenKind.Service => "service",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
