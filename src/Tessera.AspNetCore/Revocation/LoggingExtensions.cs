using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Revocation;

/// <summary>
/// The revocation feed subscriber's log events (ids 2100–2199). They name the feed, event types, triggers and SET
/// or token <c>jti</c>s — never a subject or tenant identifier, never a token, never the client secret.
/// </summary>
internal static partial class LoggingExtensions
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Revocation feed {Endpoint} is current ({Applied} event(s) applied since start)")]
    public static partial void FeedCurrent(ILogger logger, Uri endpoint, long applied);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Polling the revocation feed {Endpoint} failed ({ErrorType}): {Detail}. Retrying in {RetryIn}.")]
    public static partial void PollFailed(ILogger logger, Uri endpoint, string errorType, string detail, TimeSpan retryIn);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "The token service refused this API at the revocation feed {Endpoint} (HTTP {Status}). Check the feed ClientId and ClientSecret, and that the client holds the revocation-feed grant.")]
    public static partial void FeedCredentialsRefused(ILogger logger, Uri endpoint, int status);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "Applied revocation event {EventType} (scope {Scope}, trigger {Trigger}, SET {SetId}, lag {LagSeconds} s)")]
    public static partial void EventApplied(ILogger logger, string eventType, string scope, string trigger, string setId, double lagSeconds);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "Refused security event {SetId} from the feed ({Error}): {Detail}")]
    public static partial void EventRefused(ILogger logger, string setId, string error, string detail);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Error, Message = "The revocation deny list is full of live entries; token {TokenId} could not be denied. Raise the index's capacity.")]
    public static partial void DenyListFull(ILogger logger, string tokenId);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Debug, Message = "Ignored security event {SetId} of unknown type {EventUri}")]
    public static partial void EventIgnored(ILogger logger, string setId, string eventUri);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Warning, Message = "The revocation state has not been confirmed for {Staleness} (bound {MaxStaleness}): endpoints that require fresh revocation state fail closed until the feed answers.")]
    public static partial void StateStale(ILogger logger, TimeSpan staleness, TimeSpan maxStaleness);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Error, Message = "The revocation feed subscriber failed unexpectedly; it keeps polling.")]
    public static partial void SubscriberFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2110, Level = LogLevel.Warning, Message = "The issuer's keys are unavailable; {Count} security event(s) wait unacknowledged until they can be verified.")]
    public static partial void KeysUnavailable(ILogger logger, int count);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Information, Message = "Revocation snapshot loaded from {Endpoint}: {Applied} cut-offs and denied tokens applied")]
    public static partial void SnapshotLoaded(ILogger logger, Uri endpoint, int applied);
}
