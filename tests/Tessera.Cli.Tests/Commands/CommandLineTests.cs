using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests.Commands;

/// <summary>Help, usage errors (exit 2) and --fail-on thresholds of inspect, lint and audit.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("inspect")]
    [InlineData("lint")]
    [InlineData("audit")]
    public void Help_ShowsUsageAndAnExample(string command)
    {
        var result = CliRunner.Run(command, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith($"Usage: tessera {command}", result.Out, StringComparison.Ordinal);
        Assert.Contains($"Example:\n  tessera {command} ", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_Overview_ListsTheCommands()
    {
        var result = CliRunner.Run("--help");

        Assert.Contains("inspect", result.Out, StringComparison.Ordinal);
        Assert.Contains("lint", result.Out, StringComparison.Ordinal);
        Assert.Contains("audit", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lint", "--bogus", "x.y.z")]
    [InlineData("lint", "--json", "--sarif", "x.y.z")]
    [InlineData("lint", "--fail-on", "critical", "x.y.z")]
    [InlineData("lint", "--as", "session", "x.y.z")]
    [InlineData("lint", "--wordlist", "/nonexistent/words.txt", "x.y.z")]
    [InlineData("lint", "--now", "yesterday", "x.y.z")]
    [InlineData("lint")]
    [InlineData("inspect")]
    [InlineData("inspect", "a.b.c", "d.e.f")]
    [InlineData("audit")]
    [InlineData("audit", "/nonexistent/jwks.json")]
    [InlineData("audit", "--timeout", "0", "https://id.example.test")]
    public void Run_WrongCommand_ExitsTwoWithAMessage(params string[] args)
    {
        var result = CliRunner.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"tessera {args[0]}: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_NeitherKeySetNorDiscovery_ExitsTwo()
    {
        var result = CliRunner.Run("audit", Corpus.PathOf("not-a-document.json"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("neither a JWK Set", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_NotAToken_ExitsOne()
    {
        var result = CliRunner.Run("inspect", "hello");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("three dot-separated segments", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_ReadsStandardInput()
    {
        var result = CliRunner.RunWithInput(Corpus.Tokens["good-access"].Token + "\n", "lint", "--as", "access", "-");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("token from standard input", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("low", 1)]
    [InlineData("medium", 0)]
    [InlineData("high", 0)]
    public void Lint_FailOn_ComparesWithTheMostSevereFinding(string failOn, int expected)
    {
        // Only a low finding: the header has no kid.
        var token = TokenBuilder.Hs256("""{"alg":"HS256","typ":"at+jwt"}""", TokenBuilder.Json(Corpus.AccessClaims()), Convert.ToHexString(new byte[32]) + "x");

        var result = CliRunner.Run("lint", "--as", "access", "--json", "--fail-on", failOn, token);

        Assert.Equal(expected, result.ExitCode);
        Assert.Contains("\"JWT015\"", result.Out, StringComparison.Ordinal);
        Assert.Contains("\"high\": 0,\n    \"medium\": 0,\n    \"low\": 1", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_FailOnHigh_IgnoresLowerFindings()
    {
        Assert.Equal(0, GoldenOutputTests.Audit(["retired-cert-jwks.json"], "--fail-on", "high").ExitCode);
        Assert.Equal(1, GoldenOutputTests.Audit(["retired-cert-jwks.json"]).ExitCode);
    }

    [Fact]
    public void Output_ToAStringWriter_HasNoColour()
    {
        Assert.DoesNotContain('\u001b', GoldenOutputTests.Lint("bare-claims").Out);
        Assert.DoesNotContain('\u001b', CliRunner.Run("inspect", Corpus.Tokens["good-access"].Token).Out);
    }
}
