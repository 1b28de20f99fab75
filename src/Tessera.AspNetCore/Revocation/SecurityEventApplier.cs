using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tessera.Keys;
using Tessera.Revocation;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Revocation;

/// <summary>
/// Verifies one Security Event Token from the feed (RFC 8417: the <see cref="TokenKind.SecurityEvent"/> profile — the
/// issuer's key, <c>secevent+jwt</c>, <c>iss</c>, the feed's <c>aud</c>, <c>iat</c>, <c>jti</c>) and applies its
/// events to the revocation index. Events of types it does not know are ignored, as RFC 8417 §2.2 asks.
/// </summary>
internal sealed class SecurityEventApplier(TokenProfile profile, InMemoryRevocationIndex index, TimeProvider time, ILogger logger, RevocationFeedMetrics metrics)
{
    /// <summary>Every token of <c>scope</c>/<c>value</c> with <c>iat</c> before <c>revoked_before</c> is revoked.</summary>
    public const string RevokedBeforeEvent = "https://schemas.tessera.dev/secevent/revoked-before";

    /// <summary>The token with this <c>jti</c> is revoked until its <c>exp</c>.</summary>
    public const string TokenDeniedEvent = "https://schemas.tessera.dev/secevent/token-denied";

    private const int MaxValueLength = 512;

    private readonly TokenValidator _validator = new(time);

    public enum Outcome
    {
        Applied,
        Refused,
        KeyMissing,
    }

    /// <summary>Verifies and applies the SET delivered under <paramref name="setId"/>; on refusal, the RFC 8935 error code and a description.</summary>
    public (Outcome Outcome, string? Error, string? Description) Apply(string setId, string set, JsonWebKeySet keys)
    {
        var result = _validator.Validate(set, profile, keys);
        if (!result.IsValid)
        {
            if (result.Failure == FailureReason.KeyNotFound)
            {
                return (Outcome.KeyMissing, null, null);
            }

            var error = result.Failure switch
            {
                FailureReason.WrongIssuer => "invalid_issuer",
                FailureReason.WrongAudience => "invalid_audience",
                FailureReason.SignatureInvalid or FailureReason.AlgorithmNotAllowed or FailureReason.UnsupportedAlgorithm => "invalid_key",
                _ => "invalid_request",
            };
            return Refuse(setId, error, $"the SET is not valid ({result.ReasonCode})", "unknown");
        }

        var claims = result.Claims!;
        if (claims.TokenId != setId)
        {
            return Refuse(setId, "invalid_request", "the SET's jti is not the one it was delivered under", "unknown");
        }

        if (!claims.TryGetClaim("events", out var events) || events.ValueKind != JsonValueKind.Object)
        {
            return Refuse(setId, "invalid_request", "the SET has no events object", "unknown");
        }

        var lag = time.GetUtcNow() - (claims.IssuedAt ?? time.GetUtcNow());
        var trigger = "-";
        foreach (var entry in events.EnumerateObject())
        {
            var payload = entry.Value;
            if (payload.ValueKind != JsonValueKind.Object)
            {
                return Refuse(setId, "invalid_request", "an event payload is not an object", "unknown");
            }

            trigger = Printable(String(payload, "trigger")) ?? "-";
            switch (entry.Name)
            {
                case RevokedBeforeEvent:
                    var scope = ParseScope(String(payload, "scope"));
                    var value = String(payload, "value");
                    if (scope is null || value is not { Length: > 0 and <= MaxValueLength } || Seconds(payload, "revoked_before") is not { } before)
                    {
                        return Refuse(setId, "invalid_request", "a revoked-before event needs scope (subject, tenant or client), value and revoked_before", "cutoff");
                    }

                    index.RevokeBefore(scope.Value, value, before);
                    Applied("cutoff", String(payload, "scope")!, trigger, setId, lag);
                    break;
                case TokenDeniedEvent:
                    var tokenId = String(payload, "jti");
                    if (tokenId is not { Length: > 0 and <= MaxValueLength } || Seconds(payload, "exp") is not { } expires)
                    {
                        return Refuse(setId, "invalid_request", "a token-denied event needs jti and exp", "deny");
                    }

                    if (!index.TryDeny(tokenId, expires))
                    {
                        LoggingExtensions.DenyListFull(logger, Printable(tokenId) ?? "-");
                        metrics.Event("refused", "deny", "deny_list_full");
                        break;
                    }

                    Applied("deny", "token", trigger, setId, lag);
                    break;
                default:
                    LoggingExtensions.EventIgnored(logger, setId, Printable(entry.Name) ?? "-");
                    metrics.Event("ignored", "unknown");
                    break;
            }
        }

        return (Outcome.Applied, null, null);
    }

    private void Applied(string eventType, string scope, string trigger, string setId, TimeSpan lag)
    {
        LoggingExtensions.EventApplied(logger, eventType, scope, trigger, setId, Math.Round(lag.TotalSeconds, 3));
        metrics.Event("applied", eventType);
        metrics.Lag(lag, eventType);
    }

    /// <summary>
    /// Applies the token service's whole revocation state (cut-offs only move forward, denying a token twice is
    /// harmless); entries it cannot read are skipped. Returns how many entries were applied.
    /// </summary>
    public int ApplySnapshot(FeedPollClient.Snapshot snapshot)
    {
        var applied = 0;
        foreach (var cutoff in snapshot.Cutoffs ?? [])
        {
            if (ParseScope(cutoff.Scope) is { } scope && cutoff.Value is { Length: > 0 and <= MaxValueLength } value && cutoff.RevokedBefore > 0)
            {
                index.RevokeBefore(scope, value, DateTimeOffset.FromUnixTimeSeconds(cutoff.RevokedBefore));
                applied++;
            }
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        foreach (var denied in snapshot.Denied ?? [])
        {
            if (denied.Jti is not { Length: > 0 and <= MaxValueLength } tokenId || denied.Exp <= now)
            {
                continue;
            }

            if (!index.TryDeny(tokenId, DateTimeOffset.FromUnixTimeSeconds(denied.Exp)))
            {
                LoggingExtensions.DenyListFull(logger, Printable(tokenId) ?? "-");
                metrics.Event("refused", "deny", "deny_list_full");
                continue;
            }

            applied++;
        }

        return applied;
    }

    private (Outcome, string?, string?) Refuse(string setId, string error, string description, string eventType)
    {
        LoggingExtensions.EventRefused(logger, Printable(setId) ?? "-", error, description);
        metrics.Event("refused", eventType, error);
        return (Outcome.Refused, error, description);
    }

    private static RevocationScope? ParseScope(string? name) => name switch
    {
        "subject" => RevocationScope.Subject,
        "tenant" => RevocationScope.Tenant,
        "client" => RevocationScope.Client,
        _ => null,
    };

    private static string? String(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Seconds(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            && seconds is > 0 and < 253_402_300_800 // before year 10000
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>The header's <c>kid</c> of a SET, only to ask the JWKS client for a refresh (bounded by the client itself).</summary>
    internal static string? KidOf(string set)
    {
        var dot = set.IndexOf('.', StringComparison.Ordinal);
        if (dot is <= 0 or > 2048)
        {
            return null;
        }

        if (Jose.Base64Url.DecodeOrNull(set[..dot]) is not { } header)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(header);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("kid", out var kid) && kid.ValueKind == JsonValueKind.String ? kid.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Printable(string? value) =>
        value is null ? null : value.Length <= 64 && !value.AsSpan().ContainsAnyExceptInRange(' ', '~') ? value : "(unprintable)";
}
