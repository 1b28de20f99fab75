using Tessera.Jose;

namespace Tessera.Keys.Ring;

/// <summary>
/// The token service's signing keys, rotated on a plan: one active key per algorithm, each published
/// before it signs and after it stops. Every process sharing an <see cref="IKeyStore"/> runs its own ring;
/// each computes the same plan from the records' timestamps and the store's version lets only the first
/// write of a transition land, so no leader is needed. Thread-safe.
/// </summary>
/// <remarks>
/// Call <see cref="RefreshAsync"/> at start-up and sign through <see cref="GetSigningKeyAsync"/>, which
/// re-reads the store whenever the view is older than <see cref="RotationPolicy.RefreshInterval"/> and
/// applies any transition that is due. A token must not live longer than <see cref="RotationPolicy.MaxTokenLifetime"/>.
/// </remarks>
public sealed class KeyRing
{
    private const int MaxWriteAttempts = 8;

    private readonly IKeyStore _store;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private KeyRingSnapshot? _snapshot;

    /// <summary>Creates a ring over <paramref name="store"/>. Throws <see cref="ArgumentException"/> naming the fix when the policy is inconsistent.</summary>
    public KeyRing(IKeyStore store, RotationPolicy? policy = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        policy ??= RotationPolicy.Default;
        policy.Validate();
        _store = store;
        Policy = policy;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The rotation policy.</summary>
    public RotationPolicy Policy { get; }

    /// <summary>
    /// The ring now, from the last read of the store (no I/O). Throws <see cref="InvalidOperationException"/>
    /// before the first <see cref="RefreshAsync"/> or <see cref="ReadAsync"/>.
    /// </summary>
    public KeyRingSnapshot Current
    {
        get
        {
            var snapshot = Volatile.Read(ref _snapshot)
                ?? throw new InvalidOperationException("The key ring has not been read yet. Call RefreshAsync at start-up.");
            var now = _time.GetUtcNow();
            if (snapshot.NextChangeAt <= now)
            {
                var moved = snapshot.EvaluatedAt(now);
                Interlocked.CompareExchange(ref _snapshot, moved, snapshot);
                return moved;
            }

            return snapshot;
        }
    }

    /// <summary>Reads the store and writes every transition that is due (new keys, retirements, removals).</summary>
    public Task<KeyRingSnapshot> RefreshAsync(CancellationToken cancellationToken = default) =>
        WriteAsync(null, null, cancellationToken);

    /// <summary>Reads the store without writing anything: for tools that must not change the ring.</summary>
    public async Task<KeyRingSnapshot> ReadAsync(CancellationToken cancellationToken = default)
    {
        var contents = await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
        return Publish(Evaluate(contents, _time.GetUtcNow()));
    }

    /// <summary>
    /// Starts a rotation now for <paramref name="algorithm"/> (every configured algorithm when null): a new key
    /// is published at once and takes over after <see cref="RotationPolicy.PublishAhead"/>. Does nothing for an
    /// algorithm whose successor is already published.
    /// </summary>
    public Task<KeyRingSnapshot> RotateAsync(JwsAlgorithm? algorithm = null, CancellationToken cancellationToken = default)
    {
        if (algorithm is not null && !Policy.Algorithms.Contains(algorithm))
        {
            throw new ArgumentException($"The ring is not configured for {algorithm.Name}; it rotates {string.Join(", ", Policy.Algorithms)}.", nameof(algorithm));
        }

        return WriteAsync(null, algorithm is null ? Policy.Algorithms : [algorithm], cancellationToken);
    }

    /// <summary>
    /// Emergency rotation: removes key <paramref name="kid"/> from the JWKS at once, so tokens it signed are
    /// rejected from now on (by verifiers once their JWKS cache expires). If it was signing, its published
    /// successor takes over now, or a new key does. Throws <see cref="ArgumentException"/> for an unknown kid.
    /// </summary>
    public Task<KeyRingSnapshot> RemoveAsync(string kid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(kid);
        return WriteAsync(kid, null, cancellationToken);
    }

    /// <summary>
    /// The key that signs for <paramref name="algorithm"/> (the first configured algorithm when null), after
    /// re-reading the store if the view is older than the refresh interval. Throws <see cref="InvalidOperationException"/>
    /// when the algorithm has no active key yet (a key added to a running ring waits its publish-ahead time).
    /// </summary>
    public async ValueTask<JsonWebKey> GetSigningKeyAsync(JwsAlgorithm? algorithm = null, CancellationToken cancellationToken = default)
    {
        algorithm ??= Policy.Algorithms[0];
        var snapshot = await FreshAsync(cancellationToken).ConfigureAwait(false);
        if (snapshot.TryGetSigningKey(algorithm, out var key))
        {
            return key;
        }

        var pending = snapshot.Published.FirstOrDefault(k => ReferenceEquals(k.Algorithm, algorithm));
        throw new InvalidOperationException(pending is null
            ? $"The key ring has no {algorithm.Name} key. Add {algorithm.Name} to the rotation policy's algorithms."
            : $"The {algorithm.Name} key {pending.Kid} is published but signs only from {pending.ActivatesAt:O}, once verifiers can have fetched it. Sign with another configured algorithm until then.");
    }

    /// <summary>The JWK Set document to publish now, re-reading the store if the view is older than the refresh interval.</summary>
    public async ValueTask<JwksDocument> GetJwksAsync(CancellationToken cancellationToken = default) =>
        (await FreshAsync(cancellationToken).ConfigureAwait(false)).Jwks;

    private async ValueTask<KeyRingSnapshot> FreshAsync(CancellationToken cancellationToken)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is null || _time.GetUtcNow() - snapshot.LoadedAt >= Policy.RefreshInterval)
        {
            return await WriteAsync(null, null, cancellationToken, onlyIfStale: true).ConfigureAwait(false);
        }

        return Current;
    }

    private async Task<KeyRingSnapshot> WriteAsync(
        string? removeKid, IReadOnlyCollection<JwsAlgorithm>? rotate, CancellationToken cancellationToken, bool onlyIfStale = false)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Callers that queued behind a refresh use its result instead of reading the store again.
            var known = Volatile.Read(ref _snapshot);
            if (onlyIfStale && known is not null && _time.GetUtcNow() - known.LoadedAt < Policy.RefreshInterval)
            {
                return Current;
            }

            for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
            {
                var contents = await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
                var now = _time.GetUtcNow();
                var changes = KeyRingPlanner.Plan(contents.Keys, Policy, now, removeKid, rotate);
                if (changes.Count == 0)
                {
                    return Publish(Evaluate(contents, now));
                }

                if (await _store.TryWriteAsync(contents.Version, changes, cancellationToken).ConfigureAwait(false))
                {
                    var written = Merge(contents, changes);
                    return Publish(new KeyRingSnapshot(written, Policy, now, now));
                }

                // Another process wrote first: read its records and plan again from them.
            }

            throw new InvalidOperationException(
                $"The key store kept changing under the key ring ({MaxWriteAttempts} attempts). Check that no process writes the store in a loop.");
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private KeyRingSnapshot Evaluate(KeyStoreContents contents, DateTimeOffset now) =>
        Volatile.Read(ref _snapshot)?.Next(contents, Policy, now) ?? new KeyRingSnapshot(contents, Policy, now, now);

    private KeyRingSnapshot Publish(KeyRingSnapshot snapshot)
    {
        // A slow read must not replace the view of a newer store version.
        var known = Volatile.Read(ref _snapshot);
        while (known is null || known.Version <= snapshot.Version)
        {
            var seen = Interlocked.CompareExchange(ref _snapshot, snapshot, known);
            if (ReferenceEquals(seen, known))
            {
                break;
            }

            known = seen;
        }

        return snapshot;
    }

    private static KeyStoreContents Merge(KeyStoreContents contents, IReadOnlyList<KeyRecord> changes)
    {
        var byKid = contents.Keys.ToDictionary(k => k.Kid, StringComparer.Ordinal);
        foreach (var change in changes)
        {
            byKid[change.Kid] = change;
        }

        return new KeyStoreContents(contents.Version + 1, [.. byKid.Values]);
    }
}
