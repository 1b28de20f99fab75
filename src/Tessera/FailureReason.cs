namespace Tessera;

/// <summary>
/// Why a token was rejected. The set is closed and each member has one stable snake_case code
/// (<see cref="FailureReasonCodes.ToCode"/>) shared by results, metrics, logs, the CLI and RFC 6750 answers.
/// </summary>
public enum FailureReason
{
    /// <summary>The token is not a well-formed JWS compact serialization or its JSON is invalid.</summary>
    Malformed = 1,
    /// <summary>The token is longer than the configured maximum.</summary>
    TooLarge,
    /// <summary>The <c>alg</c> is <c>none</c> or not an algorithm Tessera implements.</summary>
    UnsupportedAlgorithm,
    /// <summary>The <c>alg</c> is not one this verifier or the selected key allows.</summary>
    AlgorithmNotAllowed,
    /// <summary>The header carries or points at a key (<c>jwk</c>, <c>jku</c>, <c>x5u</c>, <c>x5c</c>, …) or names an unknown <c>crit</c> extension.</summary>
    ForbiddenHeader,
    /// <summary>No configured key matches the token's <c>kid</c>, or no single key fits a token without one.</summary>
    KeyNotFound,
    /// <summary>The signature does not verify.</summary>
    SignatureInvalid,
    /// <summary>The token's <c>typ</c> or shape belongs to another kind of token.</summary>
    WrongType,
    /// <summary>The <c>iss</c> is not an expected issuer.</summary>
    WrongIssuer,
    /// <summary>No <c>aud</c> value is an expected audience.</summary>
    WrongAudience,
    /// <summary>The token is past its <c>exp</c> (beyond the clock skew).</summary>
    Expired,
    /// <summary>The token's <c>nbf</c> is in the future (beyond the clock skew).</summary>
    NotYetValid,
    /// <summary>The token's <c>iat</c> is in the future (beyond the clock skew).</summary>
    IssuedInFuture,
    /// <summary><c>exp − iat</c> exceeds the profile's maximum lifetime.</summary>
    LifetimeTooLong,
    /// <summary>A claim the profile requires is absent.</summary>
    MissingClaim,
    /// <summary>A claim is present but has the wrong JSON type, range or value.</summary>
    InvalidClaim,
    /// <summary>The token was revoked (cut-off, deny list, session end).</summary>
    Revoked,
    /// <summary>A spent refresh token was presented again; its family is revoked.</summary>
    RefreshReused,
    /// <summary>The token lacks a scope the endpoint requires.</summary>
    InsufficientScope,
}

/// <summary>The stable string codes of <see cref="FailureReason"/>.</summary>
public static class FailureReasonCodes
{
    private static readonly string[] Codes =
    [
        "",
        "malformed",
        "too_large",
        "unsupported_algorithm",
        "algorithm_not_allowed",
        "forbidden_header",
        "key_not_found",
        "signature_invalid",
        "wrong_type",
        "wrong_issuer",
        "wrong_audience",
        "expired",
        "not_yet_valid",
        "issued_in_future",
        "lifetime_too_long",
        "missing_claim",
        "invalid_claim",
        "revoked",
        "refresh_reused",
        "insufficient_scope",
    ];

    /// <summary>The snake_case code, e.g. <c>signature_invalid</c>.</summary>
    public static string ToCode(this FailureReason reason)
    {
        var index = (int)reason;
        return index > 0 && index < Codes.Length ? Codes[index] : "unknown";
    }

    /// <summary>Every reason with its code, in declaration order.</summary>
    public static IEnumerable<(FailureReason Reason, string Code)> All()
    {
        for (var i = 1; i < Codes.Length; i++)
        {
            yield return ((FailureReason)i, Codes[i]);
        }
    }

    /// <summary>Parses a code back to its reason.</summary>
    public static bool TryParse(string code, out FailureReason reason)
    {
        var index = Array.IndexOf(Codes, code);
        reason = index > 0 ? (FailureReason)index : default;
        return index > 0;
    }
}
