using Tessera.Jose;

namespace Tessera.Tokens;

/// <summary>
/// The outcome of validating a token against a profile: success with the key, algorithm and claims, or a
/// failure with a stable <see cref="FailureReason"/>, the failing claim's name when there is one, and a
/// safe detail that never contains a value from the token or the configuration.
/// </summary>
public sealed class TokenValidationResult
{
    private TokenValidationResult(TokenKind kind, FailureReason? failure, string? claim, string? detail, string? kid, JwsAlgorithm? algorithm, TokenClaims? claims)
    {
        Kind = kind;
        Failure = failure;
        FailedClaim = claim;
        Detail = detail;
        Kid = kid;
        Algorithm = algorithm;
        Claims = claims;
    }

    /// <summary>True when every check passed.</summary>
    public bool IsValid => Failure is null;

    /// <summary>The kind the token was validated as.</summary>
    public TokenKind Kind { get; }

    /// <summary>Why the token was rejected; null when valid.</summary>
    public FailureReason? Failure { get; }

    /// <summary>The stable reason code (<c>expired</c>, …); null when valid.</summary>
    public string? ReasonCode => Failure?.ToCode();

    /// <summary>The name of the claim that failed, when one did.</summary>
    public string? FailedClaim { get; }

    /// <summary>A fixed description of the failed check.</summary>
    public string? Detail { get; }

    /// <summary>The <c>kid</c> of the key that verified the token (also set on claim failures after the signature verified).</summary>
    public string? Kid { get; }

    /// <summary>The algorithm that verified the token.</summary>
    public JwsAlgorithm? Algorithm { get; }

    /// <summary>The claims of a valid token; null on failure, so nothing unverified is ever read by mistake.</summary>
    public TokenClaims? Claims { get; }

    internal TokenClaims? UnsafeClaimsOfRejectedToken { get; private init; }

    internal static TokenValidationResult Success(TokenKind kind, string kid, JwsAlgorithm algorithm, TokenClaims claims) =>
        new(kind, null, null, null, kid, algorithm, claims);

    internal static TokenValidationResult Fail(TokenKind kind, FailureReason reason, string detail, string? claim = null, string? kid = null, JwsAlgorithm? algorithm = null, TokenClaims? claims = null) =>
        new(kind, reason, claim, detail, kid, algorithm, null) { UnsafeClaimsOfRejectedToken = claims };

    /// <inheritdoc />
    public override string ToString() =>
        IsValid ? $"valid {Kind} token (kid {Kid}, {Algorithm})" : $"{ReasonCode}{(FailedClaim is null ? "" : $" ({FailedClaim})")}: {Detail}";
}
