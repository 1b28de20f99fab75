using Tessera.Cli.CommandLine;

namespace Tessera.Cli.Output;

/// <summary>Whether to colour output: only on an interactive terminal, never when NO_COLOR is set (https://no-color.org), output is redirected, or TERM is dumb.</summary>
internal static class Terminal
{
    public static bool UseColour(CliConsole console, bool noColourFlag) =>
        !noColourFlag && Decide(
            isTerminal: ReferenceEquals(console.Out, Console.Out) && !Console.IsOutputRedirected,
            noColor: Environment.GetEnvironmentVariable("NO_COLOR"),
            term: Environment.GetEnvironmentVariable("TERM"));

    /// <summary>The decision itself, separate from the environment so it can be tested.</summary>
    public static bool Decide(bool isTerminal, string? noColor, string? term) =>
        isTerminal && string.IsNullOrEmpty(noColor) && !string.Equals(term, "dumb", StringComparison.Ordinal);

    /// <summary>Wraps <paramref name="text"/> in an ANSI SGR sequence when <paramref name="enabled"/>.</summary>
    public static string Paint(string text, string sgr, bool enabled) => enabled ? $"\u001b[{sgr}m{text}\u001b[0m" : text;

    public const string Red = "1;31";
    public const string Yellow = "33";
    public const string Cyan = "36";
    public const string Bold = "1";
    public const string Dim = "2";
}
