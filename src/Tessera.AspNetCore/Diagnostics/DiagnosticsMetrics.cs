using System.Diagnostics.Metrics;
using Tessera.Telemetry;

namespace Tessera.AspNetCore.Diagnostics;

/// <summary>The failure-signal analyser's instrument on the <c>Tessera</c> meter.</summary>
public sealed class DiagnosticsMetrics
{
    private readonly Counter<long> _findings;

    /// <summary>Creates the instrument through <paramref name="meterFactory"/>.</summary>
    public DiagnosticsMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _findings = meterFactory.Create(TesseraTelemetry.MeterName).CreateCounter<long>(
            TesseraResourceServerTelemetry.Findings,
            "{finding}",
            "Findings raised (or raised again after the report interval) by the failure-signal analyser, by kind.");
    }

    internal void FindingRaised(string kind) =>
        _findings.Add(1, new KeyValuePair<string, object?>(TesseraResourceServerTelemetry.FindingKind, kind));
}
