namespace Tessera.Cli.Findings;

/// <summary>What a rule checks for. Lint checks tokens; audit checks key sets and discovery documents.</summary>
internal enum RuleScope
{
    /// <summary>A token (<c>tessera lint</c>).</summary>
    Token,
    /// <summary>A JWK Set (<c>tessera audit</c>).</summary>
    KeySet,
    /// <summary>An issuer's discovery document (<c>tessera audit</c>).</summary>
    Discovery,
}

/// <summary>
/// One entry of the <see cref="Rules"/> catalogue: a stable id (never reused), a short kebab-case name,
/// the usual severity, the principle the mistake breaks, and the fix.
/// </summary>
internal sealed record Rule(string Id, string Name, RuleScope Scope, Severity Severity, string Title, string Principle, string Fix)
{
    public override string ToString() => $"{Id} {Name}";
}
