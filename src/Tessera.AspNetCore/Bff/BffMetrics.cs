using System.Diagnostics;
using System.Diagnostics.Metrics;
using Tessera.Telemetry;

namespace Tessera.AspNetCore.Bff;

/// <summary>
/// The BFF's instruments on the <c>Tessera</c> meter. Attributes are fixed reason codes and results — never a session id,
/// a subject or a token.
/// </summary>
internal sealed class BffMetrics
{
    /// <summary>Sign-ins completed at the callback, by <c>tessera.result</c> and, on failure, <c>error.type</c>.</summary>
    public const string Logins = "tessera.bff.login";

    /// <summary>Server-side refreshes, by <c>tessera.result</c>.</summary>
    public const string Refreshes = "tessera.bff.refresh";

    /// <summary>BFF requests refused, by <c>error.type</c> (<c>anti_csrf_header_missing</c>, <c>no_session</c>, …).</summary>
    public const string RequestsRefused = "tessera.bff.request.refused";

    private readonly Counter<long> _logins;
    private readonly Counter<long> _refreshes;
    private readonly Counter<long> _refused;

    public BffMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TesseraTelemetry.MeterName);
        _logins = meter.CreateCounter<long>(Logins, "{login}", "BFF sign-ins completed at the callback, by result and failure reason.");
        _refreshes = meter.CreateCounter<long>(Refreshes, "{refresh}", "Access tokens refreshed server-side by the BFF, by result.");
        _refused = meter.CreateCounter<long>(RequestsRefused, "{request}", "BFF requests refused, by reason.");
    }

    public void LoggedIn(string? failure) => _logins.Add(1, Result(failure));

    public void Refreshed(bool success) => _refreshes.Add(1, new KeyValuePair<string, object?>(TesseraTelemetry.Result, success ? "success" : "failure"));

    public void Refused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>(TesseraTelemetry.ErrorType, reason));

    private static TagList Result(string? failure)
    {
        var tags = new TagList { { TesseraTelemetry.Result, failure is null ? "success" : "failure" } };
        if (failure is not null)
        {
            tags.Add(TesseraTelemetry.ErrorType, failure);
        }

        return tags;
    }
}
