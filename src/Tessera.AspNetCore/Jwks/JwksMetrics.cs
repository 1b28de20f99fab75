using System.Diagnostics.Metrics;

namespace Tessera.AspNetCore.Jwks;

/// <summary>The JWKS client's instruments on the <c>Tessera</c> meter.</summary>
internal sealed class JwksMetrics : IDisposable
{
    public const string MeterName = "Tessera";
    public const string FetchesName = "tessera.jwks.fetches";
    public const string ResultTag = "tessera.result";
    public const string ErrorTypeTag = "error.type";
    public const string TriggerTag = "tessera.jwks.trigger";

    private readonly Meter? _ownedMeter;
    private readonly Counter<long> _fetches;

    public JwksMetrics(IMeterFactory? meterFactory)
    {
        Meter meter;
        if (meterFactory is null)
        {
            meter = _ownedMeter = new Meter(MeterName);
        }
        else
        {
            meter = meterFactory.Create(MeterName);
        }

        _fetches = meter.CreateCounter<long>(
            FetchesName,
            unit: "{fetch}",
            description: "JWK Set fetches by the JWKS client, by result; error.type says why a fetch failed or its set was refused.");
    }

    public void Fetched(string trigger) =>
        _fetches.Add(1, new KeyValuePair<string, object?>(ResultTag, "success"), new KeyValuePair<string, object?>(TriggerTag, trigger));

    public void Failed(string trigger, string errorType) =>
        _fetches.Add(
            1,
            new KeyValuePair<string, object?>(ResultTag, "failure"),
            new KeyValuePair<string, object?>(ErrorTypeTag, errorType),
            new KeyValuePair<string, object?>(TriggerTag, trigger));

    public void Dispose() => _ownedMeter?.Dispose();
}
