using Tessera.Testing;
using System.Text.Json.Nodes;
using Tessera.Clients;
using Tessera.Server.Tests.Interop;

namespace Tessera.Server.Tests.Sessions;

/// <summary>
/// The whole authorization code flow over HTTP by a foreign client (oauth4webapi, tests/interop/oidc-code-flow.mjs):
/// discovery, sign-in through the HTML form, PKCE code exchange, the ID token checked by the client (claims, nonce,
/// signature), refresh with rotation, RP-initiated logout — and what the logout leaves behind refused.
/// </summary>
public sealed class CodeFlowInteropTests(SessionServer server) : IClassFixture<SessionServer>
{
    [Theory]
    [InlineData(ClientType.Web)]
    [InlineData(ClientType.Native)]
    public async Task CodeFlow_ForeignClient_SignsInExchangesRefreshesAndSignsOut(ClientType type)
    {
        var user = await server.AddUserAsync();
        var client = await server.AddClientAsync(type);

        var result = await RunAsync(client, user);

        var discovery = result["discovery"]!;
        Assert.Equal(server.Issuer + "/connect/authorize", (string?)discovery["authorization_endpoint"]);
        Assert.True((bool)discovery["iss_parameter"]!);
        Assert.Equal(["S256"], discovery["pkce"]!.AsArray().Select(v => (string?)v));

        var login = result["login"]!;
        Assert.Equal("/login", (string?)login["path"]);
        Assert.True((bool)login["hasAntiforgery"]!);
        Assert.True((bool)login["labelled"]!);
        Assert.Equal(303, (int)login["postStatus"]!);
        Assert.Equal("tessera-session", (string?)login["sessionCookie"]);

        var authorization = result["authorization"]!;
        Assert.Equal(302, (int)authorization["status"]!);
        Assert.Equal(client.RedirectUri, (string?)authorization["redirect"]);
        Assert.Equal(server.Issuer, (string?)authorization["iss"]);
        Assert.True((bool)authorization["state"]!);

        var token = result["token"]!;
        Assert.Equal("bearer", ((string?)token["token_type"])?.ToLowerInvariant());
        Assert.Equal("openid " + SessionServer.Scope, (string?)token["scope"]);
        Assert.True((bool)token["refresh"]!);

        var id = result["idToken"]!;
        Assert.True((bool)id["signatureValid"]!);
        Assert.Equal(server.Issuer, (string?)id["iss"]);
        Assert.Equal(client.Id, (string?)id["aud"]);
        Assert.Equal(user.Subject, (string?)id["sub"]);
        Assert.StartsWith("sid_", (string?)id["sid"]);
        Assert.NotNull(id["auth_time"]);

        var refresh = result["refresh"]!;
        Assert.True((bool)refresh["rotated"]!);
        Assert.True((bool)refresh["newAccessToken"]!);
        Assert.True((bool)refresh["sameSubject"]!);
        Assert.True((bool)refresh["sameSession"]!);

        var mistakes = result["mistakes"]!;
        Assert.Equal("OAUTH_INVALID_RESPONSE", (string?)mistakes["wrongState"]);
        Assert.True((bool)mistakes["signedInAlready"]!);
        Assert.Equal("OAUTH_JWT_CLAIM_COMPARISON_FAILED", (string?)mistakes["wrongNonce"]);

        var logout = result["logout"]!;
        Assert.Equal(302, (int)logout["status"]!);
        Assert.Equal(client.RedirectUri, (string?)logout["redirect"]);
        Assert.True((bool)logout["state"]!);
        Assert.False((bool)logout["sessionCookieLeft"]!);

        var after = result["after"]!;
        Assert.Equal("invalid_grant", (string?)after["refresh"]);
        Assert.Equal("/login", (string?)after["authorize"]);
    }

    private Task<JsonObject> RunAsync(TestClient client, TestUser user) =>
        NodeRunner.RunAsync("oidc-code-flow.mjs", new JsonObject
        {
            ["issuer"] = server.Issuer,
            ["client_id"] = client.Id,
            ["client_secret"] = client.Secret,
            ["redirect_uri"] = client.RedirectUri,
            ["scope"] = "openid " + SessionServer.Scope,
            ["username"] = user.Username,
            ["password"] = user.Password,
        }, "oauth4webapi");
}
