using System.Diagnostics.Metrics;
using Tessera.Telemetry;
using Tessera.Tokens;

namespace Tessera.Server.Endpoints;

/// <summary>The token service's instruments on the <c>Tessera</c> meter. No attribute identifies a person or carries a token.</summary>
internal sealed class ServerMetrics
{
    private readonly Counter<long> _issued;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _introspections;
    private readonly Counter<long> _revocations;

    public ServerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TesseraTelemetry.MeterName);
        _issued = meter.CreateCounter<long>(TesseraTelemetry.TokensIssued, "{token}", "Tokens issued by the token service.");
        _refused = meter.CreateCounter<long>(TesseraTelemetry.TokenRequestsRefused, "{request}", "Token requests refused, by OAuth error.");
        _introspections = meter.CreateCounter<long>(TesseraTelemetry.Introspections, "{request}", "Introspection requests, by result.");
        _revocations = meter.CreateCounter<long>(TesseraTelemetry.Revocations, "{revocation}", "Revocations applied, by trigger.");
    }

    public void TokenIssued(TokenKind kind, string grantType) =>
        _issued.Add(1, new(TesseraTelemetry.TokenKind, KindName(kind)), new(TesseraTelemetry.GrantType, grantType));

    public void TokenRequestRefused(string error, string? grantType) =>
        _refused.Add(1, new(TesseraTelemetry.ErrorType, error), new(TesseraTelemetry.GrantType, grantType ?? "none"));

    public void Introspected(bool active) =>
        _introspections.Add(1, new KeyValuePair<string, object?>(TesseraTelemetry.Result, active ? "active" : "inactive"));

    public void Revoked(string trigger) =>
        _revocations.Add(1, new KeyValuePair<string, object?>(TesseraTelemetry.RevocationTrigger, trigger));

    public static string KindName(TokenKind kind) => kind switch
    {
        TokenKind.Access => "access",
        TokenKind.Id => "id",
        TokenKind.Service => "service",
        TokenKind.Refresh => "refresh",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
