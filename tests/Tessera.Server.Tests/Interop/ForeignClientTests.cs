using Tessera.Testing;
using System.Text.Json.Nodes;
using Tessera.Clients;

namespace Tessera.Server.Tests.Interop;

/// <summary>
/// A client written by someone else: oauth4webapi (npm) discovers the running token service from its issuer and
/// obtains a service token with client_credentials and client_secret_basic, and panva/jose verifies it against the
/// published JWK Set with issuer, audience, <c>typ</c> and algorithm pinned (tests/interop/oauth-client-credentials.mjs).
/// </summary>
public sealed class ForeignClientTests(InteropServerFixture fixture) : IClassFixture<InteropServerFixture>
{
    private readonly TokenServiceFixture _server = fixture.Server;

    [Fact]
    public async Task Oauth4webapiAndJose_ClientCredentials_ObtainAndVerifyServiceToken()
    {
        var secret = await _server.AddClientAsync(new ClientRegistration
        {
            ClientId = "node-worker",
            Type = ClientType.Service,
            GrantTypes = [GrantTypes.ClientCredentials],
            Audiences = ["api://orders", "api://billing"],
            Scopes = ["orders:read", "orders:write"],
        });

        var result = await NodeRunner.RunAsync("oauth-client-credentials.mjs", new JsonObject
        {
            ["issuer"] = _server.Issuer,
            ["client_id"] = "node-worker",
            ["client_secret"] = secret,
            ["resource"] = "api://orders",
            ["scope"] = "orders:read",
        }, "oauth4webapi", "jose");

        var discovery = result["discovery"]!;
        Assert.Equal(_server.Issuer, (string?)discovery["issuer"]);
        Assert.Equal(_server.Issuer + "/connect/token", (string?)discovery["token_endpoint"]);
        Assert.Equal(_server.Issuer + "/.well-known/jwks.json", (string?)discovery["jwks_uri"]);

        var token = result["token"]!;
        Assert.Equal("bearer", ((string?)token["token_type"])?.ToLowerInvariant());
        Assert.Equal(300, (int?)token["expires_in"]);
        Assert.Equal("orders:read", (string?)token["scope"]);

        var header = result["verified"]!["header"]!;
        Assert.Equal("ES256", (string?)header["alg"]);
        Assert.Equal("service+jwt", (string?)header["typ"]);
        Assert.False(string.IsNullOrEmpty((string?)header["kid"]));

        var payload = result["verified"]!["payload"]!;
        Assert.Equal(_server.Issuer, (string?)payload["iss"]);
        Assert.Equal("node-worker", (string?)payload["sub"]);
        Assert.Equal("node-worker", (string?)payload["client_id"]);
        Assert.Equal("api://orders", (string?)payload["aud"]);
        Assert.Equal("orders:read", (string?)payload["scope"]);
        Assert.Equal(300, (long)payload["exp"]! - (long)payload["iat"]!);
        Assert.False(string.IsNullOrEmpty((string?)payload["jti"]));

        Assert.Equal("ERR_JWT_CLAIM_VALIDATION_FAILED", (string?)result["wrongAudience"]);
        Assert.Equal("ERR_JWT_CLAIM_VALIDATION_FAILED", (string?)result["wrongType"]);
        Assert.Equal("ERR_JWT_CLAIM_VALIDATION_FAILED", (string?)result["wrongIssuer"]);

        var wrongSecret = result["wrongSecret"]!;
        Assert.Null(wrongSecret["accepted"]);
        Assert.Equal(401, (int?)wrongSecret["status"]);
    }
}
