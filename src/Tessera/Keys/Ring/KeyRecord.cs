using Tessera.Jose;

namespace Tessera.Keys.Ring;

/// <summary>
/// One key of a <see cref="KeyRing"/> with the planned times of its transitions. Immutable; a transition
/// produces a new record. A key store saves and restores records exactly as they are.
/// </summary>
public sealed class KeyRecord
{
    /// <summary>Restores a record, as a key store does when it reads one back.</summary>
    /// <param name="key">The key; with its private part while it may still sign, public-only afterwards.</param>
    /// <param name="generation">The slot of this key among the keys of its algorithm: 1, 2, 3…</param>
    /// <param name="createdAt">When the key was created and published.</param>
    /// <param name="activatesAt">When the key starts signing.</param>
    /// <param name="retiresAt">When the key stops signing; null while no successor is planned.</param>
    /// <param name="removesAt">When the key leaves the JWKS; null while it is not planned.</param>
    /// <param name="removedEarly">True when the key was removed at once (an emergency), not on the plan.</param>
    public KeyRecord(
        JsonWebKey key,
        int generation,
        DateTimeOffset createdAt,
        DateTimeOffset activatesAt,
        DateTimeOffset? retiresAt,
        DateTimeOffset? removesAt,
        bool removedEarly)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(generation, 1);
        if (key.IsSymmetric)
        {
            throw new KeyRejectedException($"Key '{key.Kid}' is an HMAC secret; a key ring publishes its keys, so it holds asymmetric keys only.");
        }

        if (key.Kid != key.Thumbprint)
        {
            throw new KeyRejectedException($"Key '{key.Kid}' has a kid that is not its RFC 7638 thumbprint; ring keys are identified by their thumbprint.");
        }

        Key = key;
        Generation = generation;
        CreatedAt = createdAt;
        ActivatesAt = activatesAt;
        RetiresAt = retiresAt;
        RemovesAt = removesAt;
        RemovedEarly = removedEarly;
    }

    /// <summary>The key identifier: the key's RFC 7638 thumbprint.</summary>
    public string Kid => Key.Kid;

    /// <summary>The one algorithm the key signs with.</summary>
    public JwsAlgorithm Algorithm => Key.Algorithm;

    /// <summary>The key. It has its private part until it retires; after that the ring keeps the public part only.</summary>
    public JsonWebKey Key { get; }

    /// <summary>The slot of this key among the keys of its algorithm (1 for the first). Two keys never share a slot.</summary>
    public int Generation { get; }

    /// <summary>When the key was created and published (state <see cref="KeyState.Pending"/>).</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>When the key starts signing (state <see cref="KeyState.Active"/>).</summary>
    public DateTimeOffset ActivatesAt { get; }

    /// <summary>When the key stops signing (state <see cref="KeyState.Retired"/>); null until a successor is planned.</summary>
    public DateTimeOffset? RetiresAt { get; }

    /// <summary>When the key leaves the JWKS (state <see cref="KeyState.Removed"/>); null until planned.</summary>
    public DateTimeOffset? RemovesAt { get; }

    /// <summary>True when the key was removed at once (an emergency), before its planned time.</summary>
    public bool RemovedEarly { get; }

    /// <summary>The key's state at <paramref name="instant"/>, computed from its transition times.</summary>
    public KeyState StateAt(DateTimeOffset instant)
    {
        if (RemovesAt <= instant)
        {
            return KeyState.Removed;
        }

        if (RetiresAt <= instant)
        {
            return KeyState.Retired;
        }

        return ActivatesAt <= instant ? KeyState.Active : KeyState.Pending;
    }

    /// <summary>True when the key is in the JWKS at <paramref name="instant"/> (pending, active or retired).</summary>
    public bool IsPublishedAt(DateTimeOffset instant) => StateAt(instant) != KeyState.Removed;

    internal KeyRecord With(
        DateTimeOffset? activatesAt = null,
        DateTimeOffset? retiresAt = null,
        DateTimeOffset? removesAt = null,
        bool clearRetirement = false,
        bool? removedEarly = null,
        bool publicOnly = false) =>
        new(
            publicOnly ? Key.ToPublicKey() : Key,
            Generation,
            CreatedAt,
            activatesAt ?? ActivatesAt,
            clearRetirement ? null : retiresAt ?? RetiresAt,
            clearRetirement ? null : removesAt ?? RemovesAt,
            removedEarly ?? RemovedEarly);

    /// <inheritdoc />
    public override string ToString() => $"{Algorithm.Name} key {Kid} (generation {Generation})";
}
