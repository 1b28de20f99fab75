namespace Tessera.Telemetry;

/// <summary>
/// The names of Tessera's meter, instruments and attributes: a contract (see README "Telemetry").
/// Attribute values never carry a token, a secret or a subject identifier.
/// </summary>
public static class TesseraTelemetry
{
    /// <summary>The meter every Tessera part creates through <c>IMeterFactory</c>.</summary>
    public const string MeterName = "Tessera";

    /// <summary>Histogram (s): one token validation, with <see cref="Result"/>, <see cref="ErrorType"/> and <see cref="TokenKind"/>.</summary>
    public const string ValidationDuration = "tessera.token.validation.duration";

    /// <summary>Counter: tokens issued, with <see cref="TokenKind"/> and <see cref="GrantType"/>.</summary>
    public const string TokensIssued = "tessera.token.issued";

    /// <summary>Counter: token endpoint requests refused, with <see cref="ErrorType"/> (the OAuth error code) and <see cref="GrantType"/>.</summary>
    public const string TokenRequestsRefused = "tessera.token.request.refused";

    /// <summary>Counter: introspection requests, with <see cref="Result"/> (<c>active</c> / <c>inactive</c>).</summary>
    public const string Introspections = "tessera.token.introspection";

    /// <summary>Counter: revocations applied, with <see cref="RevocationTrigger"/>.</summary>
    public const string Revocations = "tessera.revocation.applied";

    /// <summary>Counter: spent refresh tokens presented again (each revokes a family).</summary>
    public const string RefreshReuseDetected = "tessera.refresh.reuse_detected";

    /// <summary>Counter: JWKS fetches by a validator, with <see cref="Result"/> and <see cref="ErrorType"/>.</summary>
    public const string JwksFetches = "tessera.jwks.fetches";

    /// <summary>Histogram (s): age of the revocation state a resource server holds.</summary>
    public const string RevocationFeedLag = "tessera.revocation.feed.lag";

    /// <summary>Attribute: <c>success</c> or <c>failure</c> (or <c>active</c>/<c>inactive</c>).</summary>
    public const string Result = "tessera.result";

    /// <summary>Attribute: the failure reason code (DESIGN.md) or OAuth error code, following OpenTelemetry's <c>error.type</c>.</summary>
    public const string ErrorType = "error.type";

    /// <summary>Attribute: the failure reason code.</summary>
    public const string FailureReason = "tessera.failure.reason";

    /// <summary>Attribute: <c>access</c>, <c>id</c>, <c>service</c>, <c>refresh</c>.</summary>
    public const string TokenKind = "tessera.token.kind";

    /// <summary>Attribute: the OAuth grant type.</summary>
    public const string GrantType = "tessera.grant_type";

    /// <summary>Attribute: the revocation trigger (<c>password_reset</c>, …, or <c>rfc7009</c>).</summary>
    public const string RevocationTrigger = "tessera.revocation.trigger";
}
