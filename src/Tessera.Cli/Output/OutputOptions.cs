using Tessera.Cli.CommandLine;
using Tessera.Cli.Findings;

namespace Tessera.Cli.Output;

/// <summary>The output formats of <c>lint</c> and <c>audit</c>.</summary>
internal enum OutputFormat
{
    /// <summary>A table for people (coloured on a terminal).</summary>
    Table,
    /// <summary><c>--json</c>: one JSON object.</summary>
    Json,
    /// <summary><c>--sarif</c>: a SARIF 2.1.0 log for code-scanning tools.</summary>
    Sarif,
}

/// <summary>The output options shared by commands that report findings: <c>--json</c>, <c>--sarif</c>, <c>--fail-on</c>, <c>--no-color</c>.</summary>
internal sealed record OutputOptions(OutputFormat Format, Severity FailOn, bool Colour)
{
    public static readonly string[] Options = ["--fail-on"];
    public static readonly string[] Flags = ["--json", "--sarif", "--no-color"];

    public const string Help = """
          --json             print one JSON object instead of a table
          --sarif            print a SARIF 2.1.0 log (for code scanning, e.g. GitHub)
          --fail-on LEVEL    exit 1 when a finding is at or above low|medium|high (default: low)
          --no-color         never colour the table (also: NO_COLOR=1, or redirect the output)
        """;

    public static OutputOptions From(Arguments parsed, CliConsole console)
    {
        if (parsed.Has("--json") && parsed.Has("--sarif"))
        {
            throw new UsageException("Choose one of --json and --sarif.");
        }

        var format = parsed.Has("--json") ? OutputFormat.Json : parsed.Has("--sarif") ? OutputFormat.Sarif : OutputFormat.Table;
        var failOn = SeverityNames.Parse(parsed.Value("--fail-on"), "--fail-on");
        return new OutputOptions(format, failOn, format == OutputFormat.Table && Terminal.UseColour(console, parsed.Has("--no-color")));
    }

    /// <summary>Writes <paramref name="report"/> in the chosen format and returns the exit code.</summary>
    public int Write(Report report, CliConsole console)
    {
        var text = Format switch
        {
            OutputFormat.Json => JsonReport.Render(report, FailOn),
            OutputFormat.Sarif => SarifReport.Render(report),
            _ => TableReport.Render(report, FailOn, Colour),
        };
        console.Out.Write(text);
        return report.ExitCode(FailOn);
    }
}
