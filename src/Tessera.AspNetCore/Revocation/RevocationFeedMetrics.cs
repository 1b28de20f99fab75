using System.Diagnostics.Metrics;
using Tessera.AspNetCore.Diagnostics;
using Tessera.Telemetry;

namespace Tessera.AspNetCore.Revocation;

/// <summary>The revocation feed subscriber's instruments on the <c>Tessera</c> meter.</summary>
public sealed class RevocationFeedMetrics
{
    private readonly Counter<long> _polls;
    private readonly Counter<long> _events;
    private readonly Histogram<double> _lag;

    /// <summary>Creates the instruments; the staleness gauge observes <paramref name="state"/>.</summary>
    public RevocationFeedMetrics(IMeterFactory meterFactory, RevocationFeedState state)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(state);
        var meter = meterFactory.Create(TesseraTelemetry.MeterName);
        _polls = meter.CreateCounter<long>(
            TesseraResourceServerTelemetry.FeedPolls,
            "{poll}",
            "Polls of the token service's revocation feed, by result; error.type says why one failed.");
        _events = meter.CreateCounter<long>(
            TesseraResourceServerTelemetry.FeedEvents,
            "{event}",
            "Security events received from the revocation feed: applied, refused (not verified or malformed) or ignored (unknown event type).");
        _lag = meter.CreateHistogram<double>(
            TesseraTelemetry.RevocationFeedLag,
            "s",
            "Delay from a revocation event's iat at the token service to its application in this API's revocation index (iat has one-second resolution).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300] });
        meter.CreateObservableGauge(
            TesseraResourceServerTelemetry.FeedStaleness,
            () => state.Staleness is { } age ? [new Measurement<double>(age.TotalSeconds)] : Array.Empty<Measurement<double>>(),
            "s",
            "Time since a poll last confirmed the revocation state current; absent before the first.");
    }

    internal void Polled(string? errorType)
    {
        if (errorType is null)
        {
            _polls.Add(1, new KeyValuePair<string, object?>(TesseraTelemetry.Result, "success"));
        }
        else
        {
            _polls.Add(1, new KeyValuePair<string, object?>(TesseraTelemetry.Result, "failure"), new KeyValuePair<string, object?>(TesseraTelemetry.ErrorType, errorType));
        }
    }

    internal void Event(string result, string eventType, string? errorType = null)
    {
        var tags = new System.Diagnostics.TagList
        {
            { TesseraTelemetry.Result, result },
            { TesseraResourceServerTelemetry.EventType, eventType },
        };
        if (errorType is not null)
        {
            tags.Add(TesseraTelemetry.ErrorType, errorType);
        }

        _events.Add(1, tags);
    }

    internal void Lag(TimeSpan lag, string eventType) =>
        _lag.Record(Math.Max(0, lag.TotalSeconds), new KeyValuePair<string, object?>(TesseraResourceServerTelemetry.EventType, eventType));
}
