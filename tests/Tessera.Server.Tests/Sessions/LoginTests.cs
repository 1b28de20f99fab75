using Microsoft.Extensions.DependencyInjection;
using Tessera.Storage.Sqlite.Users;

namespace Tessera.Server.Tests.Sessions;

/// <summary>The sign-in page: accessible markup, antiforgery, one answer for every failure, lockout, safe return addresses, the session cookie.</summary>
public sealed class LoginTests(SessionServer server) : IClassFixture<SessionServer>
{
    [Fact]
    public async Task LoginPage_IsAccessibleAndLockedDown()
    {
        using var browser = server.NewBrowser();
        var page = await browser.GetAsync("/login");

        Assert.Equal(200, page.Status);
        Assert.Contains("<html lang=\"en\">", page.Body, StringComparison.Ordinal);
        Assert.Contains("<main>", page.Body, StringComparison.Ordinal);
        Assert.Contains("<label for=\"username\">", page.Body, StringComparison.Ordinal);
        Assert.Contains("id=\"username\" name=\"username\" type=\"text\"", page.Body, StringComparison.Ordinal);
        Assert.Contains("autocomplete=\"current-password\"", page.Body, StringComparison.Ordinal);
        Assert.NotNull(page.Hidden("__RequestVerificationToken"));
        Assert.DoesNotContain("<script", page.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("frame-ancestors 'none'", page.Headers["Content-Security-Policy"], StringComparison.Ordinal);
        Assert.Equal("DENY", page.Headers["X-Frame-Options"]);
        Assert.Equal("no-store", page.Headers["Cache-Control"]);
    }

    [Fact]
    public async Task Login_RightPassword_SetsHttpOnlyLaxSessionCookieAndReturns()
    {
        var user = await server.AddUserAsync();
        using var browser = server.NewBrowser();
        var page = await browser.GetAsync("/login?return=%2Faccount");
        var result = await browser.SubmitLoginAsync(page, user.Username, user.Password);

        Assert.Equal(303, result.Status);
        Assert.Equal("/account", result.Location);
        var cookie = Assert.Single(result.Headers["Set-Cookie"].Split(", "), c => c.StartsWith("tessera-session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires=", cookie, StringComparison.OrdinalIgnoreCase);

        var account = await browser.GetAsync("/account");
        Assert.Contains($"Signed in as {user.Username}", account.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WithoutAntiforgeryToken_Refused()
    {
        var user = await server.AddUserAsync();
        using var browser = server.NewBrowser();
        await browser.GetAsync("/login");
        var result = await browser.PostFormAsync("/login", [new("username", user.Username), new("password", user.Password), new("return", "/account")]);
        Assert.Equal(400, result.Status);
        Assert.DoesNotContain("tessera-session=", result.Headers.GetValueOrDefault("Set-Cookie") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WrongPasswordAndUnknownUser_SameAnswer()
    {
        var user = await server.AddUserAsync();
        using var browser = server.NewBrowser();
        var wrong = await browser.SubmitLoginAsync(await browser.GetAsync("/login"), user.Username, "wrong password!");
        var unknown = await browser.SubmitLoginAsync(await browser.GetAsync("/login"), "nobody-" + Guid.NewGuid().ToString("N")[..8], "wrong password!");

        Assert.Equal(401, wrong.Status);
        Assert.Equal(401, unknown.Status);
        Assert.Contains("role=\"alert\"", wrong.Body, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", wrong.Body, StringComparison.Ordinal);
        string Message(string body) => body[body.IndexOf("role=\"alert\"", StringComparison.Ordinal)..body.IndexOf("</p>", body.IndexOf("role=\"alert\"", StringComparison.Ordinal), StringComparison.Ordinal)];
        Assert.Equal(Message(wrong.Body), Message(unknown.Body));
    }

    [Fact]
    public async Task Login_RepeatedFailures_LockTheAccountEvenForTheRightPassword()
    {
        var user = await server.AddUserAsync();
        using var browser = server.NewBrowser();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(401, (await browser.SubmitLoginAsync(await browser.GetAsync("/login"), user.Username, "wrong password " + i)).Status);
        }

        var locked = await browser.SubmitLoginAsync(await browser.GetAsync("/login"), user.Username, user.Password);
        Assert.Equal(401, locked.Status);
        var account = await server.Server.Services.GetRequiredService<SqliteUserStore>().FindByUsernameAsync(user.Username);
        Assert.True(account!.LockedUntil > DateTimeOffset.UtcNow.AddMinutes(10));
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example")]
    [InlineData("/admin/triggers")]
    public async Task Login_ForeignReturnAddress_ReplacedByTheAccountPage(string target)
    {
        var user = await server.AddUserAsync();
        using var browser = server.NewBrowser();
        var page = await browser.GetAsync("/login?return=" + Uri.EscapeDataString(target));
        Assert.Equal("/account", page.Hidden("return"));
        var result = await browser.PostFormAsync("/login", [
            new("__RequestVerificationToken", page.Hidden("__RequestVerificationToken")!),
            new("return", target),
            new("username", user.Username),
            new("password", user.Password),
        ]);
        Assert.Equal("/account", result.Location);
    }

    [Fact]
    public async Task Root_SendsANewUserToSignIn()
    {
        using var browser = server.NewBrowser();
        var root = await browser.GetAsync("/");
        Assert.Equal("/account", root.Location);
        var account = await browser.GetAsync("/account");
        Assert.Equal("/login?return=%2Faccount", account.Location);
    }

    [Fact]
    public async Task Logout_WithoutHint_AsksToConfirmThenEndsTheSession()
    {
        var user = await server.AddUserAsync();
        using var browser = server.NewBrowser();
        await browser.SignInAsync(user);

        var confirm = await browser.GetAsync("/connect/logout");
        Assert.Equal(200, confirm.Status);
        Assert.Contains($"Signed in as {user.Username}", (await browser.GetAsync("/account")).Body, StringComparison.Ordinal);

        var forged = await browser.PostFormAsync("/connect/logout", []);
        Assert.Equal(400, forged.Status);

        var done = await browser.PostFormAsync("/connect/logout", [new("__RequestVerificationToken", confirm.Hidden("__RequestVerificationToken")!)]);
        Assert.Equal(200, done.Status);
        Assert.Contains("signed out", done.Body, StringComparison.Ordinal);
        Assert.StartsWith("/login", (await browser.GetAsync("/account")).Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_UnregisteredPostLogoutRedirect_Refused()
    {
        var client = await server.AddClientAsync(Tessera.Clients.ClientType.Web);
        using var browser = server.NewBrowser();
        var page = await browser.GetAsync($"/connect/logout?client_id={client.Id}&post_logout_redirect_uri={Uri.EscapeDataString("https://evil.example/")}");
        Assert.Equal(400, page.Status);
        Assert.Null(page.Location);
    }
}

/// <summary>The per-address sign-in throttle, on a server with a low limit.</summary>
public sealed class LoginThrottleTests : IAsyncLifetime
{
    private readonly SessionServer _server = new(new Dictionary<string, string?> { ["Tessera:Sessions:SignInAttemptsPerMinute"] = "3" });

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Login_TooManyAttemptsFromOneAddress_429WithRetryAfter()
    {
        var user = await _server.AddUserAsync();
        using var browser = _server.NewBrowser();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(401, (await browser.SubmitLoginAsync(await browser.GetAsync("/login"), "nobody", "wrong password")).Status);
        }

        var throttled = await browser.SubmitLoginAsync(await browser.GetAsync("/login"), user.Username, user.Password);
        Assert.Equal(429, throttled.Status);
        Assert.Equal("60", throttled.Headers["Retry-After"]);
    }
}
