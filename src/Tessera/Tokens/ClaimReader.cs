using System.Text.Json;
using System.Text.Unicode;
using Tessera.Jose;

namespace Tessera.Tokens;

/// <summary>
/// Reads a JWT claims set in one pass: a JSON object of valid UTF-8, bounded depth, no member name twice
/// at any level; registered claims type-checked and located, <c>iss</c> and <c>aud</c> compared with the
/// profile on the way. Never throws for token input.
/// </summary>
internal static class ClaimReader
{
    /// <summary>NumericDates beyond 9999-12-31 are refused as nonsense.</summary>
    internal const double MaxNumericDate = 253402300799;

    private const int MaxDepth = 16;
    private const int MaxLiveMembers = 512;
    private const int StackNameBytes = 1024;

    private static readonly JsonReaderOptions Options = new() { MaxDepth = MaxDepth };

    private static readonly string[] Registered = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id", "scope", "azp", "nonce"];

    public static bool IsRegistered(string claim) => Array.IndexOf(Registered, claim) >= 0;

    /// <summary>Reads <paramref name="claims"/>.Payload; returns the failure, if any, with the failing claim's name.</summary>
    public static (FailureReason Reason, string? Claim, string Detail)? Read(ClaimSet claims, TokenProfile profile, ReadOnlySpan<byte> tenantClaim)
    {
        var payload = claims.Payload;
        if (!Utf8.IsValid(claims.PayloadSpan))
        {
            return (FailureReason.Malformed, null, "claims are not valid UTF-8");
        }

        // Sized to the payload: a member needs at least 4 bytes ("":0), and zeroing unused stack costs time.
        var slots = Math.Min(MaxLiveMembers, (claims.PayloadLength / 4) + 1);
        Span<int> starts = stackalloc int[slots];
        Span<int> lengths = stackalloc int[slots];
        Span<int> objects = stackalloc int[MaxDepth + 1];
        // Unescaped names never take more room than the payload itself.
        var rented = claims.PayloadLength > StackNameBytes ? System.Buffers.ArrayPool<byte>.Shared.Rent(claims.PayloadLength) : null;
        Span<byte> nameBuffer = rented ?? stackalloc byte[StackNameBytes];
        try
        {
            var names = new MemberNameTracker(nameBuffer, starts, lengths, objects);
            return Scan(payload.AsMemory(0, claims.PayloadLength), ref names, claims, profile, tenantClaim);
        }
        catch (JsonException)
        {
            return (FailureReason.Malformed, null, "claims are not valid JSON or nest too deeply");
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static (FailureReason, string?, string)? Scan(ReadOnlyMemory<byte> payload, ref MemberNameTracker names, ClaimSet claims, TokenProfile profile, scoped ReadOnlySpan<byte> tenantClaim)
    {
        var reader = new Utf8JsonReader(payload.Span, Options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return (FailureReason.Malformed, null, "claims are not a JSON object");
        }

        names.EnterObject();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    names.EnterObject();
                    break;
                case JsonTokenType.EndObject:
                    names.ExitObject();
                    if (names.Depth < 0)
                    {
                        return reader.Read() ? (FailureReason.Malformed, null, "claims have content after the object") : null;
                    }

                    break;
                case JsonTokenType.PropertyName:
                    var added = names.Add(ref reader, out var name);
                    if (added != MemberNameTracker.NameResult.Added)
                    {
                        return added == MemberNameTracker.NameResult.Duplicate
                            ? (FailureReason.Malformed, null, "claims repeat a member name")
                            : (FailureReason.TooLarge, null, "claims have too many members");
                    }

                    if (names.Depth == 0)
                    {
                        var failure = ReadTopLevel(ref reader, name, claims, profile, tenantClaim);
                        if (failure is not null)
                        {
                            return failure;
                        }
                    }

                    break;
            }
        }

        return (FailureReason.Malformed, null, "claims are not a complete JSON object");
    }

    private static (FailureReason, string?, string)? ReadTopLevel(scoped ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, ClaimSet claims, TokenProfile profile, scoped ReadOnlySpan<byte> tenantClaim)
    {
        for (var i = 0; i < profile.CustomRequiredClaims.Length && i < 64; i++)
        {
            if (name.SequenceEqual(profile.CustomRequiredClaims[i]))
            {
                claims.CustomClaimsFound |= 1UL << i;
            }
        }

        switch (name.Length)
        {
            case 3 when name.SequenceEqual("iss"u8):
                return String(ref reader, ref claims.Issuer, "iss") ?? MatchIssuer(ref reader, claims, profile);
            case 3 when name.SequenceEqual("sub"u8):
                return String(ref reader, ref claims.Subject, "sub");
            case 3 when name.SequenceEqual("jti"u8):
                return String(ref reader, ref claims.TokenId, "jti");
            case 3 when name.SequenceEqual("azp"u8):
                return String(ref reader, ref claims.AuthorizedParty, "azp");
            case 3 when name.SequenceEqual("aud"u8):
                return Audience(ref reader, claims, profile);
            case 3 when name.SequenceEqual("exp"u8):
                return NumericDate(ref reader, out claims.ExpiresAt, "exp");
            case 3 when name.SequenceEqual("nbf"u8):
                return NumericDate(ref reader, out claims.NotBefore, "nbf");
            case 3 when name.SequenceEqual("iat"u8):
                return NumericDate(ref reader, out claims.IssuedAt, "iat");
            case 5 when name.SequenceEqual("scope"u8):
                return String(ref reader, ref claims.Scope, "scope");
            case 5 when name.SequenceEqual("nonce"u8):
                return String(ref reader, ref claims.Nonce, "nonce");
            case 9 when name.SequenceEqual("client_id"u8):
                return String(ref reader, ref claims.ClientId, "client_id");
        }

        if (name.SequenceEqual(tenantClaim))
        {
            return String(ref reader, ref claims.Tenant, profile.TenantClaim);
        }

        return null;
    }

    private static (FailureReason, string?, string)? String(ref Utf8JsonReader reader, ref ClaimSegment segment, string claim)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            return (FailureReason.InvalidClaim, claim, "claim is not a string");
        }

        segment = new ClaimSegment((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, reader.ValueIsEscaped);
        return null;
    }

    private static (FailureReason, string?, string)? MatchIssuer(ref Utf8JsonReader reader, ClaimSet claims, TokenProfile profile)
    {
        foreach (var issuer in profile.IssuersUtf8)
        {
            if (reader.ValueTextEquals(issuer))
            {
                claims.IssuerMatched = true;
                break;
            }
        }

        return null;
    }

    private static (FailureReason, string?, string)? Audience(ref Utf8JsonReader reader, ClaimSet claims, TokenProfile profile)
    {
        if (!reader.Read())
        {
            return (FailureReason.Malformed, null, "claims are not a complete JSON object");
        }

        claims.AudienceStart = (int)reader.TokenStartIndex;
        if (reader.TokenType == JsonTokenType.String)
        {
            claims.AudienceCount = 1;
            claims.AudienceMatched = MatchesAny(ref reader, profile.AudiencesUtf8);
            claims.AudienceLength = (int)reader.BytesConsumed - claims.AudienceStart;
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return (FailureReason.InvalidClaim, "aud", "claim is not a string or an array of strings");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return (FailureReason.InvalidClaim, "aud", "claim is not a string or an array of strings");
            }

            claims.AudienceCount++;
            claims.AudienceMatched |= MatchesAny(ref reader, profile.AudiencesUtf8);
        }

        claims.AudienceLength = (int)reader.BytesConsumed - claims.AudienceStart;
        return claims.AudienceCount == 0 ? (FailureReason.InvalidClaim, "aud", "claim is an empty array") : null;
    }

    private static bool MatchesAny(ref Utf8JsonReader reader, byte[][] expected)
    {
        foreach (var value in expected)
        {
            if (reader.ValueTextEquals(value))
            {
                return true;
            }
        }

        return false;
    }

    // RFC 7519 §2: a JSON number of seconds since the epoch; fractions are allowed. Anything else, negative,
    // non-finite or past year 9999 is refused rather than guessed at.
    private static (FailureReason, string?, string)? NumericDate(ref Utf8JsonReader reader, out double? value, string claim)
    {
        value = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.Number)
        {
            return (FailureReason.InvalidClaim, claim, "claim is not a NumericDate (a JSON number of seconds)");
        }

        if (!reader.TryGetDouble(out var seconds) || !double.IsFinite(seconds) || seconds < 0 || seconds > MaxNumericDate)
        {
            return (FailureReason.InvalidClaim, claim, "claim is a NumericDate out of range");
        }

        value = seconds;
        return null;
    }
}
