namespace Tessera.Keys.Ring;

/// <summary>
/// A key store that lives in memory: for tests and single-process development. Keys are lost when the
/// process exits, so verifiers will see a new ring on every start; use a persistent store in production.
/// </summary>
public sealed class InMemoryKeyStore : IKeyStore
{
    private readonly Lock _lock = new();
    private KeyStoreContents _contents = new(0, []);

    /// <inheritdoc />
    public Task<KeyStoreContents> LoadAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_contents);
        }
    }

    /// <inheritdoc />
    public Task<bool> TryWriteAsync(long expectedVersion, IReadOnlyList<KeyRecord> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (_lock)
        {
            if (_contents.Version != expectedVersion)
            {
                return Task.FromResult(false);
            }

            var byKid = _contents.Keys.ToDictionary(k => k.Kid, StringComparer.Ordinal);
            foreach (var change in changes)
            {
                var slotTaken = byKid.Values.Any(k =>
                    k.Kid != change.Kid && ReferenceEquals(k.Algorithm, change.Algorithm) && k.Generation == change.Generation);
                if (slotTaken)
                {
                    return Task.FromResult(false);
                }

                byKid[change.Kid] = change;
            }

            _contents = new KeyStoreContents(expectedVersion + 1, [.. byKid.Values]);
            return Task.FromResult(true);
        }
    }
}
