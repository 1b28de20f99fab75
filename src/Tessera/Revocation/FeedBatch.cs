namespace Tessera.Revocation;

/// <summary>What one poll of the revocation feed returns.</summary>
/// <param name="Events">The events, oldest first.</param>
/// <param name="MoreAvailable">True when more unacknowledged events wait beyond these.</param>
public sealed record FeedBatch(IReadOnlyList<SecurityEventRecord> Events, bool MoreAvailable);
