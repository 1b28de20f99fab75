using System.Diagnostics.Metrics;
using Tessera.AspNetCore.Diagnostics;
using Tessera.Telemetry;

namespace Tessera.AspNetCore.Introspection;

/// <summary>The introspection client's instruments on the <c>Tessera</c> meter.</summary>
internal sealed class IntrospectionMetrics
{
    private readonly Counter<long> _lookups;
    private readonly Histogram<double> _duration;

    public IntrospectionMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TesseraTelemetry.MeterName);
        _lookups = meter.CreateCounter<long>(
            TesseraResourceServerTelemetry.IntrospectionLookups,
            "{lookup}",
            "Introspection lookups for high-risk requests, by answer (active, inactive, error) and whether the short cache answered.");
        _duration = meter.CreateHistogram<double>(
            TesseraResourceServerTelemetry.IntrospectionDuration,
            "s",
            "Duration of one introspection request to the token service, by answer.");
    }

    public void Lookup(IntrospectionStatus status, bool cached) =>
        _lookups.Add(
            1,
            new KeyValuePair<string, object?>(TesseraTelemetry.Result, Name(status)),
            new KeyValuePair<string, object?>(TesseraResourceServerTelemetry.Cache, cached ? "hit" : "miss"));

    public void Requested(IntrospectionStatus status, TimeSpan elapsed) =>
        _duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(TesseraTelemetry.Result, Name(status)));

    private static string Name(IntrospectionStatus status) => status switch
    {
        IntrospectionStatus.Active => "active",
        IntrospectionStatus.Inactive => "inactive",
        _ => "error",
    };
}
