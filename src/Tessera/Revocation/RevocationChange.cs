namespace Tessera.Revocation;

/// <summary>Everything one revocation stores, in one transaction (<see cref="IRevocationStore.ApplyAsync"/>).</summary>
/// <param name="Trigger">The audit record.</param>
/// <param name="Cutoffs">The cut-offs to set.</param>
/// <param name="DeniedTokens">The tokens to deny.</param>
/// <param name="Events">The Security Event Tokens to append to the feed, in order.</param>
public sealed record RevocationChange(
    RevocationTrigger Trigger,
    IReadOnlyList<RevocationCutoff> Cutoffs,
    IReadOnlyList<DeniedToken> DeniedTokens,
    IReadOnlyList<SecurityEventRecord> Events);
