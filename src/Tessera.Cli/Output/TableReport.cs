using System.Globalization;
using System.Text;
using Tessera.Cli.Findings;

namespace Tessera.Cli.Output;

/// <summary>The report for people: a findings table, then each broken rule's principle and fix, then the verdict.</summary>
internal static class TableReport
{
    private static readonly string[] Headings = ["SEVERITY", "RULE", "NAME", "WHERE", "FINDING"];

    public static string Render(Report report, Severity failOn, bool colour)
    {
        var text = new StringBuilder();
        text.Append(Terminal.Paint($"tessera {report.Command}: {report.Target}", Terminal.Bold, colour)).Append('\n');
        if (report.Unverified)
        {
            text.Append(Terminal.Paint("UNVERIFIED: the signature was not checked; this describes the token as written, not whether to trust it.", Terminal.Yellow, colour)).Append('\n');
        }

        foreach (var note in report.Notes)
        {
            text.Append("  ").Append(note).Append('\n');
        }

        text.Append('\n');
        var findings = report.Findings;
        if (findings.Count == 0)
        {
            text.Append("No findings.\n");
        }
        else
        {
            AppendTable(text, findings, colour);
            AppendFixes(text, findings, colour);
        }

        text.Append('\n').Append(Verdict(report, failOn)).Append('\n');
        return text.ToString();
    }

    private static void AppendTable(StringBuilder text, IReadOnlyList<Finding> findings, bool colour)
    {
        var rows = findings.Select(f => new[] { f.Severity.ToName(), f.Rule.Id, f.Rule.Name, Where(f), f.Message }).ToList();
        var widths = Enumerable.Range(0, Headings.Length - 1).Select(c => rows.Max(r => r[c].Length)).Select((w, c) => Math.Max(w, Headings[c].Length)).ToArray();
        text.Append(Terminal.Paint(Row(Headings, widths), Terminal.Bold, colour)).Append('\n');
        for (var i = 0; i < rows.Count; i++)
        {
            var row = Row(rows[i], widths);
            var severityWidth = widths[0];
            text.Append(Terminal.Paint(row[..severityWidth], SeverityColour(findings[i].Severity), colour)).Append(row[severityWidth..]).Append('\n');
        }
    }

    private static void AppendFixes(StringBuilder text, IReadOnlyList<Finding> findings, bool colour)
    {
        text.Append('\n').Append(Terminal.Paint("How to fix", Terminal.Bold, colour)).Append('\n');
        foreach (var rule in findings.Select(f => f.Rule).Distinct().OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            text.Append("  ").Append(Terminal.Paint($"{rule.Id} {rule.Name}", Terminal.Bold, colour)).Append(": ").Append(rule.Title).Append('\n');
            text.Append("    why: ").Append(rule.Principle).Append('\n');
            text.Append("    fix: ").Append(rule.Fix).Append('\n');
        }
    }

    private static string Verdict(Report report, Severity failOn)
    {
        var total = report.Findings.Count;
        var counts = string.Join(", ", new[] { Severity.High, Severity.Medium, Severity.Low }.Select(s => $"{report.Count(s).ToString(CultureInfo.InvariantCulture)} {s.ToName()}"));
        var exit = report.ExitCode(failOn);
        return $"{total.ToString(CultureInfo.InvariantCulture)} finding{(total == 1 ? "" : "s")} ({counts}); exit {exit.ToString(CultureInfo.InvariantCulture)} with --fail-on {failOn.ToName()}.";
    }

    private static string Where(Finding finding)
    {
        // A finding in a second document (the JWK Set of a discovery document) is marked with that document's file name.
        var where = finding.ArtifactUri is null ? finding.Location : $"{ShortName(finding.ArtifactUri)}#{finding.Location}";
        return finding.Line is { } line ? $"{where}:{line.ToString(CultureInfo.InvariantCulture)}" : where;
    }

    private static string ShortName(string uri)
    {
        var path = Uri.TryCreate(uri, UriKind.Absolute, out var absolute) && !absolute.IsFile ? absolute.AbsolutePath : uri;
        var name = path.TrimEnd('/');
        return name[(name.LastIndexOf('/') + 1)..];
    }

    private static string Row(IReadOnlyList<string> cells, int[] widths)
    {
        var row = new StringBuilder();
        for (var c = 0; c < cells.Count; c++)
        {
            row.Append(c < widths.Length ? cells[c].PadRight(widths[c] + 2) : cells[c]);
        }

        return row.ToString();
    }

    private static string SeverityColour(Severity severity) => severity switch
    {
        Severity.High => Terminal.Red,
        Severity.Medium => Terminal.Yellow,
        _ => Terminal.Cyan,
    };
}
