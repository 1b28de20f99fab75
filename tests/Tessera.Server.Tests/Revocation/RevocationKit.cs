using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Clients;
using Tessera.Keys;
using Tessera.Keys.Ring;
using Tessera.Server.Endpoints;
using Tessera.Tokens;

namespace Tessera.Server.Tests.Revocation;

/// <summary>Helpers for the revocation tests: clients, tokens, the admin API, the feed and SET verification, all over HTTP.</summary>
internal sealed class RevocationKit(TokenServiceFixture server)
{
    public const string TokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange";
    public const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";
    public const string RevokedBefore = "https://schemas.tessera.dev/secevent/revoked-before";
    public const string TokenDenied = "https://schemas.tessera.dev/secevent/token-denied";

    public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A service client that may use client_credentials and token exchange for api://a.</summary>
    public async Task<(string Id, string Secret)> ServiceClientAsync()
    {
        var id = Unique("svc");
        var secret = await server.AddClientAsync(new ClientRegistration
        {
            ClientId = id,
            Type = ClientType.Service,
            GrantTypes = [GrantTypes.ClientCredentials, GrantTypes.TokenExchange],
            Audiences = ["api://a"],
            Scopes = ["read"],
        });
        return (id, secret!);
    }

    /// <summary>A resource server registered to poll the revocation feed.</summary>
    public async Task<(string Id, string Secret)> ReceiverAsync()
    {
        var id = Unique("rs");
        var secret = await server.AddClientAsync(new ClientRegistration
        {
            ClientId = id,
            Type = ClientType.Service,
            GrantTypes = [GrantTypes.RevocationFeed],
        });
        return (id, secret!);
    }

    public async Task<string> ServiceTokenAsync((string Id, string Secret) client)
    {
        var (status, body) = await server.PostFormAsync("/connect/token", client.Id, client.Secret, ("grant_type", "client_credentials"), ("resource", "api://a"));
        Assert.Equal(200, status);
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>A user access token signed by the service's own key, as a future sign-in would issue it (not recorded as issued).</summary>
    public async Task<string> MintUserTokenAsync(string subject, string? tenant = null, string clientId = "web-app")
    {
        var services = server.Services;
        var key = await services.GetRequiredService<KeyRing>().GetSigningKeyAsync();
        return services.GetRequiredService<TokenIssuer>().Issue(services.GetRequiredService<ServerProfiles>().Access, key, new TokenDescriptor
        {
            Subject = subject,
            Tenant = tenant,
            ClientId = clientId,
            Audiences = ["api://a"],
            Scopes = ["read"],
        }).Token;
    }

    /// <summary>A user access token issued by the token endpoint (token exchange), so the service records it as issued.</summary>
    public async Task<string> ExchangedUserTokenAsync((string Id, string Secret) client, string subject, string? tenant = null)
    {
        var (status, body) = await server.PostFormAsync("/connect/token", client.Id, client.Secret,
            ("grant_type", TokenExchange), ("subject_token", await MintUserTokenAsync(subject, tenant)), ("subject_token_type", AccessTokenType), ("resource", "api://a"));
        Assert.Equal(200, status);
        return body.GetProperty("access_token").GetString()!;
    }

    public async Task<bool> IsActiveAsync((string Id, string Secret) client, string token)
    {
        var (status, body) = await server.PostFormAsync("/connect/introspect", client.Id, client.Secret, ("token", token));
        Assert.Equal(200, status);
        return body.GetProperty("active").GetBoolean();
    }

    public async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> AdminAsync(HttpMethod method, string path, object? body = null, string? authorization = "default")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization == "default" ? "Bearer " + server.AdminKey : authorization);
        }

        var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    /// <summary>Fires a trigger through the admin API and returns its record.</summary>
    public async Task<JsonElement> TriggerAsync(string @event, string? subject = null, string? tenant = null, string? reason = null)
    {
        var body = new Dictionary<string, string> { ["event"] = @event };
        if (subject is not null)
        {
            body["subject"] = subject;
        }

        if (tenant is not null)
        {
            body["tenant"] = tenant;
        }

        if (reason is not null)
        {
            body["reason"] = reason;
        }

        var (status, record, _) = await AdminAsync(HttpMethod.Post, "/admin/triggers", body);
        Assert.Equal(200, status);
        return record;
    }

    public async Task<(int Status, JsonElement Body)> PollAsync((string Id, string Secret) receiver, IEnumerable<string>? ack = null, int? maxEvents = null, bool returnImmediately = true, HttpClient? http = null)
    {
        var body = new Dictionary<string, object> { ["ack"] = ack?.ToArray() ?? [], ["returnImmediately"] = returnImmediately };
        if (maxEvents is { } max)
        {
            body["maxEvents"] = max;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/feed/poll") { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(receiver.Id)}:{Uri.EscapeDataString(receiver.Secret)}")));
        using var response = await (http ?? server.Http).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary><c>GET /feed/snapshot</c> as <paramref name="receiver"/> (none: no credentials).</summary>
    public async Task<(int Status, JsonElement Body)> SnapshotAsync((string Id, string Secret)? receiver)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feed/snapshot");
        if (receiver is { } r)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(r.Id)}:{Uri.EscapeDataString(r.Secret)}")));
        }

        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>The SETs of one poll, by jti.</summary>
    public async Task<Dictionary<string, string>> PollSetsAsync((string Id, string Secret) receiver, IEnumerable<string>? ack = null, int? maxEvents = null, bool returnImmediately = true)
    {
        var (status, body) = await PollAsync(receiver, ack, maxEvents, returnImmediately);
        Assert.Equal(200, status);
        return body.GetProperty("sets").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    /// <summary>Verifies a SET with the service's published JWKS as a resource server would, and returns its claims.</summary>
    public async Task<TokenClaims> VerifySetAsync(string set)
    {
        var jwks = JsonWebKeySet.Parse(await server.Http.GetStringAsync("/.well-known/jwks.json"));
        using var discovery = JsonDocument.Parse(await server.Http.GetStringAsync("/.well-known/openid-configuration"));
        var issuer = discovery.RootElement.GetProperty("issuer").GetString()!;
        var options = new TokenProfileOptions { Keys = jwks };
        options.Issuers.Add(issuer);
        options.Audiences.Add(issuer + "/feed");
        var result = new TokenValidator().Validate(set, TokenProfile.Create(TokenKind.SecurityEvent, options), jwks);
        Assert.True(result.IsValid, result.ReasonCode);
        Assert.False(result.Claims!.ExpiresAt.HasValue);
        return result.Claims;
    }

    /// <summary>The single event of a verified SET: its URI and payload.</summary>
    public static (string Uri, JsonElement Payload) EventOf(TokenClaims set)
    {
        Assert.True(set.TryGetClaim("events", out var events));
        var only = Assert.Single(events.EnumerateObject());
        return (only.Name, only.Value.Clone());
    }

    /// <summary>The jtis of the SETs a trigger's actions name.</summary>
    public static IReadOnlyList<string> SetsOf(JsonElement record) =>
        [.. record.GetProperty("actions").EnumerateArray().SelectMany(a =>
            a.TryGetProperty("set", out var set) ? [set.GetString()!]
            : a.TryGetProperty("tokens", out var tokens) ? tokens.EnumerateArray().Select(t => t.GetProperty("set").GetString()!)
            : [])];
}
