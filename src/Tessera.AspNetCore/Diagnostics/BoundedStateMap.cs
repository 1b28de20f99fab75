namespace Tessera.AspNetCore.Diagnostics;

/// <summary>
/// A dictionary of per-key state that never holds more than its capacity: when full, entries idle longer than the
/// idle bound go first, then the least recently touched eighth. Not thread-safe; the analyser holds its lock.
/// </summary>
internal sealed class BoundedStateMap<TState>(int capacity, Func<TState> create)
    where TState : class
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    /// <summary>The state of <paramref name="key"/>, created (after making room) when absent.</summary>
    public TState Touch(string key, long now, long idleTicks)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.LastSeen = now;
            return entry.State;
        }

        if (_entries.Count >= capacity)
        {
            MakeRoom(now, idleTicks);
        }

        entry = new Entry(create()) { LastSeen = now };
        _entries[key] = entry;
        return entry.State;
    }

    public bool TryGet(string key, out TState state)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            state = entry.State;
            return true;
        }

        state = null!;
        return false;
    }

    public IEnumerable<(string Key, TState State)> Items => _entries.Select(e => (e.Key, e.Value.State));

    private void MakeRoom(long now, long idleTicks)
    {
        foreach (var (key, entry) in _entries)
        {
            if (now - entry.LastSeen > idleTicks)
            {
                _entries.Remove(key);
            }
        }

        if (_entries.Count < capacity)
        {
            return;
        }

        var drop = Math.Max(1, capacity / 8);
        foreach (var key in _entries.OrderBy(e => e.Value.LastSeen).Take(drop).Select(e => e.Key).ToList())
        {
            _entries.Remove(key);
        }
    }

    private sealed class Entry(TState state)
    {
        public TState State { get; } = state;

        public long LastSeen { get; set; }
    }
}
