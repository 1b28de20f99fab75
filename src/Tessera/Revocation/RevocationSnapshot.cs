namespace Tessera.Revocation;

/// <summary>The stored revocation state that an in-memory index is rebuilt from.</summary>
/// <param name="Cutoffs">Every cut-off.</param>
/// <param name="DeniedTokens">Every denied token not yet expired.</param>
public sealed record RevocationSnapshot(IReadOnlyList<RevocationCutoff> Cutoffs, IReadOnlyList<DeniedToken> DeniedTokens);
