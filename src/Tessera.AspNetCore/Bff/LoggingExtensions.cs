using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Bff;

/// <summary>The BFF's log events (ids 2400–2499): reason codes and token fingerprints — never a token, a cookie or a secret.</summary>
internal static partial class LoggingExtensions
{
    [LoggerMessage(EventId = 2400, Level = LogLevel.Information, Message = "BFF login refused at the callback: {Reason}")]
    public static partial void CallbackRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Warning, Message = "BFF rejected the ID token of a code exchange: {Reason} (token {Fingerprint})")]
    public static partial void IdTokenRejected(ILogger logger, string reason, string fingerprint);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Information, Message = "BFF session started (access token {Fingerprint})")]
    public static partial void SessionStarted(ILogger logger, string fingerprint);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Information, Message = "BFF refresh refused by the token service; the session ends (refresh token {Fingerprint})")]
    public static partial void RefreshRefused(ILogger logger, string fingerprint);

    [LoggerMessage(EventId = 2404, Level = LogLevel.Information, Message = "BFF request refused: no {Header} header on {Method} {Path}")]
    public static partial void AntiCsrfMissing(ILogger logger, string header, string method, string path);

    [LoggerMessage(EventId = 2405, Level = LogLevel.Warning, Message = "BFF could not reach {Target}: {ErrorType}")]
    public static partial void Unreachable(ILogger logger, string target, string errorType);

    [LoggerMessage(EventId = 2406, Level = LogLevel.Information, Message = "BFF session ended by logout (refresh token revoked: {Revoked})")]
    public static partial void LoggedOut(ILogger logger, bool revoked);

    [LoggerMessage(EventId = 2407, Level = LogLevel.Information, Message = "BFF refreshed the access token server-side (new access token {Fingerprint})")]
    public static partial void Refreshed(ILogger logger, string fingerprint);
}
