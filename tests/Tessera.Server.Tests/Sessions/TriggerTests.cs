using Microsoft.Extensions.DependencyInjection;
using Tessera.Clients;
using Tessera.Server.Tests.Revocation;
using Tessera.Storage.Sqlite.Sessions;

namespace Tessera.Server.Tests.Sessions;

/// <summary>
/// Revocation triggers reach sign-in sessions and refresh families (docs/sessions.md): password reset, compromise and
/// termination end the user's sessions and revoke their families; a role change revokes the families and keeps the
/// session (the next sign-in at the app is silent and carries the new roles); tenant removal does it for every user
/// of the tenant. Only what began before the trigger is affected.
/// </summary>
public sealed class TriggerTests(SessionServer server) : IClassFixture<SessionServer>
{
    [Theory]
    [InlineData("password_reset", true)]
    [InlineData("account_compromise", true)]
    [InlineData("termination", true)]
    [InlineData("role_change", false)]
    public async Task SubjectTrigger_RevokesFamiliesAndEndsSessionsAsDocumented(string trigger, bool sessionEnds)
    {
        var kit = new RevocationKit(server.Server);
        var (client, user) = (await server.AddClientAsync(ClientType.Native), await server.AddUserAsync());
        var bystander = await server.AddUserAsync();
        using var browser = server.NewBrowser();
        using var other = server.NewBrowser();
        var refresh = (await OAuth.SignInAndRedeemAsync(server, browser, client, user)).GetProperty("refresh_token").GetString()!;
        var bystanderRefresh = (await OAuth.SignInAndRedeemAsync(server, other, client, bystander)).GetProperty("refresh_token").GetString()!;

        var record = await kit.TriggerAsync(trigger, subject: user.Subject);

        Assert.Equal(400, (await OAuth.RefreshAsync(server, client, refresh)).Status);
        var silent = await browser.GetAsync(OAuth.AuthorizeUrl(client, OAuth.Pkce().Challenge, overrides: ("prompt", "none")));
        Assert.Equal(sessionEnds ? "login_required" : null, silent.Query().GetValueOrDefault("error"));
        Assert.Equal(sessionEnds, !silent.Query().ContainsKey("code"));
        Assert.Equal(200, (await OAuth.RefreshAsync(server, client, bystanderRefresh)).Status);
        var untouched = await other.GetAsync(OAuth.AuthorizeUrl(client, OAuth.Pkce().Challenge, overrides: ("prompt", "none")));
        Assert.True(untouched.Query().ContainsKey("code"));
        await AssertEnforcedAsync(record.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task RoleChange_SessionKept_NewSignInAfterTheTriggerRefreshes()
    {
        var kit = new RevocationKit(server.Server);
        var (client, user) = (await server.AddClientAsync(ClientType.Web), await server.AddUserAsync());
        using var browser = server.NewBrowser();
        var old = (await OAuth.SignInAndRedeemAsync(server, browser, client, user)).GetProperty("refresh_token").GetString()!;

        await kit.TriggerAsync("role_change", subject: user.Subject);
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // cut-offs have one-second resolution; the same second counts as before

        var (verifier, challenge) = OAuth.Pkce();
        var silent = await browser.GetAsync(OAuth.AuthorizeUrl(client, challenge));
        Assert.Equal(302, silent.Status);
        var (status, tokens) = await OAuth.ExchangeAsync(server, client, silent.Query()["code"]!, verifier);
        Assert.Equal(200, status);
        Assert.Equal(200, (await OAuth.RefreshAsync(server, client, tokens.GetProperty("refresh_token").GetString()!)).Status);
        Assert.Equal(400, (await OAuth.RefreshAsync(server, client, old)).Status);
    }

    [Fact]
    public async Task PasswordReset_SignInAgain_Works()
    {
        var kit = new RevocationKit(server.Server);
        var (client, user) = (await server.AddClientAsync(ClientType.Native), await server.AddUserAsync());
        using var browser = server.NewBrowser();
        await OAuth.SignInAndRedeemAsync(server, browser, client, user);

        await kit.TriggerAsync("password_reset", subject: user.Subject);
        await Task.Delay(TimeSpan.FromSeconds(1.1));

        var again = await OAuth.SignInAndRedeemAsync(server, browser, client, user);
        Assert.Equal(200, (await OAuth.RefreshAsync(server, client, again.GetProperty("refresh_token").GetString()!)).Status);
    }

    [Fact]
    public async Task PasswordReset_CodeIssuedBeforeIt_RefusedAtTheTokenEndpoint()
    {
        var kit = new RevocationKit(server.Server);
        var (client, user) = (await server.AddClientAsync(ClientType.Web), await server.AddUserAsync());
        using var browser = server.NewBrowser();
        var (verifier, challenge) = OAuth.Pkce();
        var code = OAuth.QueryOf(await browser.AuthorizeAsync(OAuth.AuthorizeUrl(client, challenge), user))["code"];

        await kit.TriggerAsync("password_reset", subject: user.Subject);

        var (status, body) = await OAuth.ExchangeAsync(server, client, code, verifier);
        Assert.Equal(400, status);
        Assert.Contains("was revoked", body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenantRemoval_EndsEveryUserOfTheTenantAndNoOneElse()
    {
        var kit = new RevocationKit(server.Server);
        var tenant = SessionServer.Unique("tenant");
        var client = await server.AddClientAsync(ClientType.Native);
        var members = new[] { await server.AddUserAsync(tenant), await server.AddUserAsync(tenant) };
        var outsider = await server.AddUserAsync(SessionServer.Unique("tenant"));
        var browsers = new[] { server.NewBrowser(), server.NewBrowser(), server.NewBrowser() };
        var refresh = new List<string>();
        foreach (var (browser, user) in browsers.Zip([.. members, outsider]))
        {
            refresh.Add((await OAuth.SignInAndRedeemAsync(server, browser, client, user)).GetProperty("refresh_token").GetString()!);
        }

        var record = await kit.TriggerAsync("tenant_removal", tenant: tenant);

        for (var i = 0; i < 3; i++)
        {
            var member = i < 2;
            Assert.Equal(member ? 400 : 200, (await OAuth.RefreshAsync(server, client, refresh[i])).Status);
            var silent = await browsers[i].GetAsync(OAuth.AuthorizeUrl(client, OAuth.Pkce().Challenge, overrides: ("prompt", "none")));
            Assert.Equal(member ? "login_required" : null, silent.Query().GetValueOrDefault("error"));
            browsers[i].Dispose();
        }

        await AssertEnforcedAsync(record.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task Enforcer_AppliesATriggerOnceAndWithoutAnyRequest()
    {
        var kit = new RevocationKit(server.Server);
        var user = await server.AddUserAsync();
        var record = await kit.TriggerAsync("termination", subject: user.Subject);
        await AssertEnforcedAsync(record.GetProperty("id").GetString()!);
    }

    /// <summary>The background enforcer records the trigger (it is woken by the feed's signal; give it a moment).</summary>
    private async Task AssertEnforcedAsync(string triggerId)
    {
        var store = server.Server.Services.GetRequiredService<SqliteSignInSessionStore>();
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if ((await store.EnforcedTriggersAsync([triggerId])).Contains(triggerId))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Trigger {triggerId} was not enforced on sessions within 5 s.");
    }
}
