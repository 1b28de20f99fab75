using System.Globalization;
using Tessera.Cli.CommandLine;

namespace Tessera.Cli.Commands;

/// <summary><c>--now UNIX_SECONDS</c>: judge times against a fixed instant instead of the console's clock (for reproducible CI output).</summary>
internal static class ClockOption
{
    public const string Name = "--now";

    public static DateTimeOffset Now(Arguments parsed, CliConsole console)
    {
        var value = parsed.Value(Name);
        if (value is null)
        {
            return console.Time.GetUtcNow();
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw new UsageException($"--now must be a number of seconds since 1970-01-01T00:00:00Z, not '{value}'.");
    }
}
