using Tessera.Storage.Sqlite.Users;

namespace Tessera.Storage.Sqlite.Tests.Users;

public sealed class SqliteUserStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-05-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly TempDatabase _temp = new();
    private readonly SqliteUserStore _store;

    public SqliteUserStoreTests() => _store = new SqliteUserStore(SqliteDatabase.Open(_temp.Path));

    public void Dispose() => _temp.Dispose();

    private static UserAccount User(string name, string? tenant = null) => new()
    {
        UserId = SqliteUserStore.NewUserId(),
        Username = name,
        Tenant = tenant,
        PasswordHash = UserPasswords.Hash("correct horse battery"),
        CreatedAt = Now,
    };

    [Fact]
    public async Task Add_ThenFind_ByNameInAnyCaseAndById()
    {
        var alice = User("Alice", "acme");
        Assert.True(await _store.AddAsync(alice));

        var byName = await _store.FindByUsernameAsync("alice");
        Assert.Equal(alice.UserId, byName!.UserId);
        Assert.Equal("Alice", byName.Username);
        Assert.Equal("acme", byName.Tenant);
        Assert.Equal(Now, byName.PasswordChangedAt);
        Assert.Equal(alice.UserId, (await _store.FindByIdAsync(alice.UserId))!.UserId);
        Assert.Matches("^usr_[A-Za-z0-9_-]{22}$", alice.UserId);
    }

    [Fact]
    public async Task Add_SameNameInOtherCase_Refused()
    {
        Assert.True(await _store.AddAsync(User("bob")));
        Assert.False(await _store.AddAsync(User("BOB")));
    }

    [Theory]
    [InlineData("with space")]
    [InlineData("")]
    [InlineData("ümlaut")]
    public async Task Add_BadName_Throws(string name) =>
        await Assert.ThrowsAsync<ArgumentException>(() => _store.AddAsync(User(name)));

    [Fact]
    public async Task FailedSignIns_LockAtTheLimitAndStartAgainAfterTheLockout()
    {
        var user = User("carol");
        await _store.AddAsync(user);
        var lockout = TimeSpan.FromMinutes(15);
        for (var i = 1; i < 3; i++)
        {
            var state = await _store.RecordFailedSignInAsync(user.UserId, Now, 3, lockout);
            Assert.Equal(i, state!.FailedSignIns);
            Assert.False(state.IsLockedAt(Now));
        }

        var locked = await _store.RecordFailedSignInAsync(user.UserId, Now, 3, lockout);
        Assert.True(locked!.IsLockedAt(Now));
        Assert.Equal(Now + lockout, locked.LockedUntil);
        var stillLocked = await _store.RecordFailedSignInAsync(user.UserId, Now + TimeSpan.FromMinutes(1), 3, lockout);
        Assert.Equal(Now + lockout, stillLocked!.LockedUntil);

        var afterwards = await _store.RecordFailedSignInAsync(user.UserId, Now + lockout + TimeSpan.FromSeconds(1), 3, lockout);
        Assert.Equal(1, afterwards!.FailedSignIns);
        Assert.Null(afterwards.LockedUntil);
    }

    [Fact]
    public async Task ParallelFailures_AllCount()
    {
        var user = User("dave");
        await _store.AddAsync(user);
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => _store.RecordFailedSignInAsync(user.UserId, Now, 100, TimeSpan.FromMinutes(1)))));
        Assert.Equal(20, (await _store.FindByIdAsync(user.UserId))!.FailedSignIns);
    }

    [Fact]
    public async Task SignIn_ClearsFailuresAndStoresAnUpgradedHash()
    {
        var user = User("erin");
        await _store.AddAsync(user);
        await _store.RecordFailedSignInAsync(user.UserId, Now, 5, TimeSpan.FromMinutes(1));
        var upgraded = UserPasswords.Hash("correct horse battery");
        await _store.RecordSignInAsync(user.UserId, Now, upgraded);
        var after = await _store.FindByIdAsync(user.UserId);
        Assert.Equal(0, after!.FailedSignIns);
        Assert.Equal(upgraded, after.PasswordHash);
    }

    [Fact]
    public async Task SetPassword_ReplacesTheHashAndLiftsTheLockout()
    {
        var user = User("frank");
        await _store.AddAsync(user);
        await _store.RecordFailedSignInAsync(user.UserId, Now, 1, TimeSpan.FromHours(1));
        var updated = await _store.SetPasswordHashAsync("FRANK", UserPasswords.Hash("a new pass phrase"), Now + TimeSpan.FromMinutes(1));
        Assert.Null(updated!.LockedUntil);
        Assert.Equal(PasswordCheck.Succeeded, UserPasswords.Verify(updated.PasswordHash, "a new pass phrase"));
        Assert.Equal(PasswordCheck.Failed, UserPasswords.Verify(updated.PasswordHash, "correct horse battery"));
        Assert.Null(await _store.SetPasswordHashAsync("nobody", "x", Now));
    }

    [Fact]
    public async Task Remove_ReturnsTheAccountOnce()
    {
        var user = User("gina");
        await _store.AddAsync(user);
        Assert.Equal(user.UserId, (await _store.RemoveAsync("gina"))!.UserId);
        Assert.Null(await _store.RemoveAsync("gina"));
        Assert.Empty(await _store.ListAsync());
    }

    [Fact]
    public void Passwords_SlowHashOnlyAndRulesSayTheFix()
    {
        var hash = UserPasswords.Hash("correct horse battery");
        Assert.DoesNotContain("correct", hash, StringComparison.Ordinal);
        Assert.NotEqual(hash, UserPasswords.Hash("correct horse battery")); // salted
        Assert.Equal(PasswordCheck.Succeeded, UserPasswords.Verify(hash, "correct horse battery"));
        Assert.Equal(PasswordCheck.Failed, UserPasswords.Verify(hash, "Correct horse battery"));
        Assert.Equal(PasswordCheck.Failed, UserPasswords.Verify(null, "correct horse battery"));
        Assert.Contains("at least 8", UserPasswords.Problem("short"), StringComparison.Ordinal);
        Assert.Contains("control", UserPasswords.Problem("line\nbreak password"), StringComparison.Ordinal);
        Assert.Null(UserPasswords.Problem("a fine pass phrase"));
        Assert.Throws<ArgumentException>(() => UserPasswords.Hash("short"));
    }
}
