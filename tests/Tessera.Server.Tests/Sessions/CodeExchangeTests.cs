using System.Text.Json;
using Tessera.Clients;
using Tessera.Server.Tests.Revocation;

namespace Tessera.Server.Tests.Sessions;

/// <summary>
/// Codes at the token endpoint: one use, bound to the client, the exact redirect URI and the PKCE challenge; a code
/// used twice revokes what was issued from it (the family, its refresh token, its access and ID tokens).
/// </summary>
public sealed class CodeExchangeTests(SessionServer server) : IClassFixture<SessionServer>
{
    private const string OtherVerifier = "not-the-verifier-but-long-enough-to-be-well-formed-0123456789";

    private async Task<(TestClient Client, string Code, string Verifier)> CodeAsync(ClientType type = ClientType.Web)
    {
        var (client, user) = (await server.AddClientAsync(type), await server.AddUserAsync());
        using var browser = server.NewBrowser();
        var (verifier, challenge) = OAuth.Pkce();
        var redirect = await browser.AuthorizeAsync(OAuth.AuthorizeUrl(client, challenge), user);
        return (client, OAuth.QueryOf(redirect)["code"], verifier);
    }

    [Theory]
    [InlineData(ClientType.Web, true)]
    [InlineData(ClientType.Native, true)]
    [InlineData(ClientType.Browser, false)]
    public async Task Exchange_RightVerifier_IssuesTokensAndARefreshTokenOnlyOutsideTheBrowser(ClientType type, bool refresh)
    {
        var (client, code, verifier) = await CodeAsync(type);

        var (status, body) = await OAuth.ExchangeAsync(server, client, code, verifier);

        Assert.Equal(200, status);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(300, body.GetProperty("expires_in").GetInt32());
        Assert.True(body.TryGetProperty("id_token", out _));
        Assert.Equal(refresh, body.TryGetProperty("refresh_token", out var token));
        if (refresh)
        {
            Assert.Equal(43, token.GetString()!.Length);
        }
    }

    [Theory]
    [InlineData(null, "code_verifier is required")]
    [InlineData(OtherVerifier, "does not match the code_challenge")]
    [InlineData("short", "code_verifier is required")]
    public async Task Exchange_MissingOrWrongVerifier_RefusedAndTheCodeIsSpent(string? verifier, string description)
    {
        var (client, code, rightVerifier) = await CodeAsync();

        var (status, body) = await OAuth.ExchangeAsync(server, client, code, verifier);
        Assert.Equal(400, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
        Assert.Contains(description, body.GetProperty("error_description").GetString(), StringComparison.Ordinal);

        var (again, _) = await OAuth.ExchangeAsync(server, client, code, rightVerifier);
        Assert.Equal(400, again);
    }

    [Fact]
    public async Task Exchange_PlainVerifierAsChallenge_Refused()
    {
        // A client that sent the verifier itself as the challenge ("plain") was refused at /authorize; a challenge
        // that equals the verifier can never verify under S256 either.
        var (client, user) = (await server.AddClientAsync(ClientType.Web), await server.AddUserAsync());
        using var browser = server.NewBrowser();
        var (verifier, _) = OAuth.Pkce();
        var redirect = await browser.AuthorizeAsync(OAuth.AuthorizeUrl(client, verifier), user);
        var (status, body) = await OAuth.ExchangeAsync(server, client, OAuth.QueryOf(redirect)["code"], verifier);
        Assert.Equal(400, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData(null, "redirect_uri is required")]
    [InlineData("http://127.0.0.1:1/other", "does not match")]
    public async Task Exchange_RedirectUriMismatch_Refused(string? redirectUri, string description)
    {
        var (client, code, verifier) = await CodeAsync();
        var (status, body) = await OAuth.ExchangeAsync(server, client, code, verifier, redirectUri);
        Assert.Equal(400, status);
        Assert.Contains(description, body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exchange_AnotherClientsCode_Refused()
    {
        var (_, code, verifier) = await CodeAsync();
        var other = await server.AddClientAsync(ClientType.Web);
        var (status, body) = await OAuth.ExchangeAsync(server, other, code, verifier);
        Assert.Equal(400, status);
        Assert.Contains("another client", body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong-secret", 401, "invalid_client")]
    [InlineData(null, 401, "invalid_client")]
    public async Task Exchange_WebClientWithoutItsSecret_InvalidClient(string? secret, int expected, string error)
    {
        var (client, code, verifier) = await CodeAsync();
        var (status, body) = await OAuth.ExchangeAsync(server, client with { Secret = secret }, code, verifier);
        Assert.Equal(expected, status);
        Assert.Equal(error, body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Exchange_CodeUsedTwice_RevokesEverythingIssuedFromItAndPublishesIt()
    {
        var kit = new RevocationKit(server.Server);
        var receiver = await kit.ReceiverAsync();
        await kit.PollSetsAsync(receiver); // register the receiver before the event
        var (client, code, verifier) = await CodeAsync();
        var (_, first) = await OAuth.ExchangeAsync(server, client, code, verifier);
        var access = first.GetProperty("access_token").GetString()!;
        Assert.True(await kit.IsActiveAsync(receiver, access));

        var (status, body) = await OAuth.ExchangeAsync(server, client, code, verifier);

        Assert.Equal(400, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
        Assert.False(await kit.IsActiveAsync(receiver, access));
        var (refreshStatus, _) = await OAuth.RefreshAsync(server, client, first.GetProperty("refresh_token").GetString()!);
        Assert.Equal(400, refreshStatus);

        var events = new List<(string Uri, JsonElement Payload)>();
        foreach (var set in (await kit.PollSetsAsync(receiver)).Values)
        {
            events.Add(RevocationKit.EventOf(await kit.VerifySetAsync(set)));
        }

        var family = Assert.Single(events, e => e.Uri == "https://schemas.tessera.dev/secevent/refresh-family-revoked");
        Assert.Equal("code_reused", family.Payload.GetProperty("trigger").GetString());
        Assert.Equal(client.Id, family.Payload.GetProperty("client_id").GetString());
        Assert.Equal(2, events.Count(e => e.Uri == RevocationKit.TokenDenied && e.Payload.GetProperty("trigger").GetString() == "code_reused"));
    }

    [Fact]
    public async Task Exchange_GarbageCode_InvalidGrant()
    {
        var client = await server.AddClientAsync(ClientType.Native);
        foreach (var code in new[] { "x", new string('A', 43), new string('a', 5000) })
        {
            var (status, body) = await OAuth.ExchangeAsync(server, client, code, OAuth.Pkce().Verifier);
            Assert.True(status is 400 or 413, $"status {status}");
            if (status == 400)
            {
                Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
            }
        }
    }

    [Fact]
    public async Task Exchange_ServiceClient_UnauthorizedClient()
    {
        var id = SessionServer.Unique("svc");
        var secret = await server.Server.AddClientAsync(new ClientRegistration { ClientId = id, Type = ClientType.Service, GrantTypes = [GrantTypes.ClientCredentials], Audiences = ["api://x"] });
        var (status, body) = await server.Server.PostFormAsync("/connect/token", id, secret, ("grant_type", "authorization_code"), ("code", new string('A', 43)));
        Assert.Equal(400, status);
        Assert.Equal("unauthorized_client", body.GetProperty("error").GetString());
    }
}
