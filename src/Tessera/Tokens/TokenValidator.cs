using System.Buffers;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Revocation;

namespace Tessera.Tokens;

/// <summary>
/// Validates a token of a declared kind against a <see cref="TokenProfile"/>: the JWS (size, header rules,
/// key, algorithm bound to the key, signature), then <c>typ</c>, required claims, issuer, audience,
/// <c>exp</c>/<c>nbf</c>/<c>iat</c> with the clock skew, maximum lifetime, the kind's own rules, required
/// scopes, and revocation — every time, in that order. It returns a result for every input and never throws
/// for token content. Thread-safe; reads time only from its <see cref="TimeProvider"/>.
/// </summary>
public sealed class TokenValidator(TimeProvider? time = null)
{
    private const int MaxRevocationValueChars = 512;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Validates <paramref name="token"/> with the profile's own keys.</summary>
    public TokenValidationResult Validate(string token, TokenProfile profile) =>
        Validate(token, profile, profile?.Keys ?? throw new ArgumentException("The profile has no keys; pass the current key set.", nameof(profile)));

    /// <summary>Validates <paramref name="token"/> with <paramref name="keys"/> (e.g. from a JWKS client or key ring).</summary>
    public TokenValidationResult Validate(string token, TokenProfile profile, JsonWebKeySet keys) =>
        Validate(token, profile, keys, expectedNonce: null);

    /// <summary>Validates an ID token, also checking the <c>nonce</c> the client sent in its authorization request.</summary>
    public TokenValidationResult Validate(string token, TokenProfile profile, JsonWebKeySet keys, string? expectedNonce)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(keys);
        var kind = profile.Kind;
        if (token is null)
        {
            return TokenValidationResult.Fail(kind, FailureReason.Malformed, "no token");
        }

        var jws = profile.VerifierFor(keys).Verify(token);
        if (!jws.IsValid)
        {
            return TokenValidationResult.Fail(kind, jws.Failure, jws.Detail!);
        }

        var key = jws.Key!;
        if (!TypeAccepted(profile, jws.Type))
        {
            return TokenValidationResult.Fail(kind, FailureReason.WrongType, "typ is not the one this kind of token carries", null, key.Kid, key.Algorithm);
        }

        var segment = token.AsSpan(jws.PayloadStart, jws.PayloadLength);
        var payloadLength = Base64Url.GetDecodedLength(segment.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(payloadLength, 1));
        var set = new ClaimSet(token, jws.PayloadStart, jws.PayloadLength, payloadLength);
        try
        {
            if (!System.Buffers.Text.Base64Url.TryDecodeFromChars(segment, buffer, out var written) || written != payloadLength)
            {
                return TokenValidationResult.Fail(kind, FailureReason.Malformed, "payload is not base64url", null, key.Kid, key.Algorithm);
            }

            set.Borrow(buffer);
            var claims = new TokenClaims(set, profile.TenantClaim);
            var failure = ClaimReader.Read(set, profile, profile.TenantClaimUtf8) ?? CheckClaims(set, profile, expectedNonce);
            if (failure is { } f)
            {
                return TokenValidationResult.Fail(kind, f.Reason, f.Detail, f.Claim, key.Kid, key.Algorithm, claims);
            }

            if (profile.Revocation is { } index && IsRevoked(index, set))
            {
                return TokenValidationResult.Fail(kind, FailureReason.Revoked, "token has been revoked", null, key.Kid, key.Algorithm, claims);
            }

            return TokenValidationResult.Success(kind, key.Kid, key.Algorithm, claims);
        }
        finally
        {
            set.Release();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool TypeAccepted(TokenProfile profile, string? type)
    {
        if (type is null)
        {
            return profile.TypeMayBeAbsent;
        }

        if (profile.Types.Count == 0)
        {
            return true;
        }

        for (var i = 0; i < profile.Types.Count; i++)
        {
            if (MediaType.Matches(type, profile.Types[i]))
            {
                return true;
            }
        }

        return false;
    }

    private (FailureReason Reason, string? Claim, string Detail)? CheckClaims(ClaimSet set, TokenProfile profile, string? expectedNonce)
    {
        foreach (var claim in profile.RequiredRegisteredClaims)
        {
            if (!set.Has(claim))
            {
                return (FailureReason.MissingClaim, claim, "a required claim is missing");
            }
        }

        for (var i = 0; i < profile.CustomRequiredClaims.Length; i++)
        {
            if ((set.CustomClaimsFound & (1UL << i)) == 0)
            {
                return (FailureReason.MissingClaim, profile.CustomRequiredClaimNames[i], "a required claim is missing");
            }
        }

        // Setting an expectation makes the claim required; only `tessera verify` may leave one unset.
        if (profile.Issuers.Count > 0)
        {
            if (!set.Issuer.IsPresent)
            {
                return (FailureReason.MissingClaim, "iss", "a required claim is missing");
            }

            if (!set.IssuerMatched)
            {
                return (FailureReason.WrongIssuer, "iss", "token is from another issuer");
            }
        }

        if (profile.Audiences.Count > 0)
        {
            if (set.AudienceCount == 0)
            {
                return (FailureReason.MissingClaim, "aud", "a required claim is missing");
            }

            if (!set.AudienceMatched)
            {
                return (FailureReason.WrongAudience, "aud", "token is for another audience");
            }
        }

        return CheckTimes(set, profile) ?? CheckKind(set, profile, expectedNonce) ?? CheckScopes(set, profile);
    }

    private (FailureReason, string?, string)? CheckTimes(ClaimSet set, TokenProfile profile)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        var skew = profile.ClockSkew.TotalSeconds;
        if (set.ExpiresAt is { } exp && now >= exp + skew)
        {
            return (FailureReason.Expired, "exp", "token has expired");
        }

        if (set.NotBefore is { } nbf && now + skew < nbf)
        {
            return (FailureReason.NotYetValid, "nbf", "token is not valid yet");
        }

        if (set.IssuedAt is { } iat && now + skew < iat)
        {
            return (FailureReason.IssuedInFuture, "iat", "token was issued in the future");
        }

        if (set.ExpiresAt is { } expiry)
        {
            var start = set.IssuedAt ?? set.NotBefore ?? now;
            if (expiry - start > profile.MaxLifetime.TotalSeconds + (set.IssuedAt is null && set.NotBefore is null ? skew : 0))
            {
                return (FailureReason.LifetimeTooLong, "exp", "token lives longer than this kind of token may");
            }

            if (expiry < start)
            {
                return (FailureReason.InvalidClaim, "exp", "token expires before it was issued");
            }
        }

        return null;
    }

    private static (FailureReason, string?, string)? CheckKind(ClaimSet set, TokenProfile profile, string? expectedNonce)
    {
        switch (profile.Kind)
        {
            case TokenKind.Id when !profile.Generic:
                // OpenID Connect Core §3.1.3.7: several audiences need azp, and azp must be this client.
                if (set.AudienceCount > 1 && !set.AuthorizedParty.IsPresent)
                {
                    return (FailureReason.MissingClaim, "azp", "an ID token for several audiences must name its authorized party");
                }

                if (set.AuthorizedParty.IsPresent && !Equals(set, set.AuthorizedParty, profile.AudiencesUtf8))
                {
                    return (FailureReason.InvalidClaim, "azp", "the authorized party is not this client");
                }

                if (expectedNonce is not null)
                {
                    if (!set.Nonce.IsPresent)
                    {
                        return (FailureReason.MissingClaim, "nonce", "the ID token lacks the nonce of the request");
                    }

                    if (!Equals(set, set.Nonce, [System.Text.Encoding.UTF8.GetBytes(expectedNonce)]))
                    {
                        return (FailureReason.InvalidClaim, "nonce", "the nonce does not match the request");
                    }
                }

                return null;
            case TokenKind.Service when !profile.Generic:
                // A service token has no end user: its subject is the client itself.
                return SameValue(set, set.Subject, set.ClientId)
                    ? null
                    : (FailureReason.WrongType, "sub", "a service token's subject must be its client; this one names a user");
            default:
                return null;
        }
    }

    private static (FailureReason, string?, string)? CheckScopes(ClaimSet set, TokenProfile profile)
    {
        if (profile.RequiredScopes.Count == 0)
        {
            return null;
        }

        Span<byte> buffer = stackalloc byte[Math.Min(set.Scope.Length, 2048)];
        var length = set.Scope.IsPresent ? set.Scope.CopyUtf8(set.Payload, buffer) : 0;
        if (length < 0)
        {
            return (FailureReason.InvalidClaim, "scope", "scope is too long");
        }

        var scopes = buffer[..length];
        foreach (var required in profile.RequiredScopesUtf8)
        {
            if (!ScopeList.Contains(scopes, required))
            {
                return (FailureReason.InsufficientScope, "scope", "token lacks a required scope");
            }
        }

        return null;
    }

    private static bool Equals(ClaimSet set, ClaimSegment segment, byte[][] candidates)
    {
        Span<byte> buffer = stackalloc byte[Math.Min(segment.Length, 1024)];
        var length = segment.CopyUtf8(set.Payload, buffer);
        if (length < 0)
        {
            return false;
        }

        foreach (var candidate in candidates)
        {
            if (buffer[..length].SequenceEqual(candidate))
            {
                return true;
            }
        }

        return false;
    }

    private static bool SameValue(ClaimSet set, ClaimSegment a, ClaimSegment b)
    {
        if (!a.IsPresent || !b.IsPresent)
        {
            return false;
        }

        Span<byte> first = stackalloc byte[Math.Min(a.Length, 1024)];
        Span<byte> second = stackalloc byte[Math.Min(b.Length, 1024)];
        var n = a.CopyUtf8(set.Payload, first);
        var m = b.CopyUtf8(set.Payload, second);
        return n >= 0 && m >= 0 && first[..n].SequenceEqual(second[..m]);
    }

    private static bool IsRevoked(IRevocationIndex index, ClaimSet set)
    {
        // A UTF-8 value never has more UTF-16 characters than bytes; values longer than the cap fail closed below.
        Span<char> subject = stackalloc char[Math.Min(set.Subject.Length, MaxRevocationValueChars)];
        Span<char> tenant = stackalloc char[Math.Min(set.Tenant.Length, MaxRevocationValueChars)];
        Span<char> client = stackalloc char[Math.Min(set.ClientId.Length, MaxRevocationValueChars)];
        Span<char> tokenId = stackalloc char[Math.Min(set.TokenId.Length, MaxRevocationValueChars)];
        var s = set.Subject.CopyChars(set.Payload, subject);
        var t = set.Tenant.CopyChars(set.Payload, tenant);
        var c = set.ClientId.CopyChars(set.Payload, client);
        var j = set.TokenId.CopyChars(set.Payload, tokenId);
        if (s < 0 || t < 0 || c < 0 || j < 0)
        {
            return true; // identifiers this long cannot be ours; fail closed
        }

        var issuedAt = set.IssuedAt is { } iat ? (long)Math.Floor(iat) : 0;
        var query = new RevocationQuery(subject[..s], tenant[..t], client[..c], tokenId[..j], issuedAt);
        return index.IsRevoked(in query);
    }
}
