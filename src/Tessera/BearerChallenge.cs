namespace Tessera;

/// <summary>
/// An RFC 6750 §3 answer to a rejected bearer token: the HTTP status, the <c>error</c> code and a fixed
/// <c>error_description</c> that says which check failed so a client can recover, but never repeats a
/// value from the token or from the server's configuration.
/// </summary>
/// <param name="StatusCode">401, 403 or 400.</param>
/// <param name="Error"><c>invalid_token</c>, <c>insufficient_scope</c> or <c>invalid_request</c>.</param>
/// <param name="Description">A fixed, safe description.</param>
/// <param name="Scope">For <c>insufficient_scope</c>: the scope the resource needs (the resource's own policy, not the token's).</param>
public readonly record struct BearerChallenge(int StatusCode, string Error, string Description, string? Scope = null)
{
    /// <summary>The answer for a rejected token.</summary>
    public static BearerChallenge For(FailureReason reason, string? requiredScope = null) => reason switch
    {
        FailureReason.InsufficientScope => new(403, "insufficient_scope", "The token lacks the scope this resource requires.", requiredScope),
        _ => new(401, "invalid_token", Describe(reason)),
    };

    /// <summary>The answer when the request itself is wrong (RFC 6750 §3.1 <c>invalid_request</c>).</summary>
    public static BearerChallenge InvalidRequest(InvalidRequestReason reason) => new(400, "invalid_request", reason switch
    {
        InvalidRequestReason.TokenInQueryOrBody => "Send the token in the Authorization header only.",
        InvalidRequestReason.SeveralTokens => "Send exactly one token.",
        _ => "The Authorization header is not a well-formed Bearer credential.",
    });

    /// <summary>The fixed description for each reason; one per code, nothing else.</summary>
    public static string Describe(FailureReason reason) => reason switch
    {
        FailureReason.Malformed => "The token is malformed.",
        FailureReason.TooLarge => "The token is too large.",
        FailureReason.UnsupportedAlgorithm => "The token's signing algorithm is not supported.",
        FailureReason.AlgorithmNotAllowed => "The token's signing algorithm is not accepted here.",
        FailureReason.ForbiddenHeader => "The token's header carries a key reference or extension that is not accepted.",
        FailureReason.KeyNotFound => "The token was signed with an unknown key.",
        FailureReason.SignatureInvalid => "The token's signature is invalid.",
        FailureReason.WrongType => "The token is not the kind of token this resource accepts.",
        FailureReason.WrongIssuer => "The token is from an issuer this resource does not trust.",
        FailureReason.WrongAudience => "The token is not intended for this resource.",
        FailureReason.Expired => "The token has expired.",
        FailureReason.NotYetValid => "The token is not valid yet.",
        FailureReason.IssuedInFuture => "The token was issued in the future; check the clocks.",
        FailureReason.LifetimeTooLong => "The token's lifetime is longer than allowed.",
        FailureReason.MissingClaim => "The token lacks a required claim.",
        FailureReason.InvalidClaim => "The token has an invalid claim.",
        FailureReason.Revoked => "The token has been revoked.",
        FailureReason.RefreshReused => "The refresh token was already used; its session has been revoked.",
        FailureReason.InsufficientScope => "The token lacks the scope this resource requires.",
        _ => "The token is invalid.",
    };

    /// <summary>The <c>WWW-Authenticate</c> header value.</summary>
    public string ToHeaderValue(string? realm = null)
    {
        var parts = new List<string>(4);
        if (realm is not null)
        {
            parts.Add($"realm=\"{Quote(realm)}\"");
        }

        parts.Add($"error=\"{Error}\"");
        parts.Add($"error_description=\"{Quote(Description)}\"");
        if (Scope is not null)
        {
            parts.Add($"scope=\"{Quote(Scope)}\"");
        }

        return "Bearer " + string.Join(", ", parts);
    }

    // RFC 6750 §3 allows %x20-21 / %x23-5B / %x5D-7E inside the quotes; anything else is dropped.
    private static string Quote(string value) =>
        string.Concat(value.Where(c => c is >= ' ' and <= '~' and not '"' and not '\\'));
}

/// <summary>Why a bearer request is malformed as a request (RFC 6750 §3.1).</summary>
public enum InvalidRequestReason
{
    /// <summary>The Authorization header is not <c>Bearer</c> followed by one token.</summary>
    MalformedAuthorizationHeader,
    /// <summary>A token came in the query string or form body, which Tessera refuses (RFC 6750 §2.1 only).</summary>
    TokenInQueryOrBody,
    /// <summary>More than one token or Authorization header.</summary>
    SeveralTokens,
}
