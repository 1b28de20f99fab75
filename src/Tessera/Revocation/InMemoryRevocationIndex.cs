using System.Collections.Concurrent;

namespace Tessera.Revocation;

/// <summary>
/// The in-memory revocation index: "revoked before" cut-offs by subject, tenant and client, compared with
/// <c>iat</c>, and a <c>jti</c> deny list whose entries leave when the token would have expired anyway.
/// The deny list is bounded: when it is full of live entries, <see cref="TryDeny"/> refuses (and the
/// caller falls back to a cut-off) rather than forgetting a revocation.
/// </summary>
public sealed class InMemoryRevocationIndex : IRevocationIndex
{
    /// <summary>The default deny-list capacity.</summary>
    public const int DefaultMaxDeniedTokens = 1_000_000;

    private readonly ConcurrentDictionary<string, long>[] _cutoffs =
    [
        new(StringComparer.Ordinal),
        new(StringComparer.Ordinal),
        new(StringComparer.Ordinal),
    ];

    private readonly ConcurrentDictionary<string, long>.AlternateLookup<ReadOnlySpan<char>>[] _cutoffLookups;
    private readonly ConcurrentDictionary<string, long> _denied = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _deniedLookup;
    private readonly TimeProvider _time;
    private readonly int _maxDenied;
    private readonly Lock _purgeLock = new();
    private int _cutoffCount;
    private int _deniedCount;

    /// <summary>Creates an empty index.</summary>
    public InMemoryRevocationIndex(TimeProvider? time = null, int maxDeniedTokens = DefaultMaxDeniedTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDeniedTokens, 1);
        _time = time ?? TimeProvider.System;
        _maxDenied = maxDeniedTokens;
        _cutoffLookups = [.. _cutoffs.Select(c => c.GetAlternateLookup<ReadOnlySpan<char>>())];
        _deniedLookup = _denied.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Live deny-list entries (expired ones may linger until the next purge).</summary>
    public int DeniedTokenCount => Volatile.Read(ref _deniedCount);

    /// <summary>
    /// Revokes every token of <paramref name="scope"/> <paramref name="value"/> issued before
    /// <paramref name="revokedBefore"/>. A token whose <c>iat</c> falls in the same second is revoked too:
    /// NumericDates have one-second resolution, and the safe side of that second is "revoked".
    /// Cut-offs only move forward.
    /// </summary>
    public void RevokeBefore(RevocationScope scope, string value, DateTimeOffset revokedBefore)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        var seconds = CeilingSeconds(revokedBefore);
        var map = _cutoffs[(int)scope];
        map.AddOrUpdate(
            value,
            _ =>
            {
                Interlocked.Increment(ref _cutoffCount);
                return seconds;
            },
            (_, existing) => Math.Max(existing, seconds));
    }

    /// <summary>The cut-off for a scope and value, if any.</summary>
    public DateTimeOffset? CutoffFor(RevocationScope scope, string value) =>
        _cutoffs[(int)scope].TryGetValue(value, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    /// <summary>
    /// Denies one token by <c>jti</c> until <paramref name="expiresAt"/>. Returns false when the deny list
    /// is full of unexpired entries; the caller must then revoke by cut-off instead.
    /// </summary>
    public bool TryDeny(string tokenId, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        var until = CeilingSeconds(expiresAt);
        if (until <= _time.GetUtcNow().ToUnixTimeSeconds())
        {
            return true; // already expired: nothing to remember
        }

        if (Volatile.Read(ref _deniedCount) >= _maxDenied)
        {
            PurgeExpired();
            if (Volatile.Read(ref _deniedCount) >= _maxDenied)
            {
                return false;
            }
        }

        if (_denied.TryAdd(tokenId, until))
        {
            Interlocked.Increment(ref _deniedCount);
        }
        else
        {
            _denied.AddOrUpdate(tokenId, until, (_, existing) => Math.Max(existing, until));
        }

        return true;
    }

    /// <summary>Drops deny-list entries whose tokens have expired.</summary>
    public int PurgeExpired()
    {
        lock (_purgeLock)
        {
            var now = _time.GetUtcNow().ToUnixTimeSeconds();
            var removed = 0;
            foreach (var (tokenId, until) in _denied)
            {
                if (until <= now && _denied.TryRemove(new KeyValuePair<string, long>(tokenId, until)))
                {
                    Interlocked.Decrement(ref _deniedCount);
                    removed++;
                }
            }

            return removed;
        }
    }

    /// <inheritdoc />
    public bool IsRevoked(scoped in RevocationQuery query)
    {
        if (Volatile.Read(ref _cutoffCount) > 0
            && (Cut(RevocationScope.Subject, query.Subject, query.IssuedAt)
                || Cut(RevocationScope.Tenant, query.Tenant, query.IssuedAt)
                || Cut(RevocationScope.Client, query.ClientId, query.IssuedAt)))
        {
            return true;
        }

        return Volatile.Read(ref _deniedCount) > 0
            && !query.TokenId.IsEmpty
            && _deniedLookup.TryGetValue(query.TokenId, out _);
    }

    private bool Cut(RevocationScope scope, ReadOnlySpan<char> value, long issuedAt) =>
        !value.IsEmpty && _cutoffLookups[(int)scope].TryGetValue(value, out var cutoff) && issuedAt < cutoff;

    private static long CeilingSeconds(DateTimeOffset time)
    {
        var ms = time.ToUnixTimeMilliseconds();
        return ms % 1000 == 0 ? ms / 1000 : (ms / 1000) + (ms > 0 ? 1 : 0);
    }
}
