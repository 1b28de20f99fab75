namespace Tessera.Tokens;

/// <summary>
/// The registered claims of a payload, located in one pass; strings stay in the payload until asked for.
/// During validation the decoded payload lives in a pooled buffer; afterwards it is decoded again from the
/// token only if a claim is read, so a validation that nobody inspects allocates no copy of it.
/// </summary>
internal sealed class ClaimSet(string token, int segmentStart, int segmentLength, int payloadLength)
{
    private byte[]? _borrowed;
    private byte[]? _payload;

    /// <summary>The decoded payload; offsets recorded in this set index into it. Only the first <see cref="PayloadLength"/> bytes are the payload.</summary>
    public byte[] Payload => _borrowed ?? LazyInitializer.EnsureInitialized(ref _payload, Decode);

    public int PayloadLength { get; } = payloadLength;

    public ReadOnlySpan<byte> PayloadSpan => Payload.AsSpan(0, PayloadLength);

    /// <summary>Uses <paramref name="buffer"/> (already holding the decoded payload) until <see cref="Release"/>.</summary>
    public void Borrow(byte[] buffer) => _borrowed = buffer;

    public void Release() => _borrowed = null;

    private byte[] Decode()
    {
        var bytes = new byte[PayloadLength];
        System.Buffers.Text.Base64Url.TryDecodeFromChars(token.AsSpan(segmentStart, segmentLength), bytes, out _);
        return bytes;
    }

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
