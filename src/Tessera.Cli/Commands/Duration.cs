using System.Globalization;
using Tessera.Cli.CommandLine;

namespace Tessera.Cli.Commands;

/// <summary>Durations on the command line: a whole number with a unit, <c>30d</c>, <c>12h</c>, <c>5m</c> or <c>90s</c>.</summary>
internal static class Duration
{
    public static TimeSpan? Parse(Arguments parsed, string option)
    {
        var text = parsed.Value(option);
        if (text is null)
        {
            return null;
        }

        var unit = text.Length > 1 ? text[^1] : '\0';
        if (long.TryParse(text.AsSpan(0, Math.Max(text.Length - 1, 0)), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            && value is > 0 and <= 36500)
        {
            switch (unit)
            {
                case 'd': return TimeSpan.FromDays(value);
                case 'h': return TimeSpan.FromHours(value);
                case 'm': return TimeSpan.FromMinutes(value);
                case 's': return TimeSpan.FromSeconds(value);
            }
        }

        throw new UsageException($"{option} must be a whole number with a unit: d, h, m or s (e.g. 30d, 12h, 5m, 90s); got '{text}'.");
    }
}
