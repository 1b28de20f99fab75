using Tessera.Cli.Findings;
using Tessera.Cli.Output;

namespace Tessera.Cli.Tests.Output;

public sealed class TerminalTests
{
    [Theory]
    [InlineData(true, null, "xterm-256color", true)]
    [InlineData(true, "", "xterm", true)]
    [InlineData(true, "1", "xterm", false)]
    [InlineData(false, null, "xterm", false)]
    [InlineData(true, null, "dumb", false)]
    public void Decide_RespectsTerminalNoColorAndTerm(bool isTerminal, string? noColor, string? term, bool expected) =>
        Assert.Equal(expected, Terminal.Decide(isTerminal, noColor, term));

    [Fact]
    public void TableReport_WithColour_ColoursSeverities()
    {
        var report = new Report("lint", "token", "token");
        report.Add(Rules.AlgNone, "alg is 'none'.", "header.alg");

        var coloured = TableReport.Render(report, Severity.Low, colour: true);
        var plain = TableReport.Render(report, Severity.Low, colour: false);

        Assert.Contains("\u001b[1;31mhigh", coloured, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', plain);
    }
}
