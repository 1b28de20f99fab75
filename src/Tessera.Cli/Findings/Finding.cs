namespace Tessera.Cli.Findings;

/// <summary>
/// One thing wrong with what was checked: the rule it breaks, how bad it is here, a message that says
/// what was seen (never a secret unless the user asked for it), and where.
/// </summary>
/// <param name="Rule">The rule broken.</param>
/// <param name="Severity">The severity of this occurrence; usually the rule's own.</param>
/// <param name="Message">What was found, specific to this occurrence.</param>
/// <param name="Location">Where: a dotted path such as <c>header.alg</c>, <c>payload.exp</c>, <c>keys[2].d</c> or <c>grant_types_supported</c>.</param>
internal sealed record Finding(Rule Rule, Severity Severity, string Message, string Location)
{
    /// <summary>A finding at the rule's own severity.</summary>
    public Finding(Rule rule, string message, string location)
        : this(rule, rule.Severity, message, location)
    {
    }

    /// <summary>The document the finding is in, as a URI reference, when it is not the report's main target (e.g. the JWK Set a discovery document names).</summary>
    public string? ArtifactUri { get; init; }

    /// <summary>The 1-based line of <see cref="Location"/> in that document, when it could be found.</summary>
    public int? Line { get; init; }
}
