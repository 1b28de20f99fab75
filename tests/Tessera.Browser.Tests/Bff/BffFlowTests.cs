using System.Net;
using System.Text.Json;
using Tessera.Browser.Tests.Support;

namespace Tessera.Browser.Tests.Bff;

/// <summary>The BFF against the real token service and sample API over HTTP, without a browser.</summary>
public sealed class BffFlowTests(BffEnvironment environment) : IClassFixture<BffEnvironment>
{
    [Fact]
    public async Task SignIn_ThroughTokenService_SetsOnlyTheHostSessionCookie()
    {
        using var browser = new BrowserlessClient();
        using var page = await browser.SignInAsync(environment.BffAddress, BffEnvironment.Username, environment.Password);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var session = Assert.Single(browser.SetCookieHeaders, h => h.StartsWith("__Host-tessera-bff=", StringComparison.Ordinal));
        Assert.Contains("secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", session, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", session, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("__Host-tessera-bff-login", browser.Cookies.Keys);
        Assert.DoesNotContain(browser.Cookies.Values, v => v.StartsWith("eyJ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task User_AfterSignIn_ReturnsIdTokenClaimsAndNoToken()
    {
        using var browser = new BrowserlessClient();
        (await browser.SignInAsync(environment.BffAddress, BffEnvironment.Username, environment.Password)).Dispose();

        using var response = await browser.GetAsync(environment.BffAddress + "/bff/user", antiCsrf: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        using var claims = JsonDocument.Parse(body);
        Assert.StartsWith("usr_", claims.RootElement.GetProperty("sub").GetString(), StringComparison.Ordinal);
        Assert.Equal(environment.Issuer, claims.RootElement.GetProperty("iss").GetString());
        Assert.False(claims.RootElement.TryGetProperty("nonce", out _));
        Assert.DoesNotContain("eyJ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_WithHeader_ForwardsWithAccessTokenAndRefreshesServerSide()
    {
        using var browser = new BrowserlessClient();
        (await browser.SignInAsync(environment.BffAddress, BffEnvironment.Username, environment.Password)).Dispose();

        // Every call refreshes (tokens live 2 min, the BFF refreshes 5 min ahead); parallel calls must not spend one
        // refresh token twice, or the token service would see reuse and revoke the family.
        var calls = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => browser.GetAsync(environment.BffAddress + "/bff/api/orders", antiCsrf: true)));
        using var again = await browser.GetAsync(environment.BffAddress + "/bff/api/orders", antiCsrf: true);

        Assert.All(calls, c => Assert.Equal(HttpStatusCode.OK, c.StatusCode));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("ord-1001", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(LogCapture.Instance.Lines, l => l.Contains("[2407]", StringComparison.Ordinal));
        foreach (var call in calls)
        {
            call.Dispose();
        }
    }

    [Theory]
    [InlineData("GET", "/bff/api/orders")]
    [InlineData("GET", "/bff/user")]
    [InlineData("POST", "/bff/logout")]
    [InlineData("POST", "/bff/api/orders")]
    public async Task ProtectedRoute_WithoutAntiCsrfHeader_Is403(string method, string path)
    {
        using var browser = new BrowserlessClient();
        (await browser.SignInAsync(environment.BffAddress, BffEnvironment.Username, environment.Password)).Dispose();

        using var response = await browser.SendAsync(new HttpMethod(method), new Uri(environment.BffAddress + path));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var still = await browser.GetAsync(environment.BffAddress + "/bff/user", antiCsrf: true);
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task Logout_EndsSessionAndClearsCookie()
    {
        using var browser = new BrowserlessClient();
        (await browser.SignInAsync(environment.BffAddress, BffEnvironment.Username, environment.Password)).Dispose();
        var cookie = browser.Cookies["__Host-tessera-bff"];

        using var logout = await browser.SendAsync(HttpMethod.Post, new Uri(environment.BffAddress + "/bff/logout"), antiCsrf: true);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.DoesNotContain("__Host-tessera-bff", browser.Cookies.Keys);
        browser.Cookies["__Host-tessera-bff"] = cookie; // a stolen copy of the cookie is worth nothing now
        using var user = await browser.GetAsync(environment.BffAddress + "/bff/user", antiCsrf: true);
        using var api = await browser.GetAsync(environment.BffAddress + "/bff/api/orders", antiCsrf: true);
        Assert.Equal(HttpStatusCode.Unauthorized, user.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task Callback_WithoutLoginStartedInThisBrowser_IsRefused()
    {
        using var attacker = new BrowserlessClient();
        using var start = await attacker.GetAsync(environment.BffAddress + "/bff/login");
        var location = start.Headers.Location!.ToString();
        var state = Uri.UnescapeDataString(location.Split("state=")[1].Split('&')[0]);

        using var victim = new BrowserlessClient();
        using var callback = await victim.GetAsync($"{environment.BffAddress}/bff/callback?code=abc&state={Uri.EscapeDataString(state)}&iss={Uri.EscapeDataString(environment.Issuer)}");

        Assert.Equal(HttpStatusCode.BadRequest, callback.StatusCode);
        Assert.DoesNotContain("__Host-tessera-bff", victim.Cookies.Keys);
    }

    [Fact]
    public async Task Login_RedirectsWithPkceS256StateNonceAndResource()
    {
        using var browser = new BrowserlessClient();
        using var start = await browser.GetAsync(environment.BffAddress + "/bff/login?returnUrl=//evil.example");

        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var location = start.Headers.Location!.ToString();
        Assert.StartsWith(environment.Issuer + "/connect/authorize?", location, StringComparison.Ordinal);
        foreach (var part in new[] { "code_challenge_method=S256", "code_challenge=", "state=", "nonce=", "response_type=code", "resource=api%3A%2F%2Fsample" })
        {
            Assert.Contains(part, location, StringComparison.Ordinal);
        }

        var login = Assert.Single(browser.SetCookieHeaders, h => h.StartsWith("__Host-tessera-bff-login=", StringComparison.Ordinal));
        Assert.Contains("samesite=lax", login, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", login, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Logs_NeverCarryTokensOrCookies()
    {
        using var browser = new BrowserlessClient();
        (await browser.SignInAsync(environment.BffAddress, BffEnvironment.Username, environment.Password)).Dispose();
        (await browser.GetAsync(environment.BffAddress + "/bff/api/orders", antiCsrf: true)).Dispose();
        var cookie = browser.Cookies["__Host-tessera-bff"];

        Assert.DoesNotContain(LogCapture.Instance.Lines, l => l.Contains(cookie, StringComparison.Ordinal));
        Assert.DoesNotContain(LogCapture.Instance.Lines, l => l.Contains("eyJ", StringComparison.Ordinal));
    }
}
