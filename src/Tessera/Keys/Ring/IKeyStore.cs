namespace Tessera.Keys.Ring;

/// <summary>
/// Where a <see cref="KeyRing"/> keeps its keys. The store does no planning: it saves and restores
/// <see cref="KeyRecord"/>s and guards them with one version number, so that of two processes planning
/// the same transition only the first one's write lands (optimistic concurrency).
/// </summary>
/// <remarks>
/// Implementations must keep private key material confidential at rest (the SQLite store encrypts it),
/// must be safe to call from several threads, and must apply a write all or nothing.
/// </remarks>
public interface IKeyStore
{
    /// <summary>Reads every record and the store's current version (0 for a store never written).</summary>
    Task<KeyStoreContents> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves <paramref name="changes"/> (records replace those with the same <c>kid</c>; others are added) and
    /// advances the version by one, but only if the store is still at <paramref name="expectedVersion"/>.
    /// Returns false, having written nothing, when another writer got there first or a new record would take
    /// a slot (algorithm and generation) that is already taken.
    /// </summary>
    Task<bool> TryWriteAsync(long expectedVersion, IReadOnlyList<KeyRecord> changes, CancellationToken cancellationToken = default);
}
