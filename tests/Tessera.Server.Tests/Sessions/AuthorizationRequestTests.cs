using Tessera.Clients;

namespace Tessera.Server.Tests.Sessions;

/// <summary>
/// The authorization endpoint's checks, each by the error the client (or, before the redirect URI is proven, the
/// user) sees: PKCE S256 only, exact redirect URIs, state and nonce carried unchanged, RFC 9207 <c>iss</c>.
/// </summary>
public sealed class AuthorizationRequestTests(SessionServer server) : IClassFixture<SessionServer>
{
    private const string State = "state with spaces & symbols/?=é";

    [Theory]
    [InlineData("code_challenge", null, "invalid_request", "code_challenge is required")]
    [InlineData("code_challenge_method", null, "invalid_request", "plain (also the default when it is missing) is refused")]
    [InlineData("code_challenge_method", "plain", "invalid_request", "must be S256")]
    [InlineData("code_challenge_method", "s256", "invalid_request", "must be S256")]
    [InlineData("code_challenge", "too-short", "invalid_request", "43 characters")]
    [InlineData("response_type", "token", "unsupported_response_type", "Only response_type=code")]
    [InlineData("response_type", null, "invalid_request", "response_type is required")]
    [InlineData("response_mode", "fragment", "invalid_request", "response_mode=query")]
    [InlineData("scope", "openid admin", "invalid_scope", "admin")]
    [InlineData("resource", "api://elsewhere", "invalid_target", "resource")]
    [InlineData("prompt", "none login", "invalid_request", "prompt")]
    [InlineData("request", "eyJhbGciOiJub25lIn0.e30.", "request_not_supported", "Request objects")]
    public async Task Authorize_BadRequest_RedirectsErrorWithStateAndIss(string parameter, string? value, string error, string description)
    {
        var client = await server.AddClientAsync(ClientType.Web);
        using var browser = server.NewBrowser();
        var (_, challenge) = OAuth.Pkce();

        var response = await browser.GetAsync(OAuth.AuthorizeUrl(client, challenge, State, overrides: (parameter, value)));

        Assert.Equal(302, response.Status);
        var redirect = new Uri(response.Location!);
        Assert.StartsWith(client.RedirectUri + "?", redirect.AbsoluteUri, StringComparison.Ordinal);
        var query = OAuth.QueryOf(redirect);
        Assert.Equal(error, query["error"]);
        Assert.Contains(description, query["error_description"], StringComparison.Ordinal);
        Assert.Equal(State, query["state"]);
        Assert.Equal(server.Issuer, query["iss"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:1/elsewhere")]
    [InlineData("REGISTERED/")]
    [InlineData("REGISTERED?x=1")]
    [InlineData("REGISTERED#frag")]
    [InlineData(null)]
    public async Task Authorize_RedirectUriNotExactlyRegistered_ShowsErrorPageAndNeverRedirects(string? redirectUri)
    {
        var client = await server.AddClientAsync(ClientType.Web);
        using var browser = server.NewBrowser();
        var (_, challenge) = OAuth.Pkce();

        var response = await browser.GetAsync(OAuth.AuthorizeUrl(client, challenge, overrides: ("redirect_uri", redirectUri?.Replace("REGISTERED", client.RedirectUri, StringComparison.Ordinal))));

        Assert.Equal(400, response.Status);
        Assert.Null(response.Location);
        Assert.Contains("has not registered", response.Body, StringComparison.Ordinal);
        Assert.StartsWith("text/html", response.Headers["Content-Type"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("no-such-client")]
    public async Task Authorize_UnknownClient_ShowsErrorPage(string? clientId)
    {
        var client = await server.AddClientAsync(ClientType.Web);
        using var browser = server.NewBrowser();
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(client, OAuth.Pkce().Challenge, overrides: ("client_id", clientId)));
        Assert.Equal(400, response.Status);
        Assert.Null(response.Location);
    }

    [Fact]
    public async Task Authorize_ServiceClient_UnauthorizedClient()
    {
        var id = SessionServer.Unique("svc");
        await server.Server.AddClientAsync(new ClientRegistration { ClientId = id, Type = ClientType.Service, GrantTypes = [GrantTypes.ClientCredentials] });
        using var browser = server.NewBrowser();
        var response = await browser.GetAsync($"/connect/authorize?client_id={id}&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&response_type=code");
        Assert.Equal(400, response.Status); // a service client has no redirect URI, so the error cannot go back to it
    }

    [Fact]
    public async Task Authorize_Success_CodeStateAndIssGoBackUnchanged()
    {
        var (client, user) = (await server.AddClientAsync(ClientType.Web), await server.AddUserAsync());
        using var browser = server.NewBrowser();
        var redirect = await browser.AuthorizeAsync(OAuth.AuthorizeUrl(client, OAuth.Pkce().Challenge, State), user);

        var query = OAuth.QueryOf(redirect);
        Assert.Equal(State, query["state"]);
        Assert.Equal(server.Issuer, query["iss"]);
        Assert.Equal(43, query["code"].Length);
        Assert.Equal(["code", "state", "iss"], query.Keys);
    }

    [Fact]
    public async Task Authorize_WithoutState_NoStateComesBack()
    {
        var (client, user) = (await server.AddClientAsync(ClientType.Web), await server.AddUserAsync());
        using var browser = server.NewBrowser();
        var redirect = await browser.AuthorizeAsync(OAuth.AuthorizeUrl(client, OAuth.Pkce().Challenge, state: null), user);
        Assert.False(OAuth.QueryOf(redirect).ContainsKey("state"));
    }

    [Fact]
    public async Task Authorize_PromptNoneWithoutSession_LoginRequired()
    {
        var client = await server.AddClientAsync(ClientType.Web);
        using var browser = server.NewBrowser();
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(client, OAuth.Pkce().Challenge, overrides: ("prompt", "none")));
        Assert.Equal("login_required", response.Query()["error"]);
        Assert.Equal("st-1", response.Query()["state"]);
    }

    [Fact]
    public async Task Authorize_PromptLogin_AsksForThePasswordAgainOnce()
    {
        var (client, user) = (await server.AddClientAsync(ClientType.Web), await server.AddUserAsync());
        using var browser = server.NewBrowser();
        await browser.SignInAsync(user);

        var response = await browser.GetAsync(OAuth.AuthorizeUrl(client, OAuth.Pkce().Challenge, overrides: ("prompt", "login")));
        Assert.StartsWith("/login?", response.Location, StringComparison.Ordinal);
        var login = await browser.GetAsync(response.Location!);
        var signedIn = await browser.SubmitLoginAsync(login, user.Username, user.Password);
        Assert.Equal(303, signedIn.Status);
        Assert.DoesNotContain("prompt=", signedIn.Location, StringComparison.Ordinal);
        var final = await browser.GetAsync(signedIn.Location!);
        Assert.True(final.Query().ContainsKey("code"));
    }

    [Fact]
    public async Task Authorize_ThirdPartyClient_AsksConsentAndDenyReturnsAccessDenied()
    {
        var (client, user) = (await server.AddClientAsync(ClientType.Web, firstParty: false), await server.AddUserAsync());
        using var browser = server.NewBrowser();
        await browser.SignInAsync(user);

        var consent = await browser.GetAsync(OAuth.AuthorizeUrl(client, OAuth.Pkce().Challenge));
        Assert.Equal(200, consent.Status);
        Assert.Contains(client.Id, consent.Body, StringComparison.Ordinal);
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = consent.Hidden("__RequestVerificationToken")!,
            ["request"] = consent.Hidden("request")!,
        };

        var denied = await browser.PostFormAsync("/connect/authorize", fields.Append(new("decision", "deny")));
        Assert.Equal("access_denied", denied.Query()["error"]);

        var allowed = await browser.PostFormAsync("/connect/authorize", fields.Append(new("decision", "allow")));
        Assert.Equal(302, allowed.Status);
        Assert.True(allowed.Query().ContainsKey("code"));

        var forged = await browser.PostFormAsync("/connect/authorize", [new("request", fields["request"]), new("decision", "allow")]);
        Assert.Equal(400, forged.Status);
    }

    [Fact]
    public async Task Authorize_FirstPartyClient_SkipsConsent()
    {
        var (client, user) = (await server.AddClientAsync(ClientType.Native, firstParty: true), await server.AddUserAsync());
        using var browser = server.NewBrowser();
        await browser.SignInAsync(user);
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(client, OAuth.Pkce().Challenge));
        Assert.Equal(302, response.Status);
        Assert.True(response.Query().ContainsKey("code"));
    }

    [Fact]
    public async Task Discovery_AdvertisesTheCodeFlow()
    {
        using var document = System.Text.Json.JsonDocument.Parse(await server.Server.Http.GetStringAsync("/.well-known/openid-configuration"));
        var metadata = document.RootElement;
        Assert.Equal(server.Issuer + "/connect/authorize", metadata.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(server.Issuer + "/connect/logout", metadata.GetProperty("end_session_endpoint").GetString());
        Assert.Equal(["code"], metadata.GetProperty("response_types_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["S256"], metadata.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("refresh_token", metadata.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("none", metadata.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(e => e.GetString()));
    }
}
