namespace Tessera.Tokens;

/// <summary>A token the issuer produced, with the facts the token service records about it.</summary>
/// <param name="Token">The compact JWS.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="TokenId">Its <c>jti</c>.</param>
/// <param name="Kid">The signing key's <c>kid</c>.</param>
/// <param name="IssuedAt">Its <c>iat</c>.</param>
/// <param name="ExpiresAt">Its <c>exp</c>.</param>
public sealed record IssuedToken(string Token, TokenKind Kind, string TokenId, string Kid, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>Seconds until expiry, as OAuth's <c>expires_in</c>.</summary>
    public int ExpiresIn => (int)(ExpiresAt - IssuedAt).TotalSeconds;

    /// <inheritdoc />
    public override string ToString() => $"{Kind} token {TokenId} (kid {Kid}, expires {ExpiresAt:O})";
}
