namespace Tessera.AspNetCore.Diagnostics;

/// <summary>
/// The last <see cref="Capacity"/> clock samples of one client (token <c>iat</c> minus arrival time, in seconds), and a
/// robust estimate from them: the median, with the median absolute deviation as its spread. Not thread-safe.
/// </summary>
internal sealed class ClockDriftTracker
{
    public const int Capacity = 32;

    private readonly double[] _offsets = new double[Capacity];
    private readonly long[] _times = new long[Capacity];
    private int _next;
    private int _count;

    public void Add(double offsetSeconds, long now)
    {
        _offsets[_next] = offsetSeconds;
        _times[_next] = now;
        _next = (_next + 1) % Capacity;
        _count = Math.Min(_count + 1, Capacity);
    }

    /// <summary>The median and spread of the samples within <paramref name="window"/>, or null with fewer than <paramref name="minSamples"/>.</summary>
    public (double Median, double Spread, int Samples)? Estimate(long now, TimeSpan window, int minSamples)
    {
        Span<double> recent = stackalloc double[Capacity];
        var n = 0;
        for (var i = 0; i < _count; i++)
        {
            if (now - _times[i] <= window.Ticks)
            {
                recent[n++] = _offsets[i];
            }
        }

        if (n < minSamples || n == 0)
        {
            return null;
        }

        var samples = recent[..n];
        var median = Median(samples);
        for (var i = 0; i < n; i++)
        {
            samples[i] = Math.Abs(samples[i] - median);
        }

        return (median, Median(samples), n);
    }

    private static double Median(Span<double> values)
    {
        values.Sort();
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
