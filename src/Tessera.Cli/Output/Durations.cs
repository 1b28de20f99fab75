using System.Globalization;

namespace Tessera.Cli.Output;

/// <summary>Times and durations as people read them, the same on every machine (invariant culture, UTC).</summary>
internal static class Durations
{
    /// <summary>An instant as <c>2025-03-01 12:00:00Z</c>.</summary>
    public static string Date(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>An instant relative to <paramref name="now"/>: <c>in 14 minutes</c>, <c>3 days ago</c>, <c>now</c>.</summary>
    public static string Relative(DateTimeOffset time, DateTimeOffset now)
    {
        var delta = time - now;
        if (delta.Duration() < TimeSpan.FromSeconds(1))
        {
            return "now";
        }

        return delta > TimeSpan.Zero ? $"in {Span(delta)}" : $"{Span(delta.Duration())} ago";
    }

    /// <summary>A duration in its largest unit and, when not zero, the next: <c>1 hour 5 minutes</c>, <c>30 days</c>, <c>45 seconds</c>.</summary>
    public static string Span(TimeSpan span)
    {
        span = span.Duration();
        var totalDays = (long)span.TotalDays;
        (long Value, string Unit)[] units =
        [
            (totalDays / 365, "year"), (totalDays % 365, "day"), (span.Hours, "hour"), (span.Minutes, "minute"), (span.Seconds, "second"),
        ];
        var first = Array.FindIndex(units, u => u.Value > 0);
        if (first < 0)
        {
            return "0 seconds";
        }

        var text = Unit(units[first]);
        return first + 1 < units.Length && units[first + 1].Value > 0 ? text + " " + Unit(units[first + 1]) : text;
    }

    private static string Unit((long Value, string Unit) unit) =>
        unit.Value.ToString(CultureInfo.InvariantCulture) + " " + unit.Unit + (unit.Value == 1 ? "" : "s");
}
