using System.Text.Json;
using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests.Output;

/// <summary>Every SARIF log tessera writes has the structure the SARIF 2.1.0 schema requires.</summary>
public sealed class SarifOutputTests
{
    public static TheoryData<string> TokenNames => [.. Corpus.TokenNames];

    [Theory]
    [MemberData(nameof(TokenNames))]
    public void Lint_Sarif_IsValidSarif210(string name) => AssertValid(GoldenOutputTests.Lint(name, "--sarif").Out);

    [Theory]
    [InlineData("good-jwks.json")]
    [InlineData("bad-jwks.json")]
    [InlineData("bad-discovery.json")]
    [InlineData("retired-cert-jwks.json")]
    public void Audit_Sarif_IsValidSarif210(string file) => AssertValid(GoldenOutputTests.Audit([file], "--sarif").Out);

    [Fact]
    public void Audit_Sarif_PointsAtTheLineOfEachFinding()
    {
        var result = GoldenOutputTests.Audit(["bad-discovery.json", "--jwks", "bad-jwks.json"], "--sarif");
        using var sarif = JsonDocument.Parse(result.Out);
        var results = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        var password = results.Single(r => r.GetProperty("ruleId").GetString() == "DISC004");
        var physical = password.GetProperty("locations")[0].GetProperty("physicalLocation");
        var lines = File.ReadAllLines(Corpus.PathOf("bad-discovery.json"));
        var line = physical.GetProperty("region").GetProperty("startLine").GetInt32();
        Assert.Contains("grant_types_supported", lines[line - 1], StringComparison.Ordinal);
        Assert.EndsWith("bad-discovery.json", physical.GetProperty("artifactLocation").GetProperty("uri").GetString(), StringComparison.Ordinal);

        var privateKey = results.Single(r => r.GetProperty("ruleId").GetString() == "JWKS001");
        var keyLocation = privateKey.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.EndsWith("bad-jwks.json", keyLocation.GetProperty("artifactLocation").GetProperty("uri").GetString(), StringComparison.Ordinal);
        var keyLine = File.ReadAllLines(Corpus.PathOf("bad-jwks.json"))[keyLocation.GetProperty("region").GetProperty("startLine").GetInt32() - 1];
        Assert.Contains("\"d\"", keyLine, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_RejectsLogsMissingRequiredStructure()
    {
        Assert.Contains("$.version: required", SarifValidator.Validate("""{"runs":[]}"""));
        Assert.Contains("$.runs[0].tool: required", SarifValidator.Validate("""{"version":"2.1.0","runs":[{}]}"""));
        Assert.Contains("$.runs[0].tool.driver.name: required", SarifValidator.Validate("""{"version":"2.1.0","runs":[{"tool":{"driver":{}}}]}"""));
        Assert.Contains("$.runs[0].results[0].message: required", SarifValidator.Validate("""{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{}]}]}"""));
        Assert.Contains(SarifValidator.Validate("""{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{"message":{"text":"m"},"level":"fatal"}]}]}"""),
            e => e.Contains("level", StringComparison.Ordinal));
        Assert.Contains(SarifValidator.Validate("""{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"severity":"x"}]}"""),
            e => e.Contains("additionalProperties", StringComparison.Ordinal));
    }

    private static void AssertValid(string sarif)
    {
        var errors = SarifValidator.Validate(sarif);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
