using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tessera.Cli.Findings;

namespace Tessera.Cli.Output;

/// <summary>
/// <c>--sarif</c>: a SARIF 2.1.0 log with one run. The driver lists the rules that were broken (id, name,
/// descriptions, help, default level, <c>security-severity</c>); each result points at the checked document
/// (line when known) and at the member within it as a logical location.
/// </summary>
internal static class SarifReport
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";
    public const string SarifVersion = "2.1.0";

    public static string Render(Report report)
    {
        var findings = report.Findings;
        var rules = findings.Select(f => f.Rule).Distinct().OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        var buffer = new ArrayBufferWriter<byte>(8192);
        using (var w = new Utf8JsonWriter(buffer, JsonReport.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("$schema", SchemaUri);
            w.WriteString("version", SarifVersion);
            w.WriteStartArray("runs");
            w.WriteStartObject();
            WriteTool(w, rules);
            w.WriteStartArray("results");
            foreach (var finding in findings)
            {
                WriteResult(w, report, finding, rules.IndexOf(finding.Rule));
            }

            w.WriteEndArray();
            w.WriteString("columnKind", "utf16CodeUnits");
            w.WriteStartObject("properties");
            w.WriteString("command", report.Command);
            w.WriteString("target", report.Target);
            w.WriteBoolean("unverified", report.Unverified);
            w.WriteStartArray("notes");
            foreach (var note in report.Notes)
            {
                w.WriteStringValue(note);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    private static void WriteTool(Utf8JsonWriter w, List<Rule> rules)
    {
        w.WriteStartObject("tool");
        w.WriteStartObject("driver");
        w.WriteString("name", ToolInfo.Name);
        w.WriteString("version", ToolInfo.Version);
        w.WriteString("semanticVersion", ToolInfo.Version);
        w.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            w.WriteStartObject();
            w.WriteString("id", rule.Id);
            w.WriteString("name", rule.Name);
            Message(w, "shortDescription", rule.Title);
            Message(w, "fullDescription", rule.Principle);
            w.WriteStartObject("help");
            w.WriteString("text", rule.Fix);
            w.WriteString("markdown", $"**Fix:** {rule.Fix}\n\n**Principle:** {rule.Principle}");
            w.WriteEndObject();
            w.WriteStartObject("defaultConfiguration");
            w.WriteString("level", rule.Severity.ToSarifLevel());
            w.WriteEndObject();
            w.WriteStartObject("properties");
            w.WriteStartArray("tags");
            w.WriteStringValue("security");
            w.WriteStringValue(rule.Scope switch { RuleScope.Token => "jwt", RuleScope.KeySet => "jwks", _ => "oauth" });
            w.WriteEndArray();
            w.WriteString("precision", "high");
            w.WriteString("security-severity", rule.Severity.ToSecurityScore());
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter w, Report report, Finding finding, int ruleIndex)
    {
        var artifact = finding.ArtifactUri ?? report.ArtifactUri;
        w.WriteStartObject();
        w.WriteString("ruleId", finding.Rule.Id);
        w.WriteNumber("ruleIndex", ruleIndex);
        w.WriteString("level", finding.Severity.ToSarifLevel());
        Message(w, "message", finding.Message);
        w.WriteStartArray("locations");
        w.WriteStartObject();
        w.WriteStartObject("physicalLocation");
        w.WriteStartObject("artifactLocation");
        w.WriteString("uri", artifact);
        w.WriteEndObject();
        w.WriteStartObject("region");
        w.WriteNumber("startLine", finding.Line ?? 1);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartArray("logicalLocations");
        w.WriteStartObject();
        w.WriteString("fullyQualifiedName", finding.Location);
        w.WriteString("kind", "member");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartObject("partialFingerprints");
        w.WriteString("tesseraFinding/v1", Fingerprint($"{finding.Rule.Id}|{artifact}|{finding.Location}"));
        w.WriteEndObject();
        w.WriteStartObject("properties");
        w.WriteString("severity", finding.Severity.ToName());
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Message(Utf8JsonWriter w, string name, string text)
    {
        w.WriteStartObject(name);
        w.WriteString("text", text);
        w.WriteEndObject();
    }

    private static string Fingerprint(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, 16));
}
