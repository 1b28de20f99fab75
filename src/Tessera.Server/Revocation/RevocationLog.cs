namespace Tessera.Server.Revocation;

/// <summary>
/// Log events of revocation, the admin triggers and the feed. Tokens appear only as <c>jti</c> or fingerprint;
/// the admin key, client secrets and subject identifiers never (the trigger id leads to the audit record).
/// </summary>
internal static partial class RevocationLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Revocation {TriggerId} applied: {Event} by {Actor}; {Cutoffs} cut-offs, {Denied} denied tokens, {Events} security events")]
    public static partial void Applied(ILogger logger, string triggerId, string @event, string actor, int cutoffs, int denied, int events);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Revocation request by {ClientId} for token {Fingerprint} changed nothing ({Reason})")]
    public static partial void NothingToRevoke(ILogger logger, string clientId, string fingerprint, string reason);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Revocation request refused: {Error} (client {ClientId})")]
    public static partial void RevocationRefused(ILogger logger, string error, string clientId);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "The jti deny list is full: token {TokenId} is revoked by a subject cut-off instead")]
    public static partial void DenyListFull(ILogger logger, string tokenId);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Admin request refused from {RemoteAddress}: {Reason}")]
    public static partial void AdminRefused(ILogger logger, string remoteAddress, string reason);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Information, Message = "Revocation state loaded: {Cutoffs} cut-offs, {Denied} denied tokens")]
    public static partial void Loaded(ILogger logger, int cutoffs, int denied);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Debug, Message = "Feed poll by {ClientId}: {Delivered} delivered, {Acknowledged} acknowledged, more available {More}")]
    public static partial void FeedPolled(ILogger logger, string clientId, int delivered, int acknowledged, bool more);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Warning, Message = "Feed poll refused: {Error} (client {ClientId})")]
    public static partial void FeedPollRefused(ILogger logger, string error, string clientId);

    [LoggerMessage(EventId = 1208, Level = LogLevel.Warning, Message = "Receiver {ClientId} could not process security event {TokenId}: {Error}")]
    public static partial void FeedEventFailed(ILogger logger, string clientId, string tokenId, string error);

    [LoggerMessage(EventId = 1209, Level = LogLevel.Error, Message = "{Count} issued tokens could not be recorded; account_compromise cannot deny them by jti (subject cut-offs still cover them)")]
    public static partial void RecordingFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 1210, Level = LogLevel.Information, Message = "Revocation snapshot sent to {ClientId}: {Cutoffs} cut-offs, {Denied} denied tokens")]
    public static partial void FeedSnapshotServed(ILogger logger, string clientId, int cutoffs, int denied);
}
