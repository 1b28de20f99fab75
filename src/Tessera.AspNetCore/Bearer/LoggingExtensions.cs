using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Bearer;

/// <summary>The bearer handler's log events (ids 2001–2099; rejections by reason are in RejectionLog, 2501–2519): reason, kid, alg, client and a token fingerprint — never the token, never the subject of a rejected token.</summary>
internal static partial class LoggingExtensions
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Bearer request malformed: {Reason}")]
    public static partial void InvalidRequest(ILogger logger, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Bearer request failed closed: {ErrorType} on {Endpoint} (client {ClientId}, token {Fingerprint}): {Detail}")]
    public static partial void FailedClosed(ILogger logger, string errorType, string endpoint, string clientId, string fingerprint, string detail);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Bearer token no longer active at the token service (client {ClientId}, token {Fingerprint})")]
    public static partial void TokenInactive(ILogger logger, string clientId, string fingerprint);
}
