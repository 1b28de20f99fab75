using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Bearer;

/// <summary>
/// One log event per reason code (ids 2501–2519, event name = the code), so a log pipeline can count and
/// alert on a reason without parsing messages. Fields: reason, failing claim, kid, alg, client (only when
/// the signature verified) and the token's fingerprint — never the token, never the subject.
/// </summary>
internal static partial class RejectionLog
{
    /// <summary>The event id of a reason: 2500 plus its number.</summary>
    public static int EventIdOf(FailureReason reason) => 2500 + (int)reason;

    public static void TokenRejected(ILogger logger, FailureReason reason, string claim, string kid, string algorithm, string clientId, string fingerprint)
    {
        var code = reason.ToCode();
        switch (reason)
        {
            case FailureReason.Malformed: Malformed(logger, code, claim, kid, algorithm, clientId, fingerprint); break;
            case FailureReason.TooLarge: TooLarge(logger, code, claim, kid, algorithm, clientId, fingerprint); break;
            case FailureReason.UnsupportedAlgorithm: UnsupportedAlgorithm(logger, code, claim, kid, algorithm, clientId, fingerprint); break;
            case FailureReason.AlgorithmNotAllowed: AlgorithmNotAllowed(logger, code, claim, kid, algorithm, clientId, fingerprint); break;
            case FailureReason.ForbiddenHeader: ForbiddenHeader(logger, code, claim, kid, algorithm, clientId, fingerprint); break;
            case FailureReason.KeyNotFound: KeyNotFound(logger, code, claim, kid, algorithm, clientId, fingerprint); break;
            case FailureReason.SignatureInvalid: SignatureInvalid(logger, code, claim, kid, algorithm, clientId, fingerprint); break;
            case FailureReason.WrongType: WrongType(logger, code, claim, kid, algorithm, clientId, fingerprint); break;
            case FailureReason.WrongIssuer: WrongIssuer(logger, code, claim, kid, algorithm, clientId, fingerprint); break;
            case FailureReason.WrongAudience: WrongAudience(logger, code, claim, kid, algorithm, clientId, fingerprint); break;
            case FailureReason.Expired: Expired(logger, code, claim, kid, algorithm, clientId, fingerprint); break;
            case FailureReason.NotYetValid: NotYetValid(logger, code, claim, kid, algorithm, clientId, fingerprint); break;
            case FailureReason.IssuedInFuture: IssuedInFuture(logger, code, claim, kid, algorithm, clientId, fingerprint); break;
            case FailureReason.LifetimeTooLong: LifetimeTooLong(logger, code, claim, kid, algorithm, clientId, fingerprint); break;
            case FailureReason.MissingClaim: MissingClaim(logger, code, claim, kid, algorithm, clientId, fingerprint); break;
            case FailureReason.InvalidClaim: InvalidClaim(logger, code, claim, kid, algorithm, clientId, fingerprint); break;
            case FailureReason.Revoked: Revoked(logger, code, claim, kid, algorithm, clientId, fingerprint); break;
            case FailureReason.RefreshReused: RefreshReused(logger, code, claim, kid, algorithm, clientId, fingerprint); break;
            case FailureReason.InsufficientScope: InsufficientScope(logger, code, claim, kid, algorithm, clientId, fingerprint); break;
            default: Malformed(logger, code, claim, kid, algorithm, clientId, fingerprint); break;
        }
    }

    [LoggerMessage(EventId = 2501, EventName = "malformed", Level = LogLevel.Information, Message = "Bearer token rejected: {Reason} (claim {Claim}, kid {Kid}, alg {Algorithm}, client {ClientId}, token {Fingerprint})")]
    private static partial void Malformed(ILogger logger, string reason, string claim, string kid, string algorithm, string clientId, string fingerprint);

    [LoggerMessage(EventId = 2502, EventName = "too_large", Level = LogLevel.Information, Message = "Bearer token rejected: {Reason} (claim {Claim}, kid {Kid}, alg {Algorithm}, client {ClientId}, token {Fingerprint})")]
    private static partial void TooLarge(ILogger logger, string reason, string claim, string kid, string algorithm, string clientId, string fingerprint);

    [LoggerMessage(EventId = 2503, EventName = "unsupported_algorithm", Level = LogLevel.Information, Message = "Bearer token rejected: {Reason} (claim {Claim}, kid {Kid}, alg {Algorithm}, client {ClientId}, token {Fingerprint})")]
    private static partial void UnsupportedAlgorithm(ILogger logger, string reason, string claim, string kid, string algorithm, string clientId, string fingerprint);

    [LoggerMessage(EventId = 2504, EventName = "algorithm_not_allowed", Level = LogLevel.Information, Message = "Bearer token rejected: {Reason} (claim {Claim}, kid {Kid}, alg {Algorithm}, client {ClientId}, token {Fingerprint})")]
    private static partial void AlgorithmNotAllowed(ILogger logger, string reason, string claim, string kid, string algorithm, string clientId, string fingerprint);

    [LoggerMessage(EventId = 2505, EventName = "forbidden_header", Level = LogLevel.Information, Message = "Bearer token rejected: {Reason} (claim {Claim}, kid {Kid}, alg {Algorithm}, client {ClientId}, token {Fingerprint})")]
    private static partial void ForbiddenHeader(ILogger logger, string reason, string claim, string kid, string algorithm, string clientId, string fingerprint);

    [LoggerMessage(EventId = 2506, EventName = "key_not_found", Level = LogLevel.Information, Message = "Bearer token rejected: {Reason} (claim {Claim}, kid {Kid}, alg {Algorithm}, client {ClientId}, token {Fingerprint})")]
    private static partial void KeyNotFound(ILogger logger, string reason, string claim, string kid, string algorithm, string clientId, string fingerprint);

    [LoggerMessage(EventId = 2507, EventName = "signature_invalid", Level = LogLevel.Information, Message = "Bearer token rejected: {Reason} (claim {Claim}, kid {Kid}, alg {Algorithm}, client {ClientId}, token {Fingerprint})")]
    private static partial void SignatureInvalid(ILogger logger, string reason, string claim, string kid, string algorithm, string clientId, string fingerprint);

    [LoggerMessage(EventId = 2508, EventName = "wrong_type", Level = LogLevel.Information, Message = "Bearer token rejected: {Reason} (claim {Claim}, kid {Kid}, alg {Algorithm}, client {ClientId}, token {Fingerprint})")]
    private static partial void WrongType(ILogger logger, string reason, string claim, string kid, string algorithm, string clientId, string fingerprint);

    [LoggerMessage(EventId = 2509, EventName = "wrong_issuer", Level = LogLevel.Information, Message = "Bearer token rejected: {Reason} (claim {Claim}, kid {Kid}, alg {Algorithm}, client {ClientId}, token {Fingerprint})")]
    private static partial void WrongIssuer(ILogger logger, string reason, string claim, string kid, string algorithm, string clientId, string fingerprint);

    [LoggerMessage(EventId = 2510, EventName = "wrong_audience", Level = LogLevel.Information, Message = "Bearer token rejected: {Reason} (claim {Claim}, kid {Kid}, alg {Algorithm}, client {ClientId}, token {Fingerprint})")]
    private static partial void WrongAudience(ILogger logger, string reason, string claim, string kid, string algorithm, string clientId, string fingerprint);

    [LoggerMessage(EventId = 2511, EventName = "expired", Level = LogLevel.Information, Message = "Bearer token rejected: {Reason} (claim {Claim}, kid {Kid}, alg {Algorithm}, client {ClientId}, token {Fingerprint})")]
    private static partial void Expired(ILogger logger, string reason, string claim, string kid, string algorithm, string clientId, string fingerprint);

    [LoggerMessage(EventId = 2512, EventName = "not_yet_valid", Level = LogLevel.Information, Message = "Bearer token rejected: {Reason} (claim {Claim}, kid {Kid}, alg {Algorithm}, client {ClientId}, token {Fingerprint})")]
    private static partial void NotYetValid(ILogger logger, string reason, string claim, string kid, string algorithm, string clientId, string fingerprint);

    [LoggerMessage(EventId = 2513, EventName = "issued_in_future", Level = LogLevel.Information, Message = "Bearer token rejected: {Reason} (claim {Claim}, kid {Kid}, alg {Algorithm}, client {ClientId}, token {Fingerprint})")]
    private static partial void IssuedInFuture(ILogger logger, string reason, string claim, string kid, string algorithm, string clientId, string fingerprint);

    [LoggerMessage(EventId = 2514, EventName = "lifetime_too_long", Level = LogLevel.Information, Message = "Bearer token rejected: {Reason} (claim {Claim}, kid {Kid}, alg {Algorithm}, client {ClientId}, token {Fingerprint})")]
    private static partial void LifetimeTooLong(ILogger logger, string reason, string claim, string kid, string algorithm, string clientId, string fingerprint);

    [LoggerMessage(EventId = 2515, EventName = "missing_claim", Level = LogLevel.Information, Message = "Bearer token rejected: {Reason} (claim {Claim}, kid {Kid}, alg {Algorithm}, client {ClientId}, token {Fingerprint})")]
    private static partial void MissingClaim(ILogger logger, string reason, string claim, string kid, string algorithm, string clientId, string fingerprint);

    [LoggerMessage(EventId = 2516, EventName = "invalid_claim", Level = LogLevel.Information, Message = "Bearer token rejected: {Reason} (claim {Claim}, kid {Kid}, alg {Algorithm}, client {ClientId}, token {Fingerprint})")]
    private static partial void InvalidClaim(ILogger logger, string reason, string claim, string kid, string algorithm, string clientId, string fingerprint);

    [LoggerMessage(EventId = 2517, EventName = "revoked", Level = LogLevel.Information, Message = "Bearer token rejected: {Reason} (claim {Claim}, kid {Kid}, alg {Algorithm}, client {ClientId}, token {Fingerprint})")]
    private static partial void Revoked(ILogger logger, string reason, string claim, string kid, string algorithm, string clientId, string fingerprint);

    [LoggerMessage(EventId = 2518, EventName = "refresh_reused", Level = LogLevel.Information, Message = "Bearer token rejected: {Reason} (claim {Claim}, kid {Kid}, alg {Algorithm}, client {ClientId}, token {Fingerprint})")]
    private static partial void RefreshReused(ILogger logger, string reason, string claim, string kid, string algorithm, string clientId, string fingerprint);

    [LoggerMessage(EventId = 2519, EventName = "insufficient_scope", Level = LogLevel.Information, Message = "Bearer token rejected: {Reason} (claim {Claim}, kid {Kid}, alg {Algorithm}, client {ClientId}, token {Fingerprint})")]
    private static partial void InsufficientScope(ILogger logger, string reason, string claim, string kid, string algorithm, string clientId, string fingerprint);
}
