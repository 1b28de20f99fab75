using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Clients;
using Tessera.Jose;
using Tessera.Keys.Ring;
using Tessera.Server.Endpoints;
using Tessera.Tokens;

namespace Tessera.Server.Tests.Interop;

/// <summary>
/// RFC 8693 token exchange at the running service: a user's access token is exchanged for a narrower one, never a
/// wider one, never for an audience the client may not address, never from an ID or refresh token, and the
/// exchanging client is recorded as the actor (<c>act</c>).
/// </summary>
public sealed class TokenExchangeTests(InteropServerFixture fixture) : IClassFixture<InteropServerFixture>
{
    private readonly TokenServiceFixture _server = fixture.Server;

    private const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";
    private const string IdTokenType = "urn:ietf:params:oauth:token-type:id_token";
    private const string RefreshTokenType = "urn:ietf:params:oauth:token-type:refresh_token";
    private const string Downstream = "api://downstream";

    private async Task<(string Id, string Secret)> AddExchangerAsync(IReadOnlyList<string>? grants = null)
    {
        var id = "exchanger-" + Guid.NewGuid().ToString("N")[..8];
        var secret = await _server.AddClientAsync(new ClientRegistration
        {
            ClientId = id,
            Type = ClientType.Service,
            GrantTypes = grants ?? [GrantTypes.TokenExchange, GrantTypes.ClientCredentials],
            Audiences = [Downstream, "api://other-downstream"],
            Scopes = ["orders:read", "orders:write", "admin"],
        });
        return (id, secret!);
    }

    /// <summary>A user access token from this service (as its user flows would issue): aud api://front, scope orders:read.</summary>
    private async Task<string> UserAccessTokenAsync(string scope = "orders:read", IReadOnlyDictionary<string, JsonElement>? claims = null)
    {
        var profiles = _server.Services.GetRequiredService<ServerProfiles>();
        var key = await _server.Services.GetRequiredService<KeyRing>().GetSigningKeyAsync();
        return _server.Services.GetRequiredService<TokenIssuer>().Issue(profiles.Access, key, new TokenDescriptor
        {
            Subject = "user-42",
            ClientId = "web-front",
            Audiences = ["api://front"],
            Scopes = scope.Split(' '),
            Claims = claims ?? new Dictionary<string, JsonElement>(),
        }).Token;
    }

    private async Task<string> IdTokenAsync()
    {
        var profiles = _server.Services.GetRequiredService<ServerProfiles>();
        var key = await _server.Services.GetRequiredService<KeyRing>().GetSigningKeyAsync();
        return _server.Services.GetRequiredService<TokenIssuer>().Issue(profiles.Id, key, new TokenDescriptor
        {
            Subject = "user-42",
            Audiences = ["web-front"],
            Nonce = "n-0S6_WzA2Mj",
        }).Token;
    }

    private Task<(int Status, JsonElement Body)> ExchangeAsync((string Id, string Secret) client, string subjectToken, string subjectTokenType = AccessTokenType, string? resource = Downstream, string? scope = "orders:read")
    {
        var fields = new List<(string, string)>
        {
            ("grant_type", GrantTypes.TokenExchange),
            ("subject_token", subjectToken),
            ("subject_token_type", subjectTokenType),
        };
        if (resource is not null)
        {
            fields.Add(("resource", resource));
        }

        if (scope is not null)
        {
            fields.Add(("scope", scope));
        }

        return _server.PostFormAsync("/connect/token", client.Id, client.Secret, [.. fields]);
    }

    private static JsonElement Part(string token, int index) =>
        JsonDocument.Parse(Encoding.UTF8.GetString(Base64Url.DecodeOrNull(token.Split('.')[index])!)).RootElement.Clone();

    private static void AssertError(int expectedStatus, string expectedError, (int Status, JsonElement Body) response)
    {
        Assert.Equal(expectedStatus, response.Status);
        Assert.Equal(expectedError, response.Body.GetProperty("error").GetString());
        Assert.False(response.Body.TryGetProperty("access_token", out _));
    }

    [Fact]
    public async Task Exchange_UserAccessToken_NarrowerTokenWithActorRecorded()
    {
        var client = await AddExchangerAsync();

        var (status, body) = await ExchangeAsync(client, await UserAccessTokenAsync("orders:read orders:write"));

        Assert.Equal(200, status);
        Assert.Equal(AccessTokenType, body.GetProperty("issued_token_type").GetString());
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal("orders:read", body.GetProperty("scope").GetString());
        var token = body.GetProperty("access_token").GetString()!;
        Assert.Equal("at+jwt", Part(token, 0).GetProperty("typ").GetString());
        var claims = Part(token, 1);
        Assert.Equal("user-42", claims.GetProperty("sub").GetString());
        Assert.Equal(client.Id, claims.GetProperty("client_id").GetString());
        Assert.Equal(Downstream, claims.GetProperty("aud").GetString());
        Assert.Equal("orders:read", claims.GetProperty("scope").GetString());
        var act = claims.GetProperty("act");
        Assert.Equal(client.Id, act.GetProperty("sub").GetString());
        Assert.False(act.TryGetProperty("act", out _));

        var (introStatus, intro) = await _server.PostFormAsync("/connect/introspect", client.Id, client.Secret, ("token", token));
        Assert.Equal(200, introStatus);
        Assert.True(intro.GetProperty("active").GetBoolean());
        Assert.Equal("user-42", intro.GetProperty("sub").GetString());
        Assert.Equal("access", intro.GetProperty("tessera_kind").GetString());
    }

    [Fact]
    public async Task Exchange_AlreadyDelegatedToken_PreviousActorNestedInsideAct()
    {
        var client = await AddExchangerAsync();
        var previous = JsonDocument.Parse("""{"sub":"gateway"}""").RootElement.Clone();

        var (status, body) = await ExchangeAsync(client, await UserAccessTokenAsync(claims: new Dictionary<string, JsonElement> { ["act"] = previous }));

        Assert.Equal(200, status);
        var act = Part(body.GetProperty("access_token").GetString()!, 1).GetProperty("act");
        Assert.Equal(client.Id, act.GetProperty("sub").GetString());
        Assert.Equal("gateway", act.GetProperty("act").GetProperty("sub").GetString());
    }

    [Theory]
    [InlineData("orders:read orders:write")] // the subject token has only orders:read
    [InlineData("admin")] // the client may hold it, but the user's token never had it
    public async Task Exchange_ScopeEscalation_InvalidScope(string scope)
    {
        var client = await AddExchangerAsync();

        AssertError(400, "invalid_scope", await ExchangeAsync(client, await UserAccessTokenAsync(), scope: scope));
    }

    [Theory]
    [InlineData("api://payments")]
    [InlineData("api://front")] // the subject token's own audience is not one this client may address
    public async Task Exchange_AudienceNotAllowed_InvalidTarget(string resource)
    {
        var client = await AddExchangerAsync();

        AssertError(400, "invalid_target", await ExchangeAsync(client, await UserAccessTokenAsync(), resource: resource));
    }

    [Fact]
    public async Task Exchange_IdTokenOfferedAsIdToken_InvalidRequest()
    {
        var client = await AddExchangerAsync();

        AssertError(400, "invalid_request", await ExchangeAsync(client, await IdTokenAsync(), IdTokenType));
    }

    [Fact]
    public async Task Exchange_RefreshTokenOffered_InvalidRequest()
    {
        var client = await AddExchangerAsync();
        var opaque = Base64Url.Encode(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        AssertError(400, "invalid_request", await ExchangeAsync(client, opaque, RefreshTokenType));
    }

    [Fact]
    public async Task Exchange_IdTokenLabelledAccessToken_InvalidGrant()
    {
        var client = await AddExchangerAsync();

        AssertError(400, "invalid_grant", await ExchangeAsync(client, await IdTokenAsync(), AccessTokenType));
    }

    [Fact]
    public async Task Exchange_ServiceTokenLabelledAccessToken_InvalidGrant()
    {
        // A service token has no user to act for; its service+jwt type keeps it from passing as one.
        var client = await AddExchangerAsync();
        var (_, issued) = await _server.PostFormAsync("/connect/token", client.Id, client.Secret, ("grant_type", "client_credentials"), ("resource", Downstream));

        AssertError(400, "invalid_grant", await ExchangeAsync(client, issued.GetProperty("access_token").GetString()!));
    }

    [Fact]
    public async Task Exchange_TamperedSubjectToken_InvalidGrant()
    {
        var client = await AddExchangerAsync();
        var parts = (await UserAccessTokenAsync()).Split('.');
        var widened = Encoding.UTF8.GetString(Base64Url.DecodeOrNull(parts[1])!).Replace("\"orders:read\"", "\"orders:read orders:write\"", StringComparison.Ordinal);
        var forged = $"{parts[0]}.{Base64Url.Encode(Encoding.UTF8.GetBytes(widened))}.{parts[2]}";

        AssertError(400, "invalid_grant", await ExchangeAsync(client, forged, scope: "orders:write"));
    }

    [Fact]
    public async Task Exchange_ClientWithoutTheGrant_UnauthorizedClient()
    {
        var client = await AddExchangerAsync([GrantTypes.ClientCredentials]);

        AssertError(400, "unauthorized_client", await ExchangeAsync(client, await UserAccessTokenAsync()));
    }
}
