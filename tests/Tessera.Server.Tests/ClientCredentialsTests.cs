using Tessera.Clients;

namespace Tessera.Server.Tests;

public sealed class ClientCredentialsTests : IClassFixture<TokenServiceFixture>
{
    private readonly TokenServiceFixture _server;

    public ClientCredentialsTests(TokenServiceFixture server) => _server = server;

    private Task<string?> AddServiceClient(string id) => _server.AddClientAsync(new ClientRegistration
    {
        ClientId = id,
        Type = ClientType.Service,
        GrantTypes = [GrantTypes.ClientCredentials],
        Audiences = ["api://a", "api://b"],
        Scopes = ["read", "write"],
    });

    [Fact]
    public async Task Token_ClientCredentials_IssuesServiceTokenThatIntrospectsActive()
    {
        var secret = await AddServiceClient("svc-ok");
        var (status, body) = await _server.PostFormAsync("/connect/token", "svc-ok", secret, ("grant_type", "client_credentials"), ("resource", "api://a"), ("scope", "read"));
        Assert.Equal(200, status);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(300, body.GetProperty("expires_in").GetInt32());
        Assert.Equal("read", body.GetProperty("scope").GetString());

        var token = body.GetProperty("access_token").GetString()!;
        var (introStatus, intro) = await _server.PostFormAsync("/connect/introspect", "svc-ok", secret, ("token", token));
        Assert.Equal(200, introStatus);
        Assert.True(intro.GetProperty("active").GetBoolean());
        Assert.Equal("svc-ok", intro.GetProperty("client_id").GetString());
        Assert.Equal("api://a", intro.GetProperty("aud")[0].GetString());
    }

    [Theory]
    [InlineData("wrong-secret", "api://a", "read", 401, "invalid_client")]
    [InlineData(null, "api://c", "read", 400, "invalid_target")]
    [InlineData(null, "api://a", "admin", 400, "invalid_scope")]
    [InlineData(null, null, "read", 400, "invalid_target")]
    public async Task Token_BadRequests_RefusedWithOAuthError(string? secretOverride, string? resource, string scope, int expectedStatus, string error)
    {
        var id = "svc-" + Guid.NewGuid().ToString("N")[..8];
        var secret = await AddServiceClient(id);
        var fields = new List<(string, string)> { ("grant_type", "client_credentials"), ("scope", scope) };
        if (resource is not null)
        {
            fields.Add(("resource", resource));
        }

        var (status, body) = await _server.PostFormAsync("/connect/token", id, secretOverride ?? secret, [.. fields]);
        Assert.Equal(expectedStatus, status);
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.False(body.TryGetProperty("access_token", out _));
    }

    [Fact]
    public async Task Discovery_WithoutConfiguredIssuer_AdvertisesTheBoundAddress()
    {
        using var document = System.Text.Json.JsonDocument.Parse(await _server.Http.GetStringAsync("/.well-known/openid-configuration"));
        var issuer = document.RootElement.GetProperty("issuer").GetString();
        Assert.Equal(_server.Issuer, issuer);
        Assert.DoesNotContain(":0", issuer, StringComparison.Ordinal);
        Assert.Equal(issuer + "/.well-known/jwks.json", document.RootElement.GetProperty("jwks_uri").GetString());
    }

    [Fact]
    public async Task Introspect_GarbageAndForeignTokens_Inactive()
    {
        var secret = await AddServiceClient("svc-intro");
        foreach (var token in new[] { "garbage", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", new string('a', 20000) })
        {
            var (status, body) = await _server.PostFormAsync("/connect/introspect", "svc-intro", secret, ("token", token));
            Assert.True(status is 200 or 400 or 413, $"status {status}");
            if (status == 200)
            {
                Assert.False(body.GetProperty("active").GetBoolean());
            }
        }
    }
}
