namespace Tessera.Revocation;

/// <summary>A signed Security Event Token (RFC 8417) on the revocation feed.</summary>
/// <param name="TokenId">Its <c>jti</c>, by which receivers acknowledge it.</param>
/// <param name="Jwt">The compact JWS.</param>
public sealed record SecurityEventRecord(string TokenId, string Jwt);
