namespace Tessera.Revocation;

/// <summary>"Every token of this subject, tenant or client issued before this instant is revoked."</summary>
/// <param name="Scope">What the cut-off applies to.</param>
/// <param name="Value">The subject, tenant or client identifier.</param>
/// <param name="RevokedBefore">The instant; tokens with an earlier <c>iat</c> (or the same second) are revoked.</param>
public sealed record RevocationCutoff(RevocationScope Scope, string Value, DateTimeOffset RevokedBefore);
