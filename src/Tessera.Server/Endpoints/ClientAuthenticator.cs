using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Tessera.Clients;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Tokens;

namespace Tessera.Server.Endpoints;

/// <summary>
/// Authenticates the client of a token, introspection or revocation request by exactly one method:
/// <c>client_secret_basic</c>, <c>client_secret_post</c> or <c>private_key_jwt</c> (RFC 7523, one use per <c>jti</c>).
/// </summary>
internal sealed class ClientAuthenticator(IClientStore clients, SecretHashingKey hashingKey, ServerProfiles profiles, TimeProvider time)
{
    public const string JwtBearerAssertion = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private readonly ConcurrentDictionary<string, (string Json, JsonWebKeySet Keys)> _clientKeys = new(StringComparer.Ordinal);
    private readonly TokenValidator _validator = new(time);

    public sealed record Outcome(ClientRegistration? Client, OAuthError? Error, bool UsedBasic)
    {
        public bool Succeeded => Client is not null;
    }

    public async Task<Outcome> AuthenticateAsync(HttpRequest request, IFormCollection form, CancellationToken cancellationToken)
    {
        var basic = ReadBasic(request, out var basicError);
        if (basicError is not null)
        {
            return new(null, basicError, true);
        }

        var postedSecret = Single(form, "client_secret");
        var assertionType = Single(form, "client_assertion_type");
        var assertion = Single(form, "client_assertion");
        var methods = (basic is null ? 0 : 1) + (postedSecret is null ? 0 : 1) + (assertion is null && assertionType is null ? 0 : 1);
        if (methods > 1)
        {
            return new(null, OAuthError.InvalidRequest("Use exactly one client authentication method."), basic is not null);
        }

        if (basic is { } credentials)
        {
            return await BySecretAsync(credentials.Id, credentials.Secret, Single(form, "client_id"), usedBasic: true, cancellationToken);
        }

        if (postedSecret is not null)
        {
            var id = Single(form, "client_id");
            return id is null
                ? new(null, OAuthError.InvalidRequest("client_secret needs client_id."), false)
                : await BySecretAsync(id, postedSecret, id, usedBasic: false, cancellationToken);
        }

        if (assertion is not null || assertionType is not null)
        {
            return assertionType != JwtBearerAssertion || assertion is null
                ? new(null, OAuthError.InvalidRequest($"client_assertion_type must be {JwtBearerAssertion}, with client_assertion."), false)
                : await ByAssertionAsync(assertion, Single(form, "client_id"), cancellationToken);
        }

        return new(null, OAuthError.InvalidClient("Client authentication is required."), false);
    }

    private async Task<Outcome> BySecretAsync(string clientId, string secret, string? formClientId, bool usedBasic, CancellationToken cancellationToken)
    {
        if (formClientId is not null && formClientId != clientId)
        {
            return new(null, OAuthError.InvalidRequest("client_id does not match the authenticated client."), usedBasic);
        }

        var client = await clients.FindAsync(clientId, cancellationToken);
        if (client is null || !client.IsConfidential || !ClientSecrets.Verify(secret, client.SecretHash, hashingKey.Value))
        {
            return new(null, OAuthError.InvalidClient("Client authentication failed."), usedBasic);
        }

        return new(client, null, usedBasic);
    }

    private async Task<Outcome> ByAssertionAsync(string assertion, string? formClientId, CancellationToken cancellationToken)
    {
        var clientId = formClientId ?? UnverifiedSubject(assertion);
        var client = clientId is null ? null : await clients.FindAsync(clientId, cancellationToken);
        if (client?.Jwks is null || !client.IsConfidential)
        {
            return new(null, OAuthError.InvalidClient("Client authentication failed."), false);
        }

        var keys = KeysOf(client);
        var profile = profiles.ClientAssertion(client.ClientId, keys);
        var result = _validator.Validate(assertion, profile, keys);
        if (!result.IsValid || result.Claims!.Subject != client.ClientId)
        {
            return new(null, OAuthError.InvalidClient("Client authentication failed."), false);
        }

        // The validator accepts the assertion until exp plus the skew, so the replay record must outlive that.
        var tokenId = result.Claims.TokenId!;
        var acceptedUntil = result.Claims.ExpiresAt!.Value + profile.ClockSkew;
        if (tokenId.Length > Tessera.Storage.Sqlite.Clients.SqliteClientStore.MaxTokenIdLength
            || !await clients.TryUseAssertionAsync(client.ClientId, tokenId, acceptedUntil, cancellationToken))
        {
            return new(null, OAuthError.InvalidClient("The client assertion was already used."), false);
        }

        return new(client, null, false);
    }

    private JsonWebKeySet KeysOf(ClientRegistration client)
    {
        var cached = _clientKeys.GetValueOrDefault(client.ClientId);
        if (cached.Json == client.Jwks)
        {
            return cached.Keys;
        }

        var keys = JsonWebKeySet.Parse(client.Jwks!);
        _clientKeys[client.ClientId] = (client.Jwks!, keys);
        return keys;
    }

    // Only to find which client's keys to verify with; nothing from it is trusted before the signature verifies.
    private static string? UnverifiedSubject(string assertion)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3 || parts[1].Length > 8192 || Base64Url.DecodeOrNull(parts[1]) is not { } payload)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String
                ? sub.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (string Id, string Secret)? ReadBasic(HttpRequest request, out OAuthError? error)
    {
        error = null;
        var headers = request.Headers.Authorization;
        if (headers.Count == 0)
        {
            return null;
        }

        if (headers.Count > 1 || !AuthenticationHeaderValue.TryParse(headers[0], out var value) || !value.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) || value.Parameter is null)
        {
            error = OAuthError.InvalidClient("The Authorization header must be one Basic credential.");
            return null;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                // RFC 6749 §2.3.1: both parts are form-urlencoded before Basic encoding.
                return (Uri.UnescapeDataString(decoded[..colon].Replace('+', ' ')), Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' ')));
            }
        }
        catch (FormatException)
        {
        }

        error = OAuthError.InvalidClient("The Basic credential is malformed.");
        return null;
    }

    /// <summary>A form parameter given at most once (RFC 6749 §3.2: parameters must not repeat).</summary>
    public static string? Single(IFormCollection form, string name)
    {
        var values = form.TryGetValue(name, out var v) ? v : StringValues.Empty;
        return values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
    }
}
