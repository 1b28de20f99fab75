namespace Tessera.AspNetCore.Revocation;

/// <summary>
/// How current this API's revocation state is: when a poll last confirmed it, and therefore how stale it may be.
/// Until the first successful poll the state is not fresh. Thread-safe.
/// </summary>
public sealed class RevocationFeedState
{
    private readonly TimeProvider _time;
    private long _syncedAtTicks;
    private long _eventsApplied;

    /// <summary>Creates a state that has never been synchronised.</summary>
    public RevocationFeedState(TimeProvider time, TimeSpan maxStaleness)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        MaxStaleness = maxStaleness;
    }

    /// <summary>The default bound of <see cref="IsFresh"/> (<see cref="RevocationFeedOptions.MaxStaleness"/>).</summary>
    public TimeSpan MaxStaleness { get; }

    /// <summary>
    /// When the state was last confirmed: the moment the answer to the last complete poll arrived (every event the
    /// token service held for this API had been applied, and it had no more). Null before the first such poll.
    /// </summary>
    public DateTimeOffset? SyncedAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _syncedAtTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>How long ago the state was confirmed; null if never.</summary>
    public TimeSpan? Staleness => SyncedAt is { } at ? _time.GetUtcNow() - at : null;

    /// <summary>Events applied since start.</summary>
    public long EventsApplied => Interlocked.Read(ref _eventsApplied);

    /// <summary>True when the state was confirmed within <paramref name="maxStaleness"/> (default <see cref="MaxStaleness"/>).</summary>
    public bool IsFresh(TimeSpan? maxStaleness = null) => Staleness is { } age && age <= (maxStaleness ?? MaxStaleness);

    internal void Synced(DateTimeOffset answeredAt)
    {
        // Only forward.
        var ticks = answeredAt.UtcTicks;
        long current;
        do
        {
            current = Interlocked.Read(ref _syncedAtTicks);
            if (ticks <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _syncedAtTicks, ticks, current) != current);
    }

    internal void Applied(int count) => Interlocked.Add(ref _eventsApplied, count);
}
