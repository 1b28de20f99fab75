namespace Tessera.Cli.Findings;

/// <summary>The outcome of one <c>lint</c> or <c>audit</c> run: what was checked, context notes, and the findings in a stable order.</summary>
internal sealed class Report
{
    private readonly List<Finding> _findings = [];

    /// <param name="command">The command that made the report (<c>lint</c> or <c>audit</c>).</param>
    /// <param name="target">What was checked, for people ("token from standard input", a path, a URL).</param>
    /// <param name="artifactUri">What was checked, as a URI reference for SARIF (a relative path, a URL, or <c>stdin</c>).</param>
    public Report(string command, string target, string artifactUri)
    {
        Command = command;
        Target = target;
        ArtifactUri = artifactUri;
    }

    public string Command { get; }

    public string Target { get; }

    public string ArtifactUri { get; }

    /// <summary>Facts that help read the findings (the assumed token kind, what was fetched); never findings themselves.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>The findings, most severe first, then by rule id and location.</summary>
    public IReadOnlyList<Finding> Findings => _findings
        .OrderByDescending(f => f.Severity)
        .ThenBy(f => f.Rule.Id, StringComparer.Ordinal)
        .ThenBy(f => f.Location, StringComparer.Ordinal)
        .ToList();

    public void Add(Finding finding) => _findings.Add(finding);

    public void Add(Rule rule, string message, string location) => _findings.Add(new Finding(rule, message, location));

    public void Add(Rule rule, Severity severity, string message, string location) => _findings.Add(new Finding(rule, severity, message, location));

    /// <summary>True when what was checked was decoded without verification (lint).</summary>
    public bool Unverified { get; init; }

    /// <summary>Gives the findings in <paramref name="artifactUri"/> (null: the main target) their line in that document.</summary>
    public void AttachLines(string? artifactUri, Func<string, int?> lineOf)
    {
        for (var i = 0; i < _findings.Count; i++)
        {
            if (_findings[i].ArtifactUri == artifactUri)
            {
                _findings[i] = _findings[i] with { Line = lineOf(_findings[i].Location) };
            }
        }
    }

    public int Count(Severity severity) => _findings.Count(f => f.Severity == severity);

    /// <summary>Exit code 1 when any finding is at or above <paramref name="failOn"/>, else 0.</summary>
    public int ExitCode(Severity failOn) => _findings.Any(f => f.Severity >= failOn) ? TesseraCli.ExitRejected : TesseraCli.ExitValid;
}
