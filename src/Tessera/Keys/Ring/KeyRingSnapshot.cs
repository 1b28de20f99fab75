using System.Diagnostics.CodeAnalysis;
using Tessera.Jose;

namespace Tessera.Keys.Ring;

/// <summary>
/// The key ring as it stood at one instant: every record, the published keys, the JWKS document and the
/// one signing key per algorithm. Immutable and safe to share; <see cref="KeyRing"/> makes a new one when
/// the store changes or a planned transition time passes.
/// </summary>
public sealed class KeyRingSnapshot
{
    private readonly Dictionary<JwsAlgorithm, JsonWebKey> _signing;
    private readonly Lazy<JsonWebKeySet?> _publishedKeySet;

    internal KeyRingSnapshot(KeyStoreContents contents, RotationPolicy policy, DateTimeOffset at, DateTimeOffset loadedAt)
    {
        Contents = contents;
        Policy = policy;
        At = at;
        LoadedAt = loadedAt;
        Keys = [.. contents.Keys.OrderBy(k => k.Algorithm.Name, StringComparer.Ordinal).ThenBy(k => k.Generation)];
        Published = [.. Keys.Where(k => k.IsPublishedAt(at))];
        var published = Published;
        _publishedKeySet = new(() => published.Count == 0 ? null : JsonWebKeySet.Create(published.Select(k => k.Key.ToPublicKey())));
        Jwks = JwksDocument.Create(Published.Select(k => k.Key), policy.JwksCacheLifetime);
        _signing = [];
        foreach (var key in Published.Where(k => k.StateAt(at) == KeyState.Active && k.Key.HasPrivateKey))
        {
            _signing[key.Algorithm] = key.Key;
        }

        NextChangeAt = Keys
            .SelectMany(k => new[] { k.ActivatesAt, k.RetiresAt, k.RemovesAt })
            .Where(t => t > at)
            .Min();
    }

    // The same evaluation read again later: nothing changed, so the computed parts are shared.
    private KeyRingSnapshot(KeyRingSnapshot source, DateTimeOffset at, DateTimeOffset loadedAt)
    {
        Contents = source.Contents;
        Policy = source.Policy;
        At = at;
        LoadedAt = loadedAt;
        Keys = source.Keys;
        Published = source.Published;
        _publishedKeySet = source._publishedKeySet;
        Jwks = source.Jwks;
        _signing = source._signing;
        NextChangeAt = source.NextChangeAt;
    }

    /// <summary>The instant the states, the published set and the signing keys are computed for.</summary>
    public DateTimeOffset At { get; }

    /// <summary>When the records were read from the store.</summary>
    public DateTimeOffset LoadedAt { get; }

    /// <summary>The store version the records were read at.</summary>
    public long Version => Contents.Version;

    /// <summary>Every record, removed ones included, by algorithm then generation.</summary>
    public IReadOnlyList<KeyRecord> Keys { get; }

    /// <summary>The records in the JWKS at <see cref="At"/>: pending, active and retired keys.</summary>
    public IReadOnlyList<KeyRecord> Published { get; }

    /// <summary>The public keys of <see cref="Published"/> as a key set for verifying, or null when nothing is published.</summary>
    public JsonWebKeySet? PublishedKeySet => _publishedKeySet.Value;

    /// <summary>The JWK Set document to serve.</summary>
    public JwksDocument Jwks { get; }

    /// <summary>The next planned transition after <see cref="At"/>, or null when none is planned.</summary>
    public DateTimeOffset? NextChangeAt { get; }

    internal KeyStoreContents Contents { get; }

    internal RotationPolicy Policy { get; }

    /// <summary>The state of <paramref name="key"/> at <see cref="At"/>.</summary>
    public KeyState StateOf(KeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.StateAt(At);
    }

    /// <summary>The active key of <paramref name="algorithm"/> at <see cref="At"/>, if there is one.</summary>
    public bool TryGetSigningKey(JwsAlgorithm algorithm, [NotNullWhen(true)] out JsonWebKey? key) =>
        _signing.TryGetValue(algorithm, out key);

    /// <summary>The same records evaluated at a later instant (no store read).</summary>
    internal KeyRingSnapshot EvaluatedAt(DateTimeOffset instant) => new(Contents, Policy, instant, LoadedAt);

    /// <summary>
    /// A snapshot of <paramref name="contents"/> at <paramref name="now"/>, sharing this one's computed parts when
    /// the store has not changed and no planned transition has passed since.
    /// </summary>
    internal KeyRingSnapshot Next(KeyStoreContents contents, RotationPolicy policy, DateTimeOffset now) =>
        contents.Version == Version && ReferenceEquals(policy, Policy) && now >= At && !(NextChangeAt <= now)
            ? new KeyRingSnapshot(this, now, now)
            : new KeyRingSnapshot(contents, policy, now, now);
}
