using Tessera.Storage.Sqlite.Sessions;
using static Tessera.Storage.Sqlite.Tests.Sessions.SessionStoreKit;

namespace Tessera.Storage.Sqlite.Tests.Sessions;

/// <summary>Sessions by cookie hash, sign-out with its families, and triggers enforced once on what began before them.</summary>
public sealed class SqliteSignInSessionStoreTests : IDisposable
{
    private readonly SessionStoreKit _kit = new();

    public void Dispose() => _kit.Dispose();

    private Task AddSessionAsync(string id, string user = "usr_1", string? tenant = null, DateTimeOffset? at = null) =>
        _kit.Sessions.AddAsync(new SignInSession(id, user, tenant, at ?? Now, (at ?? Now).AddHours(8)), Hash("cookie-" + id));

    [Fact]
    public async Task FindActive_ByCookieHashUntilItExpires()
    {
        await AddSessionAsync("sid_1");
        Assert.Equal("usr_1", (await _kit.Sessions.FindActiveAsync(Hash("cookie-sid_1"), Now.AddHours(1)))!.UserId);
        Assert.Null(await _kit.Sessions.FindActiveAsync(Hash("cookie-sid_1"), Now.AddHours(8)));
        Assert.Null(await _kit.Sessions.FindActiveAsync(Hash("cookie-other"), Now));
    }

    [Fact]
    public async Task End_SignOutRevokesItsFamiliesOnly()
    {
        await AddSessionAsync("sid_1");
        await _kit.FamilyAsync("a", session: "sid_1");
        await _kit.FamilyAsync("b", session: "sid_2");

        Assert.Equal(1, await _kit.Sessions.EndAsync("sid_1", "logout", Now.AddMinutes(1)));
        Assert.Equal(-1, await _kit.Sessions.EndAsync("sid_1", "logout", Now.AddMinutes(2)));
        Assert.Equal("logout", (await _kit.Refresh.FindFamilyAsync("fam_a"))!.RevokeReason);
        Assert.Null((await _kit.Refresh.FindFamilyAsync("fam_b"))!.RevokedAt);
    }

    [Fact]
    public async Task End_Replaced_KeepsTheFamilies()
    {
        await AddSessionAsync("sid_1");
        await _kit.FamilyAsync("a", session: "sid_1");
        Assert.Equal(0, await _kit.Sessions.EndAsync("sid_1", "replaced", Now.AddMinutes(1), revokeFamilies: false));
        Assert.Null((await _kit.Refresh.FindFamilyAsync("fam_a"))!.RevokedAt);
    }

    [Fact]
    public async Task EnforceTrigger_OnlyWhatBeganBeforeItAndOnlyOnce()
    {
        await AddSessionAsync("sid_before", at: Now);
        await AddSessionAsync("sid_after", at: Now.AddMinutes(10));
        await _kit.FamilyAsync("before", at: Now.AddMinutes(1));
        await _kit.FamilyAsync("after", at: Now.AddMinutes(11));
        await _kit.FamilyAsync("other", at: Now.AddMinutes(1), user: "usr_2");

        var counts = await _kit.Sessions.EnforceTriggerAsync("trg_1", "password_reset", false, "usr_1", Now.AddMinutes(5), true, true, Now.AddMinutes(20));

        Assert.Equal((1, 1), counts);
        Assert.Null(await _kit.Sessions.EnforceTriggerAsync("trg_1", "password_reset", false, "usr_1", Now.AddMinutes(5), true, true, Now.AddMinutes(21)));
        Assert.Contains("trg_1", await _kit.Sessions.EnforcedTriggersAsync(["trg_1", "trg_2"]));
        Assert.Null(await _kit.Sessions.FindActiveByIdAsync("sid_before", Now.AddMinutes(20)));
        Assert.NotNull(await _kit.Sessions.FindActiveByIdAsync("sid_after", Now.AddMinutes(20)));
        Assert.Equal("password_reset", (await _kit.Refresh.FindFamilyAsync("fam_before"))!.RevokeReason);
        Assert.Null((await _kit.Refresh.FindFamilyAsync("fam_after"))!.RevokedAt);
        Assert.Null((await _kit.Refresh.FindFamilyAsync("fam_other"))!.RevokedAt);
    }

    [Fact]
    public async Task EnforceTrigger_FamiliesOnly_KeepsTheSession()
    {
        await AddSessionAsync("sid_1", tenant: "acme");
        await _kit.FamilyAsync("a", tenant: "acme");
        Assert.Equal((1, 0), await _kit.Sessions.EnforceTriggerAsync("trg_role", "role_change", true, "acme", Now.AddMinutes(5), true, false, Now.AddMinutes(6)));
        Assert.NotNull(await _kit.Sessions.FindActiveByIdAsync("sid_1", Now.AddMinutes(6)));
    }

    [Fact]
    public async Task EndForUser_EndsEverything()
    {
        await AddSessionAsync("sid_1");
        await AddSessionAsync("sid_2");
        await _kit.FamilyAsync("a");
        Assert.Equal((2, 1), await _kit.Sessions.EndForUserAsync("usr_1", "user_removed", Now.AddMinutes(1)));
    }
}
