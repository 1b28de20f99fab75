using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Jose;
using Tessera.Keys;

namespace Tessera.Tokens;

/// <summary>
/// Issues access, ID and service tokens from a profile: the profile's issuer and <c>typ</c>, a random
/// 128-bit <c>jti</c>, the signing key's <c>kid</c>, a lifetime capped by the profile, and only claims
/// that pass the claims-minimisation guard. Thread-safe; reads time only from its <see cref="TimeProvider"/>.
/// </summary>
public sealed class TokenIssuer(TimeProvider? time = null)
{
    private static readonly HashSet<string> RegisteredNames =
        ["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id", "scope", "nonce", "azp", "auth_time", "typ", "cnf"];

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Issues a token. Throws <see cref="ClaimRejectedException"/> or <see cref="ArgumentException"/> for requests the profile does not allow.</summary>
    public IssuedToken Issue(TokenProfile profile, JsonWebKey signingKey, TokenDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(signingKey);
        ArgumentNullException.ThrowIfNull(descriptor);
        CheckKey(profile, signingKey);
        var subject = CheckParties(profile, descriptor);

        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().ToUnixTimeSeconds());
        var lifetime = descriptor.Lifetime is { } requested && requested > TimeSpan.Zero && requested < profile.Lifetime ? requested : profile.Lifetime;
        var expiresAt = issuedAt + TimeSpan.FromSeconds(Math.Floor(lifetime.TotalSeconds));
        var tokenId = Base64Url.Encode(RandomNumberGenerator.GetBytes(16));

        var payload = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(payload, CompactJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("iss", profile.Issuers[0]);
            writer.WriteString("sub", subject);
            WriteAudience(writer, descriptor.Audiences);
            writer.WriteNumber("exp", expiresAt.ToUnixTimeSeconds());
            writer.WriteNumber("iat", issuedAt.ToUnixTimeSeconds());
            writer.WriteString("jti", tokenId);
            WriteOptional(writer, "client_id", descriptor.ClientId);
            if (descriptor.Scopes.Count > 0)
            {
                writer.WriteString("scope", string.Join(' ', descriptor.Scopes));
            }

            WriteOptional(writer, profile.TenantClaim, descriptor.Tenant);
            WriteOptional(writer, "nonce", descriptor.Nonce);
            WriteOptional(writer, "azp", descriptor.AuthorizedParty);
            if (descriptor.AuthenticatedAt is { } authTime)
            {
                writer.WriteNumber("auth_time", authTime.ToUnixTimeSeconds());
            }

            foreach (var (name, value) in descriptor.Claims)
            {
                if (RegisteredNames.Contains(name) || name == profile.TenantClaim)
                {
                    throw new ClaimRejectedException($"Claim '{name}' is set by the issuer; use the TokenDescriptor property for it instead of Claims.");
                }

                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        GuardPersonalData(profile, payload.WrittenMemory);
        var type = profile.Types.Count > 0 ? profile.Types[0] : null;
        var token = JwsWriter.Sign(signingKey, payload.WrittenSpan, type);
        return new IssuedToken(token, profile.Kind, tokenId, signingKey.Kid, issuedAt, expiresAt);
    }

    private static void CheckKey(TokenProfile profile, JsonWebKey key)
    {
        if (!key.HasPrivateKey)
        {
            throw new ArgumentException($"Key '{key.Kid}' has no private part and cannot sign.", nameof(key));
        }

        if (!profile.AllowedAlgorithms.Contains(key.Algorithm))
        {
            throw new ArgumentException($"Key '{key.Kid}' signs with {key.Algorithm}, which the {profile.Kind} profile does not allow ({string.Join(", ", profile.AllowedAlgorithms)}).", nameof(key));
        }

        if (key.IsSymmetric && !profile.AllowSymmetricKeys)
        {
            throw new ArgumentException($"Key '{key.Kid}' is an HMAC secret and the {profile.Kind} profile requires asymmetric keys.", nameof(key));
        }
    }

    private static string CheckParties(TokenProfile profile, TokenDescriptor descriptor)
    {
        if (descriptor.Audiences.Count == 0 || descriptor.Audiences.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("A token needs at least one non-empty audience.", nameof(descriptor));
        }

        switch (profile.Kind)
        {
            case TokenKind.Service:
                var client = descriptor.ClientId ?? throw new ArgumentException("A service token needs ClientId.", nameof(descriptor));
                if (descriptor.Subject is not null && descriptor.Subject != client)
                {
                    throw new ArgumentException("A service token has no end user: its subject is its client. Issue an access token for a user instead.", nameof(descriptor));
                }

                return client;
            case TokenKind.Access:
                if (string.IsNullOrEmpty(descriptor.ClientId))
                {
                    throw new ArgumentException("An access token needs ClientId (RFC 9068).", nameof(descriptor));
                }

                break;
        }

        return string.IsNullOrEmpty(descriptor.Subject)
            ? throw new ArgumentException($"A {profile.Kind} token needs a Subject.", nameof(descriptor))
            : descriptor.Subject;
    }

    private static void GuardPersonalData(TokenProfile profile, ReadOnlyMemory<byte> payload)
    {
        using var document = JsonDocument.Parse(payload);
        foreach (var claim in document.RootElement.EnumerateObject())
        {
            if (profile.AllowedPersonalClaims.Contains(claim.Name))
            {
                continue;
            }

            var category = PersonalDataDetector.Classify(claim.Name, claim.Value);
            if (category is not null)
            {
                throw new ClaimRejectedException(
                    $"Claim '{claim.Name}' looks like {PersonalDataDetector.Describe(category)}. A signed JWT is readable by anyone who holds it: " +
                    $"leave it out (look it up server-side by sub), or add '{claim.Name}' to the profile's AllowedPersonalClaims if it must travel in the token.");
            }
        }
    }

    private static void WriteAudience(Utf8JsonWriter writer, IReadOnlyList<string> audiences)
    {
        if (audiences.Count == 1)
        {
            writer.WriteString("aud", audiences[0]);
            return;
        }

        writer.WriteStartArray("aud");
        foreach (var audience in audiences)
        {
            writer.WriteStringValue(audience);
        }

        writer.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
