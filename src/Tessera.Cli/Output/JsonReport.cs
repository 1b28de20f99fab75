using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tessera.Cli.Findings;

namespace Tessera.Cli.Output;

/// <summary>
/// <c>--json</c>: <c>{"tool","version","command","target","unverified","notes","findings":[…],"summary","failOn","exitCode"}</c>.
/// Each finding carries its rule id and name, severity, message, location, and the rule's title, principle and fix.
/// </summary>
internal static class JsonReport
{
    /// <summary>Readable output (no \u escapes for quotes or non-ASCII); it is never embedded in HTML.</summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Render(Report report, Severity failOn)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("tool", ToolInfo.Name);
            w.WriteString("version", ToolInfo.Version);
            w.WriteString("command", report.Command);
            w.WriteString("target", report.Target);
            w.WriteBoolean("unverified", report.Unverified);
            w.WriteStartArray("notes");
            foreach (var note in report.Notes)
            {
                w.WriteStringValue(note);
            }

            w.WriteEndArray();
            w.WriteStartArray("findings");
            foreach (var f in report.Findings)
            {
                WriteFinding(w, f);
            }

            w.WriteEndArray();
            w.WriteStartObject("summary");
            w.WriteNumber("high", report.Count(Severity.High));
            w.WriteNumber("medium", report.Count(Severity.Medium));
            w.WriteNumber("low", report.Count(Severity.Low));
            w.WriteNumber("total", report.Findings.Count);
            w.WriteEndObject();
            w.WriteString("failOn", failOn.ToName());
            w.WriteNumber("exitCode", report.ExitCode(failOn));
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    private static void WriteFinding(Utf8JsonWriter w, Finding f)
    {
        w.WriteStartObject();
        w.WriteString("ruleId", f.Rule.Id);
        w.WriteString("rule", f.Rule.Name);
        w.WriteString("severity", f.Severity.ToName());
        w.WriteString("message", f.Message);
        if (f.ArtifactUri is not null)
        {
            w.WriteString("artifact", f.ArtifactUri);
        }

        w.WriteString("location", f.Location);
        if (f.Line is { } line)
        {
            w.WriteNumber("line", line);
        }

        w.WriteString("title", f.Rule.Title);
        w.WriteString("principle", f.Rule.Principle);
        w.WriteString("fix", f.Rule.Fix);
        w.WriteEndObject();
    }
}
