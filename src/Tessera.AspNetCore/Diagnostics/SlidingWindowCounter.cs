namespace Tessera.AspNetCore.Diagnostics;

/// <summary>
/// "At least N events within W": keeps the times of the last N events only, so its memory is fixed.
/// Not thread-safe; the analyser holds its lock.
/// </summary>
internal sealed class SlidingWindowCounter(int threshold)
{
    private readonly long[] _times = new long[threshold];
    private int _next;
    private int _count;

    /// <summary>Records an event at <paramref name="now"/> (ticks); true when the last N events all fall within <paramref name="window"/>.</summary>
    public bool Add(long now, TimeSpan window)
    {
        _times[_next] = now;
        _next = (_next + 1) % _times.Length;
        if (_count < _times.Length)
        {
            _count++;
        }

        if (_count < _times.Length)
        {
            return false;
        }

        var oldest = _times[_next]; // after wrapping, the slot to be written next holds the oldest of the last N
        return now - oldest <= window.Ticks;
    }
}
