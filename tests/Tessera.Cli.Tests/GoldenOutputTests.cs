using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests;

/// <summary>
/// Golden-output tests: every corpus token, key set and discovery document through lint, inspect and audit,
/// in each output format. See Golden/README.md to regenerate.
/// </summary>
public sealed class GoldenOutputTests
{
    public static TheoryData<string> TokenNames => [.. Corpus.TokenNames];

    public static TheoryData<string> InspectNames => ["good-access", "personal-data", "alg-none", "non-canonical", "times-odd", "key-headers"];

    public static TheoryData<string, string[]> AuditCases => new()
    {
        { "good-jwks", ["good-jwks.json"] },
        { "good-discovery", ["good-discovery.json", "--jwks", "good-jwks.json"] },
        { "bad-jwks", ["bad-jwks.json"] },
        { "bad-discovery", ["bad-discovery.json", "--jwks", "bad-jwks.json"] },
        { "bad-discovery-only", ["bad-discovery.json"] },
        { "retired-cert-jwks", ["retired-cert-jwks.json"] },
    };

    [Theory]
    [MemberData(nameof(TokenNames))]
    public void Lint_Table_MatchesGolden(string name) => Golden.Verify($"lint-{name}.txt", Lint(name, "--no-color").Out);

    [Theory]
    [MemberData(nameof(TokenNames))]
    public void Lint_Json_MatchesGolden(string name) => Golden.Verify($"lint-{name}.json", Lint(name, "--json").Out);

    [Theory]
    [InlineData("weak-secret-bundled")]
    [InlineData("key-headers")]
    [InlineData("good-access")]
    public void Lint_Sarif_MatchesGolden(string name) => Golden.Verify($"lint-{name}.sarif", Lint(name, "--sarif").Out);

    [Theory]
    [MemberData(nameof(InspectNames))]
    public void Inspect_Text_MatchesGolden(string name) =>
        Golden.Verify($"inspect-{name}.txt", CliRunner.Run("inspect", "--no-color", Corpus.Tokens[name].Token).Out);

    [Theory]
    [MemberData(nameof(InspectNames))]
    public void Inspect_Json_MatchesGolden(string name) =>
        Golden.Verify($"inspect-{name}.json", CliRunner.Run("inspect", "--json", Corpus.Tokens[name].Token).Out);

    [Theory]
    [MemberData(nameof(AuditCases))]
    public void Audit_Table_MatchesGolden(string name, string[] args) => Golden.Verify($"audit-{name}.txt", Audit(args, "--no-color").Out);

    [Theory]
    [MemberData(nameof(AuditCases))]
    public void Audit_Json_MatchesGolden(string name, string[] args) => Golden.Verify($"audit-{name}.json", Audit(args, "--json").Out);

    [Theory]
    [InlineData("bad-discovery", new[] { "bad-discovery.json", "--jwks", "bad-jwks.json" })]
    [InlineData("good-jwks", new[] { "good-jwks.json" })]
    public void Audit_Sarif_MatchesGolden(string name, string[] args) => Golden.Verify($"audit-{name}.sarif", Audit(args, "--sarif").Out);

    internal static CliResult Lint(string name, params string[] format)
    {
        var token = Corpus.Tokens[name];
        var args = token.LintArgs.Select(a => a.Replace("{corpus}", Corpus.Directory, StringComparison.Ordinal));
        return CliRunner.Run(["lint", .. args, .. format, token.Token]);
    }

    internal static CliResult Audit(string[] args, params string[] format) =>
        CliRunner.Run(["audit", .. format, .. args.Select(a => a.EndsWith(".json", StringComparison.Ordinal) ? Corpus.PathOf(a) : a)]);
}
