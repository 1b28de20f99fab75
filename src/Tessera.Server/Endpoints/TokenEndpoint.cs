using System.Diagnostics.Metrics;
using System.Text.Json;
using Tessera.Clients;
using Tessera.Keys.Ring;
using Tessera.Server.Logging;
using Tessera.Server.Revocation;
using Tessera.Server.Sessions;
using Tessera.Telemetry;
using Tessera.Tokens;

namespace Tessera.Server.Endpoints;

/// <summary>
/// <c>POST /connect/token</c>: <c>client_credentials</c> issues service tokens; RFC 8693 token exchange issues a
/// user access token for a narrower audience and scope, recording the actor in <c>act</c>. Each grant is a
/// short list of checks with one way out: an RFC 6749 §5.2 error.
/// </summary>
internal sealed class TokenEndpoint(
    ClientAuthenticator authenticator,
    ServerProfiles profiles,
    KeyRing ring,
    TokenIssuer issuer,
    TokenValidator validator,
    ServerMetrics metrics,
    IssuedTokenRecorder recorder,
    ILogger<TokenEndpoint> logger)
{
    private const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var (form, formError) = await FormReader.ReadAsync(context);
        if (form is null)
        {
            return Refuse(formError!, null);
        }

        var grantType = ClientAuthenticator.Single(form, "grant_type");
        if (UserTokenEndpoint.Handles(grantType))
        {
            // User grants: public clients identify themselves without credentials (PKCE and the refresh token prove possession).
            return await context.RequestServices.GetRequiredService<UserTokenEndpoint>().HandleAsync(context, form, grantType!);
        }

        var auth = await authenticator.AuthenticateAsync(context.Request, form, context.RequestAborted);
        if (!auth.Succeeded)
        {
            return Refuse(auth.Error!, grantType, auth.UsedBasic);
        }

        var client = auth.Client!;
        var outcome = grantType switch
        {
            GrantTypes.ClientCredentials => await ClientCredentialsAsync(client, form, context.RequestAborted),
            GrantTypes.TokenExchange => await TokenExchangeAsync(client, form, context.RequestAborted),
            null => (null, OAuthError.InvalidRequest("grant_type is required, once."), null),
            _ => ((IssuedToken?, OAuthError?, string?))(null, OAuthError.UnsupportedGrantType("This grant type is not supported."), null),
        };

        if (outcome.Item2 is { } error)
        {
            return Refuse(error, grantType, auth.UsedBasic, client.ClientId);
        }

        var issued = outcome.Item1!;
        await recorder.RecordAsync(issued, context.RequestAborted);
        metrics.TokenIssued(issued.Kind, grantType!);
        ServerLog.TokenIssued(logger, issued.Kind.ToString().ToLowerInvariant(), client.ClientId, issued.TokenId, issued.Kid);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        return Results.Json(
            new TokenResponse(issued.Token, "Bearer", issued.ExpiresIn, outcome.Item3, grantType == GrantTypes.TokenExchange ? AccessTokenType : null),
            ServerJson.Options);
    }

    private IResult Refuse(OAuthError error, string? grantType, bool usedBasic = false, string? clientId = null)
    {
        metrics.TokenRequestRefused(error.Error, grantType);
        ServerLog.TokenRequestRefused(logger, error.Error, grantType ?? "-", clientId ?? "-");
        return error.ToResult(usedBasic);
    }

    private async Task<(IssuedToken? Token, OAuthError? Error, string? Scope)> ClientCredentialsAsync(ClientRegistration client, IFormCollection form, CancellationToken cancellationToken)
    {
        if (client.Type != ClientType.Service || !client.Allows(GrantTypes.ClientCredentials))
        {
            return (null, OAuthError.UnauthorizedClient("This client may not use client_credentials."), null);
        }

        var (audiences, audienceError) = Audiences(client, form);
        if (audienceError is not null)
        {
            return (null, audienceError, null);
        }

        var (scopes, scopeError) = Scopes(form, client.Scopes);
        if (scopeError is not null)
        {
            return (null, scopeError, null);
        }

        var key = await ring.GetSigningKeyAsync(cancellationToken: cancellationToken);
        var token = issuer.Issue(profiles.Service, key, new TokenDescriptor
        {
            ClientId = client.ClientId,
            Audiences = audiences,
            Scopes = scopes,
            Lifetime = client.AccessTokenLifetime,
        });
        return (token, null, scopes.Count > 0 ? string.Join(' ', scopes) : null);
    }

    private async Task<(IssuedToken? Token, OAuthError? Error, string? Scope)> TokenExchangeAsync(ClientRegistration client, IFormCollection form, CancellationToken cancellationToken)
    {
        if (!client.IsConfidential || !client.Allows(GrantTypes.TokenExchange))
        {
            return (null, OAuthError.UnauthorizedClient("This client may not use token exchange."), null);
        }

        var subjectToken = ClientAuthenticator.Single(form, "subject_token");
        var subjectTokenType = ClientAuthenticator.Single(form, "subject_token_type");
        if (subjectToken is null || subjectTokenType is null)
        {
            return (null, OAuthError.InvalidRequest("subject_token and subject_token_type are required."), null);
        }

        if (subjectTokenType != AccessTokenType)
        {
            return (null, OAuthError.InvalidRequest("Only access tokens may be exchanged (subject_token_type urn:ietf:params:oauth:token-type:access_token); ID and refresh tokens may not."), null);
        }

        var requested = ClientAuthenticator.Single(form, "requested_token_type");
        if (requested is not null && requested != AccessTokenType)
        {
            return (null, OAuthError.InvalidRequest("Only access tokens can be requested."), null);
        }

        if (form.ContainsKey("actor_token"))
        {
            return (null, OAuthError.InvalidRequest("actor_token is not supported; the authenticated client is the actor."), null);
        }

        await ring.GetJwksAsync(cancellationToken);
        var keys = ring.Current.PublishedKeySet;
        var subject = keys is null ? null : validator.Validate(subjectToken, profiles.Access, keys);
        if (subject is not { IsValid: true })
        {
            return (null, OAuthError.InvalidGrant($"The subject token is not a valid access token ({subject?.ReasonCode ?? "no keys"})."), null);
        }

        var claims = subject.Claims!;
        var (audiences, audienceError) = Audiences(client, form);
        if (audienceError is not null)
        {
            return (null, audienceError, null);
        }

        // Narrower only: the new scopes come from what the subject token already had and the client may hold.
        var allowedScopes = claims.Scopes.Intersect(client.Scopes, StringComparer.Ordinal).ToList();
        var (scopes, scopeError) = Scopes(form, allowedScopes);
        if (scopeError is not null)
        {
            return (null, scopeError, null);
        }

        var remaining = claims.ExpiresAt!.Value - issuerTime(claims);
        var key = await ring.GetSigningKeyAsync(cancellationToken: cancellationToken);
        var token = issuer.Issue(profiles.Access, key, new TokenDescriptor
        {
            Subject = claims.Subject,
            ClientId = client.ClientId,
            Audiences = audiences,
            Scopes = scopes,
            Tenant = claims.Tenant,
            Lifetime = Min(client.AccessTokenLifetime, remaining),
            Claims = new Dictionary<string, JsonElement> { ["act"] = Actor(client.ClientId, claims) },
        });
        return (token, null, scopes.Count > 0 ? string.Join(' ', scopes) : null);

        static DateTimeOffset issuerTime(TokenClaims c) => c.IssuedAt ?? c.ExpiresAt!.Value;
    }

    private static TimeSpan? Min(TimeSpan? a, TimeSpan b) => a is { } x && x < b ? x : b;

    // RFC 8693 §4.1: the current actor, with any earlier delegation nested inside.
    private static JsonElement Actor(string clientId, TokenClaims subject)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("sub", clientId);
            if (subject.TryGetClaim("act", out var previous) && previous.ValueKind == JsonValueKind.Object)
            {
                writer.WritePropertyName("act");
                previous.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }

    /// <summary>RFC 8707 <c>resource</c> (or RFC 8693 <c>audience</c>); each must be one the client may address.</summary>
    private static (IReadOnlyList<string> Audiences, OAuthError? Error) Audiences(ClientRegistration client, IFormCollection form)
    {
        var requested = form["resource"].Concat(form["audience"]).Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).Distinct(StringComparer.Ordinal).ToList();
        if (requested.Count == 0)
        {
            return client.Audiences.Count == 1
                ? (client.Audiences, null)
                : (Array.Empty<string>(), OAuthError.InvalidTarget("Name the resource the token is for (resource parameter)."));
        }

        return requested.All(a => client.Audiences.Contains(a, StringComparer.Ordinal))
            ? (requested, null)
            : (Array.Empty<string>(), OAuthError.InvalidTarget("This client may not obtain tokens for the requested resource."));
    }

    private static (IReadOnlyList<string> Scopes, OAuthError? Error) Scopes(IFormCollection form, IReadOnlyList<string> allowed)
    {
        var text = ClientAuthenticator.Single(form, "scope");
        if (text is null)
        {
            return (allowed, null);
        }

        var requested = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        return requested.All(s => allowed.Contains(s, StringComparer.Ordinal))
            ? (requested, null)
            : (Array.Empty<string>(), OAuthError.InvalidScope("The requested scope exceeds what this client may obtain."));
    }

    private sealed record TokenResponse(
        [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
        [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
        [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn,
        [property: System.Text.Json.Serialization.JsonPropertyName("scope")] string? Scope,
        [property: System.Text.Json.Serialization.JsonPropertyName("issued_token_type")] string? IssuedTokenType);
}
