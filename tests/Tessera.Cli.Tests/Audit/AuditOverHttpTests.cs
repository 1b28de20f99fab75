using System.Text.Json;
using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests.Audit;

/// <summary><c>tessera audit URL</c> against a real Kestrel server on 127.0.0.1.</summary>
public sealed class AuditOverHttpTests(IssuerServer server) : IClassFixture<IssuerServer>
{
    /// <summary>Every flaw planted in the broken discovery document and JWK Set.</summary>
    private static readonly string[] Planted =
    [
        "DISC001", "DISC002", "DISC003", "DISC004", "DISC005", "DISC006", "DISC007", "DISC008", "DISC009", "DISC010",
        "JWKS001", "JWKS002", "JWKS003", "JWKS004", "JWKS005", "JWKS006", "JWKS007", "JWKS008", "JWKS009", "JWKS010",
        "JWKS011", "JWKS012", "JWKS014",
    ];

    [Fact]
    public void Audit_BrokenIssuer_FindsEveryPlantedFlawAndNothingElse()
    {
        var result = CliRunner.Run("audit", "--json", server.BaseUrl + "/broken");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(Planted, RuleIds(result.Out).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Audit_BrokenIssuer_ReportsKeyFindingsAgainstTheJwksUri()
    {
        var result = CliRunner.Run("audit", "--json", server.BaseUrl + "/broken");
        using var json = JsonDocument.Parse(result.Out);
        var privateKey = json.RootElement.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("ruleId").GetString() == "JWKS001");

        Assert.Equal(server.BaseUrl + "/broken/jwks", privateKey.GetProperty("artifact").GetString());
        Assert.True(privateKey.GetProperty("line").GetInt32() > 1);
    }

    [Fact]
    public void Audit_GoodIssuer_FindsNothing()
    {
        var result = CliRunner.Run("audit", server.BaseUrl + "/good");

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("No findings.", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_DiscoveryDocumentUrl_IsAuditedDirectly()
    {
        var result = CliRunner.Run("audit", "--json", server.BaseUrl + "/good/.well-known/openid-configuration");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(RuleIds(result.Out));
    }

    [Fact]
    public void Audit_JwksUrl_IsAuditedAsAKeySet()
    {
        var result = CliRunner.Run("audit", "--json", server.BaseUrl + "/broken/jwks");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("JWKS001", RuleIds(result.Out));
        Assert.DoesNotContain(RuleIds(result.Out), id => id.StartsWith("DISC", StringComparison.Ordinal));
    }

    [Fact]
    public void Audit_UnreachableJwks_IsAFinding()
    {
        var result = CliRunner.Run("audit", "--json", server.BaseUrl + "/no-jwks");

        Assert.Equal(["DISC012"], RuleIds(result.Out));
        Assert.Contains("HTTP 404", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_EmptyJwks_IsAFinding() =>
        Assert.Equal(["JWKS013"], RuleIds(CliRunner.Run("audit", "--json", server.BaseUrl + "/empty-jwks").Out));

    [Fact]
    public void Audit_OversizedDocument_IsRefusedWithoutReadingIt()
    {
        var result = CliRunner.Run("audit", server.BaseUrl + "/huge");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("larger than 1048576 bytes", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_RedirectToPlainHttp_IsNotFollowed()
    {
        var result = CliRunner.Run("audit", server.BaseUrl + "/redirect");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not HTTPS; the redirect was not followed", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_SlowIssuer_TimesOut()
    {
        var result = CliRunner.Run("audit", "--timeout", "1", server.BaseUrl + "/slow");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("within 1 s", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_PlainHttpToAnotherHost_IsRefusedBeforeConnecting()
    {
        var result = CliRunner.Run("audit", "http://tessera.invalid");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("plain HTTP", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void InspectLintAndFileAudit_NeverFetchWhatTheInputNames()
    {
        var trap = server.BaseUrl + "/trap";
        var header = $$"""{"alg":"HS256","typ":"at+jwt","jku":"{{trap}}/jwks","x5u":"{{trap}}/cert"}""";
        var token = TokenBuilder.Hs256(header, TokenBuilder.Json(Corpus.AccessClaims()), Corpus.BundledSecret);
        var discovery = Path.Combine(Corpus.Directory, "trap-discovery.json");
        File.WriteAllText(discovery, Corpus.GoodDiscovery(trap, trap + "/jwks"));

        Assert.Equal(0, CliRunner.Run("inspect", token).ExitCode);
        Assert.Equal(1, CliRunner.Run("lint", "--as", "access", token).ExitCode);
        Assert.Equal(0, CliRunner.Run("audit", discovery).ExitCode);
        Assert.Equal(0, server.TrapHits);
    }

    private static List<string> RuleIds(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("ruleId").GetString()!).ToList();
    }
}
