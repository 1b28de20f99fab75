using System.Diagnostics.Metrics;
using Tessera.Telemetry;

namespace Tessera.Server.Sessions;

/// <summary>
/// The instruments of user sign-in and refresh tokens on the <c>Tessera</c> meter. Attributes are outcomes, grant
/// types, client types and trigger names — never a user, a session, a family or a token.
/// </summary>
internal sealed class SessionMetrics
{
    /// <summary>Counter: authorization codes presented again (each revokes what was issued from the code).</summary>
    public const string CodeReuseDetected = "tessera.authorization_code.reuse_detected";

    /// <summary>Counter: refresh token presentations, by <see cref="TesseraTelemetry.Result"/> (<c>rotated</c>, <c>retried</c>, <c>refused</c>, <c>reused</c>, <c>cut_off</c>).</summary>
    public const string RefreshPresented = "tessera.refresh.presented";

    /// <summary>Counter: password sign-in attempts, by <see cref="TesseraTelemetry.Result"/> (<c>success</c>, <c>failure</c>, <c>locked</c>, <c>throttled</c>).</summary>
    public const string SignInAttempts = "tessera.signin.attempts";

    /// <summary>Counter: revocation triggers enforced on sessions, by <see cref="TesseraTelemetry.RevocationTrigger"/>.</summary>
    public const string TriggersEnforced = "tessera.session.triggers_enforced";

    /// <summary>Attribute: the client type (<c>web</c>, <c>native</c>, <c>browser</c>).</summary>
    public const string ClientType = "tessera.client.type";

    private readonly Counter<long> _refreshReuse;
    private readonly Counter<long> _codeReuse;
    private readonly Counter<long> _refresh;
    private readonly Counter<long> _signIns;
    private readonly Counter<long> _triggers;

    public SessionMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TesseraTelemetry.MeterName);
        _refreshReuse = meter.CreateCounter<long>(TesseraTelemetry.RefreshReuseDetected, "{token}", "Spent refresh tokens presented again; each revokes its family.");
        _codeReuse = meter.CreateCounter<long>(CodeReuseDetected, "{code}", "Authorization codes presented again; each revokes what was issued from it.");
        _refresh = meter.CreateCounter<long>(RefreshPresented, "{token}", "Refresh token presentations, by outcome.");
        _signIns = meter.CreateCounter<long>(SignInAttempts, "{attempt}", "Password sign-in attempts, by outcome.");
        _triggers = meter.CreateCounter<long>(TriggersEnforced, "{trigger}", "Revocation triggers enforced on sign-in sessions and refresh families.");
    }

    public void RefreshReused(string clientType) =>
        _refreshReuse.Add(1, new KeyValuePair<string, object?>(ClientType, clientType));

    public void CodeReused(string clientType) =>
        _codeReuse.Add(1, new KeyValuePair<string, object?>(ClientType, clientType));

    public void Refresh(string result, string clientType) =>
        _refresh.Add(1, new(TesseraTelemetry.Result, result), new(ClientType, clientType));

    public void SignIn(string result) =>
        _signIns.Add(1, new KeyValuePair<string, object?>(TesseraTelemetry.Result, result));

    public void TriggerEnforced(string trigger, int families, int sessions) =>
        _triggers.Add(1, new(TesseraTelemetry.RevocationTrigger, trigger), new("tessera.session.ended", sessions > 0), new("tessera.refresh.families_revoked", families > 0));
}
