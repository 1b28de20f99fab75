using System.Text.RegularExpressions;
using Tessera.Cli.Findings;
using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests.Findings;

/// <summary>The rule catalogue is one consistent table, and docs/cli.md documents every rule in it.</summary>
public sealed partial class RuleCatalogueTests
{
    [Fact]
    public void Rules_HaveUniqueStableIdsAndNames()
    {
        Assert.Equal(Rules.All.Count, Rules.All.Select(r => r.Id).Distinct().Count());
        Assert.Equal(Rules.All.Count, Rules.All.Select(r => r.Name).Distinct().Count());
        Assert.All(Rules.All, r =>
        {
            Assert.Matches(IdPattern(), r.Id);
            Assert.Matches(NamePattern(), r.Name);
            Assert.False(string.IsNullOrWhiteSpace(r.Title));
            Assert.False(string.IsNullOrWhiteSpace(r.Principle));
            Assert.False(string.IsNullOrWhiteSpace(r.Fix));
            Assert.Equal(r.Id.StartsWith("JWT0", StringComparison.Ordinal) ? RuleScope.Token : r.Id.StartsWith("JWKS", StringComparison.Ordinal) ? RuleScope.KeySet : RuleScope.Discovery, r.Scope);
        });
    }

    [Fact]
    public void Rules_AreAllListedInTheCliDocumentation()
    {
        var docs = File.ReadAllText(Path.Combine(Golden.RepositoryRoot, "docs", "cli.md"));

        Assert.All(Rules.All, r => Assert.Contains($"| {r.Id} | `{r.Name}` | {r.Severity.ToName()} |", docs, StringComparison.Ordinal));
    }

    [GeneratedRegex("^(JWT|JWKS|DISC)[0-9]{3}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex NamePattern();
}
