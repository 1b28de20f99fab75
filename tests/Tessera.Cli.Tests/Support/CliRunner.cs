using Microsoft.Extensions.Time.Testing;
using Tessera.Cli;
using Tessera.Cli.CommandLine;

namespace Tessera.Cli.Tests.Support;

/// <summary>What one in-process run of <c>tessera</c> printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public string All => Out + Error;
}

/// <summary>Runs <c>tessera</c> in-process against string streams and a fixed clock.</summary>
internal static class CliRunner
{
    /// <summary>The "now" of every test: 2025-06-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public static CliResult Run(params string[] args) => RunWithInput(string.Empty, args);

    public static CliResult RunWithInput(string input, params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var console = new CliConsole(new StringReader(input), output, error, new FakeTimeProvider(Now));
        var code = TesseraCli.Run(args, console);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
