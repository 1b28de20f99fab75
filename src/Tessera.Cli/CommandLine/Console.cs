namespace Tessera.Cli.CommandLine;

/// <summary>The streams and environment a command runs against, so tests can run commands in-process.</summary>
internal sealed record CliConsole(TextReader In, TextWriter Out, TextWriter Error, TimeProvider Time)
{
    public static CliConsole System => new(global::System.Console.In, global::System.Console.Out, global::System.Console.Error, TimeProvider.System);

    /// <summary>Reads a token argument, or standard input when it is "-".</summary>
    public string ReadTokenArgument(string value) => value == "-" ? In.ReadToEnd().Trim() : value.Trim();
}
