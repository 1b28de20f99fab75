namespace Tessera.Keys.Ring;

/// <summary>What a <see cref="IKeyStore"/> holds at one version: every key record, removed ones included.</summary>
/// <param name="Version">The store's version; each successful write advances it by one.</param>
/// <param name="Keys">Every record in the store.</param>
public sealed record KeyStoreContents(long Version, IReadOnlyList<KeyRecord> Keys);
