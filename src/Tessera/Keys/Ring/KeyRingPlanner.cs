using Tessera.Jose;

namespace Tessera.Keys.Ring;

/// <summary>
/// Works out which records must change at one instant: the rotation plan, an emergency removal or a
/// rotation asked for now. It reads no clock and touches no store, so every process that plans from the
/// same records at the same instant plans the same transitions; the store's version decides whose lands.
/// </summary>
internal sealed class KeyRingPlanner
{
    private readonly Dictionary<string, KeyRecord> _keys;
    private readonly List<string> _changed = [];
    private readonly RotationPolicy _policy;
    private readonly DateTimeOffset _now;
    private readonly bool _ringWasEmpty;

    private KeyRingPlanner(IReadOnlyList<KeyRecord> keys, RotationPolicy policy, DateTimeOffset now)
    {
        _keys = keys.ToDictionary(k => k.Kid, StringComparer.Ordinal);
        _policy = policy;
        _now = now;
        _ringWasEmpty = !keys.Any(k => k.IsPublishedAt(now));
    }

    /// <summary>The records to write so the ring follows <paramref name="policy"/> at <paramref name="now"/>; empty when nothing is due.</summary>
    /// <param name="keys">Every record in the store.</param>
    /// <param name="policy">The rotation policy.</param>
    /// <param name="now">The planning instant.</param>
    /// <param name="removeKid">A key to remove at once (an emergency), or null.</param>
    /// <param name="rotate">Algorithms to start a rotation for now (if none is under way), or null.</param>
    public static IReadOnlyList<KeyRecord> Plan(
        IReadOnlyList<KeyRecord> keys,
        RotationPolicy policy,
        DateTimeOffset now,
        string? removeKid = null,
        IReadOnlyCollection<JwsAlgorithm>? rotate = null)
    {
        var planner = new KeyRingPlanner(keys, policy, now);
        if (removeKid is not null)
        {
            planner.RemoveNow(removeKid);
        }

        foreach (var algorithm in policy.Algorithms)
        {
            planner.Maintain(algorithm, rotate?.Contains(algorithm) == true);
        }

        planner.PhaseOutUnconfigured();
        planner.DestroyUnneededPrivateKeys();
        return planner._changed.Distinct(StringComparer.Ordinal).Select(kid => planner._keys[kid]).ToArray();
    }

    private void RemoveNow(string kid)
    {
        if (!_keys.TryGetValue(kid, out var key))
        {
            throw new ArgumentException($"The key ring has no key '{kid}'. List the keys to find the kid to remove.", nameof(kid));
        }

        var state = key.StateAt(_now);
        if (state == KeyState.Removed)
        {
            return;
        }

        Set(key.With(retiresAt: state == KeyState.Active ? _now : null, removesAt: _now, removedEarly: true, publicOnly: true));
        var live = Live(key.Algorithm);
        if (state == KeyState.Active)
        {
            // The compromised key signed until now: its successor takes over at once, or a new key does.
            var successor = live.FirstOrDefault(k => k.StateAt(_now) == KeyState.Pending);
            if (successor is not null)
            {
                Set(successor.With(activatesAt: _now));
            }
            else
            {
                Create(key.Algorithm, _now);
            }
        }
        else if (state == KeyState.Pending)
        {
            // The predecessor no longer has a successor: it keeps signing until the plan makes a new one.
            foreach (var predecessor in live.Where(k => k.RetiresAt == key.ActivatesAt))
            {
                Set(predecessor.With(clearRetirement: true));
            }
        }
    }

    private void Maintain(JwsAlgorithm algorithm, bool rotateNow)
    {
        var live = Live(algorithm);
        var actives = live.Where(k => k.StateAt(_now) == KeyState.Active).ToArray();
        var active = actives.LastOrDefault();
        foreach (var overlapping in actives.SkipLast(1))
        {
            // Never expected; if records ever say two keys sign at once, the newer one wins.
            Retire(overlapping, active!.ActivatesAt);
        }

        var successor = live.FirstOrDefault(k => k.StateAt(_now) == KeyState.Pending);
        if (active is null)
        {
            if (successor is null)
            {
                // A brand-new ring has never published anything a verifier could have cached, so its first
                // keys sign at once; a key added to a running ring waits its publish-ahead time.
                Create(algorithm, _ringWasEmpty ? _now : _now + _policy.PublishAhead);
            }

            return;
        }

        if (successor is not null)
        {
            if (active.RetiresAt != successor.ActivatesAt)
            {
                Retire(active, successor.ActivatesAt);
            }

            return;
        }

        var planned = active.RetiresAt ?? active.ActivatesAt + _policy.RotationPeriod;
        var earliest = _now + _policy.PublishAhead;
        if (rotateNow || active.RetiresAt is not null || earliest >= planned)
        {
            var activatesAt = rotateNow ? earliest : Max(planned, earliest);
            Create(algorithm, activatesAt);
            Retire(active, activatesAt);
        }
    }

    private void PhaseOutUnconfigured()
    {
        var unconfigured = _keys.Values
            .Where(k => k.IsPublishedAt(_now) && !_policy.Algorithms.Contains(k.Algorithm))
            .ToArray();
        foreach (var key in unconfigured)
        {
            switch (key.StateAt(_now))
            {
                case KeyState.Pending:
                    Set(key.With(removesAt: _now, publicOnly: true));
                    break;
                case KeyState.Active:
                    Retire(key, _now);
                    break;
            }
        }
    }

    private void DestroyUnneededPrivateKeys()
    {
        var done = _keys.Values
            .Where(k => k.Key.HasPrivateKey && k.StateAt(_now) is KeyState.Retired or KeyState.Removed)
            .ToArray();
        foreach (var key in done)
        {
            Set(key.With(publicOnly: true));
        }
    }

    private void Retire(KeyRecord key, DateTimeOffset at) =>
        Set(key.With(retiresAt: at, removesAt: at + _policy.RetiredRetention));

    private void Create(JwsAlgorithm algorithm, DateTimeOffset activatesAt)
    {
        var generation = _keys.Values.Where(k => ReferenceEquals(k.Algorithm, algorithm)).Select(k => k.Generation).DefaultIfEmpty(0).Max() + 1;
        Set(new KeyRecord(JsonWebKey.Generate(algorithm), generation, _now, activatesAt, null, null, removedEarly: false));
    }

    private List<KeyRecord> Live(JwsAlgorithm algorithm) =>
        _keys.Values
            .Where(k => ReferenceEquals(k.Algorithm, algorithm) && k.IsPublishedAt(_now))
            .OrderBy(k => k.ActivatesAt)
            .ThenBy(k => k.Generation)
            .ToList();

    private void Set(KeyRecord key)
    {
        _keys[key.Kid] = key;
        _changed.Add(key.Kid);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
}
