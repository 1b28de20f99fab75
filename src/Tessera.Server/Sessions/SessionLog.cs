namespace Tessera.Server.Sessions;

/// <summary>
/// Log events of sign-in, codes and refresh tokens (3000–3099). Tokens, codes and cookies appear only as a fingerprint
/// or not at all; passwords never; a user only by subject id.
/// </summary>
internal static partial class SessionLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "User {Subject} signed in (session {SessionId})")]
    public static partial void SignedIn(ILogger logger, string subject, string sessionId);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Sign-in failed from {Address}: {Reason}")]
    public static partial void SignInFailed(ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "User {Subject} locked until {LockedUntil:O} after {Failures} failed sign-ins")]
    public static partial void LockedOut(ILogger logger, string subject, DateTimeOffset lockedUntil, int failures);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Session {SessionId} ended: {Reason} ({Families} refresh families revoked)")]
    public static partial void SessionEnded(ILogger logger, string sessionId, string reason, int families);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Logout id_token_hint not accepted ({Reason}); asking the user to confirm")]
    public static partial void LogoutHintRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Authorization code issued to client {ClientId} for session {SessionId} (code {Fingerprint})")]
    public static partial void CodeIssued(ILogger logger, string clientId, string sessionId, string fingerprint);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Authorization refused for client {ClientId}: {Error}")]
    public static partial void AuthorizationRefused(ILogger logger, string clientId, string error);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Authorization code reused by client {ClientId}: family {FamilyId} revoked, {Denied} tokens denied")]
    public static partial void CodeReused(ILogger logger, string clientId, string familyId, int denied);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Refresh family {FamilyId} of client {ClientId}: {Result} (token {Fingerprint})")]
    public static partial void Refreshed(ILogger logger, string familyId, string clientId, string result, string fingerprint);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "Refresh token reused: family {FamilyId} of client {ClientId} revoked, {Denied} tokens denied (token {Fingerprint})")]
    public static partial void RefreshReused(ILogger logger, string familyId, string clientId, int denied, string fingerprint);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Warning, Message = "User token request refused: {Error} (grant {GrantType}, client {ClientId}): {Description}")]
    public static partial void TokenRefused(ILogger logger, string error, string grantType, string clientId, string description);

    [LoggerMessage(EventId = 3030, Level = LogLevel.Information, Message = "Trigger {TriggerId} ({Event}) enforced: {Families} refresh families revoked, {Sessions} sessions ended")]
    public static partial void TriggerEnforced(ILogger logger, string triggerId, string @event, int families, int sessions);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Error, Message = "Enforcing revocation triggers on sessions failed; retrying on the next signal")]
    public static partial void TriggerEnforcementFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3032, Level = LogLevel.Error, Message = "The revocation feed event for reused {Kind} of family {FamilyId} could not be published; the family is revoked")]
    public static partial void ReusePublishFailed(ILogger logger, string kind, string familyId, Exception exception);
}
