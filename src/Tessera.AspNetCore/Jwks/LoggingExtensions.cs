using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Jwks;

/// <summary>
/// The JWKS client's log events (ids 4101–4199). They name URLs, <c>kid</c>s and reasons, never key material
/// and never a token.
/// </summary>
internal static partial class LoggingExtensions
{
    [LoggerMessage(4101, LogLevel.Information, "Fetched the JWK Set from {JwksUri}: {KeyCount} usable key(s), fresh for {Lifetime}.")]
    public static partial void JwksFetched(this ILogger logger, Uri jwksUri, int keyCount, TimeSpan lifetime);

    [LoggerMessage(4102, LogLevel.Information, "Left key {Key} out of the JWK Set from {JwksUri}: {Reason}.")]
    public static partial void JwksKeySkipped(this ILogger logger, Uri jwksUri, string key, string reason);

    [LoggerMessage(4103, LogLevel.Warning, "Fetching the JWK Set for {Source} failed ({ErrorType}): {Detail}")]
    public static partial void JwksFetchFailed(this ILogger logger, string source, string errorType, string detail);

    [LoggerMessage(4104, LogLevel.Error, "Refused the JWK Set for {Source} ({ErrorType}): {Detail}")]
    public static partial void JwksSetRefused(this ILogger logger, string source, string errorType, string detail);

    [LoggerMessage(4105, LogLevel.Warning, "Keeping the last known good JWK Set for {Source} (fetched {FetchedAt:O}) until {UsableUntil:O} at the latest.")]
    public static partial void JwksKeepingLastKnownGood(this ILogger logger, string source, DateTimeOffset fetchedAt, DateTimeOffset usableUntil);

    [LoggerMessage(4106, LogLevel.Error,
        "The JWK Set for {Source} expired at {ExpiredAt:O} and no fetch has succeeded within MaxStaleness ({MaxStaleness}) since. " +
        "Failing closed: every token is rejected until a fetch succeeds.")]
    public static partial void JwksFailedClosed(this ILogger logger, string source, DateTimeOffset expiredAt, TimeSpan maxStaleness);

    [LoggerMessage(4107, LogLevel.Information, "A token names kid '{Kid}', which the JWK Set for {Source} lacks: refreshing the set.")]
    public static partial void JwksUnknownKidRefresh(this ILogger logger, string kid, string source);

    [LoggerMessage(4108, LogLevel.Debug,
        "A token names kid '{Kid}', which the JWK Set for {Source} lacks; the last fetch was less than {Interval} ago, so the set is not fetched again yet.")]
    public static partial void JwksUnknownKidRefreshSuppressed(this ILogger logger, string kid, string source, TimeSpan interval);

    [LoggerMessage(4109, LogLevel.Error, "Fetching the JWK Set for {Source} failed unexpectedly.")]
    public static partial void JwksFetchFailedUnexpectedly(this ILogger logger, string source, Exception exception);
}
