namespace Tessera.Revocation;

/// <summary>One token on the deny list until it would have expired anyway.</summary>
/// <param name="TokenId">Its <c>jti</c>.</param>
/// <param name="ExpiresAt">Its <c>exp</c>; the entry can be forgotten after it.</param>
/// <param name="Subject">Its <c>sub</c>, so a full deny list can fall back to a subject cut-off.</param>
public sealed record DeniedToken(string TokenId, DateTimeOffset ExpiresAt, string? Subject);
