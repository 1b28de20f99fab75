using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Bearer;

/// <summary>The bearer handler's log events: reason, kid, alg, client and a token fingerprint — never the token, never the subject of a rejected token.</summary>
internal static partial class LoggingExtensions
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Bearer token rejected: {Reason} (claim {Claim}, kid {Kid}, alg {Algorithm}, client {ClientId}, token {Fingerprint})")]
    public static partial void TokenRejected(ILogger logger, string reason, string claim, string kid, string algorithm, string clientId, string fingerprint);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Bearer request malformed: {Reason}")]
    public static partial void InvalidRequest(ILogger logger, string reason);
}
