namespace Tessera.Tokens;

/// <summary>The registered claims of a payload, located in one pass; strings stay in the payload until asked for.</summary>
internal sealed class ClaimSet(byte[] payload)
{
    public byte[] Payload { get; } = payload;

    public ClaimSegment Issuer;
    public ClaimSegment Subject;
    public ClaimSegment TokenId;
    public ClaimSegment ClientId;
    public ClaimSegment Scope;
    public ClaimSegment AuthorizedParty;
    public ClaimSegment Nonce;
    public ClaimSegment Tenant;

    /// <summary>Where the <c>aud</c> value (string or array, as raw JSON) sits, for lazy reading.</summary>
    public int AudienceStart;
    public int AudienceLength;
    public int AudienceCount;
    public bool AudienceMatched;
    public bool IssuerMatched;

    public double? ExpiresAt;
    public double? NotBefore;
    public double? IssuedAt;

    /// <summary>Bit i is set when the profile's i-th custom required claim is present.</summary>
    public ulong CustomClaimsFound;

    public bool Has(string claim) => claim switch
    {
        "iss" => Issuer.IsPresent,
        "sub" => Subject.IsPresent,
        "jti" => TokenId.IsPresent,
        "client_id" => ClientId.IsPresent,
        "scope" => Scope.IsPresent,
        "azp" => AuthorizedParty.IsPresent,
        "nonce" => Nonce.IsPresent,
        "aud" => AudienceCount > 0,
        "exp" => ExpiresAt.HasValue,
        "nbf" => NotBefore.HasValue,
        "iat" => IssuedAt.HasValue,
        _ => false,
    };
}
