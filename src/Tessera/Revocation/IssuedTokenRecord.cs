namespace Tessera.Revocation;

/// <summary>A JWT the token service issued, as far as revocation needs to know it.</summary>
/// <param name="TokenId">Its <c>jti</c>.</param>
/// <param name="Kind">Its kind, in lower case (<c>access</c>, <c>service</c>, <c>id</c>).</param>
/// <param name="Subject">Its <c>sub</c>.</param>
/// <param name="Tenant">Its tenant, if any.</param>
/// <param name="ClientId">The client it was issued to.</param>
/// <param name="ExpiresAt">Its <c>exp</c>.</param>
public sealed record IssuedTokenRecord(string TokenId, string Kind, string? Subject, string? Tenant, string ClientId, DateTimeOffset ExpiresAt);
