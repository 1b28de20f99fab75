using Tessera.Cli.CommandLine;

namespace Tessera.Cli.Findings;

/// <summary>How bad a finding is. <c>--fail-on</c> compares against it; the order is Low &lt; Medium &lt; High.</summary>
internal enum Severity
{
    /// <summary>Weakens defence in depth or makes incidents harder to handle.</summary>
    Low = 1,
    /// <summary>A real weakness that needs another mistake or a favourable setting to exploit.</summary>
    Medium = 2,
    /// <summary>Exploitable as it stands: forgery, key disclosure, tokens that never expire.</summary>
    High = 3,
}

/// <summary>The stable lower-case names of <see cref="Severity"/>, used by every output format and by <c>--fail-on</c>.</summary>
internal static class SeverityNames
{
    public static string ToName(this Severity severity) => severity switch
    {
        Severity.High => "high",
        Severity.Medium => "medium",
        _ => "low",
    };

    /// <summary>The SARIF 2.1.0 <c>level</c> of a severity.</summary>
    public static string ToSarifLevel(this Severity severity) => severity switch
    {
        Severity.High => "error",
        Severity.Medium => "warning",
        _ => "note",
    };

    /// <summary>The <c>security-severity</c> score code-scanning tools sort by (CVSS-like, 0.0–10.0).</summary>
    public static string ToSecurityScore(this Severity severity) => severity switch
    {
        Severity.High => "8.0",
        Severity.Medium => "5.0",
        _ => "2.0",
    };

    /// <summary>Parses a <c>--fail-on</c> value.</summary>
    public static Severity Parse(string? value, string option) => value switch
    {
        null or "low" => Severity.Low,
        "medium" => Severity.Medium,
        "high" => Severity.High,
        _ => throw new UsageException($"{option} must be low, medium or high, not '{value}'."),
    };
}
