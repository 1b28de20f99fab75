namespace Tessera.Revocation;

/// <summary>
/// Where the token service keeps revocation state so that it survives restarts and reaches every resource
/// server: the tokens it issued (so a compromise can deny the outstanding ones), the cut-offs and denied
/// <c>jti</c>s, the audit record of every trigger, and the feed of signed Security Event Tokens with each
/// receiver's acknowledgements. Implementations are thread-safe.
/// </summary>
public interface IRevocationStore
{
    /// <summary>Records tokens as issued. A <c>jti</c> already recorded is left as it is.</summary>
    Task RecordIssuedAsync(IReadOnlyList<IssuedTokenRecord> tokens, CancellationToken cancellationToken = default);

    /// <summary>Unexpired issued tokens of one subject, tenant or client: at most <paramref name="limit"/>, the longest-lived first.</summary>
    Task<IReadOnlyList<IssuedTokenRecord>> FindOutstandingAsync(RevocationScope scope, string value, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Persists one revocation in a single transaction: its trigger record, its cut-offs (which only move
    /// forward), its denied tokens and its Security Event Tokens, appended to the feed in order. Either all of
    /// it is stored or none.
    /// </summary>
    Task ApplyAsync(RevocationChange change, CancellationToken cancellationToken = default);

    /// <summary>Every cut-off and every denied token not yet expired, to rebuild an in-memory index; expired entries are purged.</summary>
    Task<RevocationSnapshot> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>The most recent triggers, newest first.</summary>
    Task<IReadOnlyList<RevocationTrigger>> ListTriggersAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// One RFC 8936 poll by <paramref name="receiver"/>: records its acknowledgements, then returns up to
    /// <paramref name="maxEvents"/> of the oldest events it has not acknowledged (delivered before or not).
    /// A receiver sees the events appended from <paramref name="registeredAt"/> on; an unknown <c>jti</c> in
    /// <paramref name="acknowledged"/> is ignored.
    /// </summary>
    Task<FeedBatch> PollFeedAsync(string receiver, DateTimeOffset registeredAt, IReadOnlyCollection<string> acknowledged, int maxEvents, CancellationToken cancellationToken = default);
}
