namespace Tessera.Revocation;

/// <summary>
/// The facts of a validated token that revocation decisions are made on, as spans over the token's own
/// claims so that a lookup allocates nothing. Empty spans mean "absent".
/// </summary>
public readonly ref struct RevocationQuery
{
    /// <summary>Creates a query.</summary>
    public RevocationQuery(
        ReadOnlySpan<char> subject,
        ReadOnlySpan<char> tenant,
        ReadOnlySpan<char> clientId,
        ReadOnlySpan<char> tokenId,
        long issuedAt)
    {
        Subject = subject;
        Tenant = tenant;
        ClientId = clientId;
        TokenId = tokenId;
        IssuedAt = issuedAt;
    }

    /// <summary>The <c>sub</c>.</summary>
    public ReadOnlySpan<char> Subject { get; }

    /// <summary>The tenant claim (the profile names it; <c>tid</c> by default).</summary>
    public ReadOnlySpan<char> Tenant { get; }

    /// <summary>The <c>client_id</c>.</summary>
    public ReadOnlySpan<char> ClientId { get; }

    /// <summary>The <c>jti</c>.</summary>
    public ReadOnlySpan<char> TokenId { get; }

    /// <summary>The <c>iat</c> in Unix seconds.</summary>
    public long IssuedAt { get; }
}
