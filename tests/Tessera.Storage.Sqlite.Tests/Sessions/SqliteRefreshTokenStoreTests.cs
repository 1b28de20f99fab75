using Tessera.Revocation;
using Tessera.Storage.Sqlite.Sessions;
using static Tessera.Storage.Sqlite.Tests.Sessions.SessionStoreKit;

namespace Tessera.Storage.Sqlite.Tests.Sessions;

/// <summary>Rotation, the grace rule, reuse detection and lifetimes, at exact instants.</summary>
public sealed class SqliteRefreshTokenStoreTests : IDisposable
{
    private readonly SessionStoreKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [Fact]
    public async Task Rotate_CurrentToken_SpentAndSuccessorStored()
    {
        await _kit.FamilyAsync();
        var rotated = await _kit.RotateAsync("code-t0", "t1", Now.AddMinutes(1));
        Assert.Equal(RefreshRotationStatus.Rotated, rotated.Status);
        Assert.Equal(1, rotated.Family!.Generation);
        Assert.Equal(RefreshRotationStatus.Rotated, (await _kit.RotateAsync("t1", "t2", Now.AddMinutes(2))).Status);
    }

    [Fact]
    public async Task Retry_ImmediatePredecessorWithinGrace_SameSuccessorAndNothingChanges()
    {
        await _kit.FamilyAsync();
        var at = Now.AddMinutes(1);
        await _kit.RotateAsync("code-t0", "t1", at);

        var retried = await _kit.RotateAsync("code-t0", "t1", at + Grace - TimeSpan.FromMilliseconds(1));

        Assert.Equal(RefreshRotationStatus.Retried, retried.Status);
        Assert.Equal(RefreshRotationStatus.Rotated, (await _kit.RotateAsync("t1", "t2", at + Grace)).Status);
    }

    [Fact]
    public async Task Retry_AfterTheGraceWindow_IsReuseAndRevokesTheFamily()
    {
        var family = await _kit.FamilyAsync();
        var at = Now.AddMinutes(1);
        await _kit.RotateAsync("code-t0", "t1", at);
        await _kit.Refresh.AttachTokensAsync(family.Id, [new DeniedToken("jti-live", at.AddMinutes(5), "usr_1"), new DeniedToken("jti-old", at.AddSeconds(-1), "usr_1")], at);

        var reused = await _kit.RotateAsync("code-t0", "t1", at + Grace);

        Assert.Equal(RefreshRotationStatus.Reused, reused.Status);
        Assert.Equal("jti-live", Assert.Single(reused.TokensToDeny).TokenId);
        Assert.Equal(RefreshRotationStatus.Refused, (await _kit.RotateAsync("t1", "t2", at.AddMinutes(1))).Status);
        Assert.Equal("refresh_reused", (await _kit.Refresh.FindFamilyAsync(family.Id))!.RevokeReason);
        Assert.False(await _kit.Refresh.AttachTokensAsync(family.Id, [new DeniedToken("late", at.AddMinutes(5), "usr_1")], at));
    }

    [Fact]
    public async Task Retry_WithAWrongSuccessor_IsReuse()
    {
        await _kit.FamilyAsync();
        await _kit.RotateAsync("code-t0", "t1", Now.AddMinutes(1));
        Assert.Equal(RefreshRotationStatus.Reused, (await _kit.RotateAsync("code-t0", "not-t1", Now.AddMinutes(1))).Status);
    }

    [Fact]
    public async Task ZeroGrace_EveryRepeatIsReuse()
    {
        await _kit.FamilyAsync();
        var at = Now.AddMinutes(1);
        await _kit.RotateAsync("code-t0", "t1", at, TimeSpan.Zero);
        Assert.Equal(RefreshRotationStatus.Reused, (await _kit.RotateAsync("code-t0", "t1", at, TimeSpan.Zero)).Status);
    }

    [Fact]
    public async Task Lifetimes_IdleAndAbsoluteEndTheFamily()
    {
        await _kit.FamilyAsync("a");
        Assert.Equal(RefreshRotationStatus.Refused, (await _kit.RotateAsync("a-t0", "a-t1", Now + Idle + TimeSpan.FromSeconds(1))).Status);

        await _kit.FamilyAsync("b");
        for (var day = 0; day < 30; day += 6)
        {
            var result = await _kit.RotateAsync(day == 0 ? "b-t0" : $"b-{day}", $"b-{day + 6}", Now.AddDays(day + 6));
            Assert.Equal(day + 6 < 30 ? RefreshRotationStatus.Rotated : RefreshRotationStatus.Refused, result.Status);
        }
    }

    [Fact]
    public async Task OtherClient_RefusedAndTheFamilyLives()
    {
        await _kit.FamilyAsync();
        Assert.Equal(RefreshRotationStatus.Refused, (await _kit.RotateAsync("code-t0", "t1", Now.AddMinutes(1), client: "other")).Status);
        Assert.Equal(RefreshRotationStatus.Rotated, (await _kit.RotateAsync("code-t0", "t1", Now.AddMinutes(1))).Status);
    }

    [Fact]
    public async Task CutOff_RevokesTheFamily()
    {
        var family = await _kit.FamilyAsync();
        var cut = await _kit.RotateAsync("code-t0", "t1", Now.AddMinutes(1), cutOff: f => f.CreatedAt < Now.AddMinutes(1));
        Assert.Equal(RefreshRotationStatus.CutOff, cut.Status);
        Assert.Equal("revoked_before", (await _kit.Refresh.FindFamilyAsync(family.Id))!.RevokeReason);
    }

    [Fact]
    public async Task Parallel_OneRotatesTheRestRetry()
    {
        await _kit.FamilyAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Task.Run(() => _kit.RotateAsync("code-t0", "t1", Now.AddMinutes(1)))));
        Assert.Single(results, r => r.Status == RefreshRotationStatus.Rotated);
        Assert.All(results.Where(r => r.Status != RefreshRotationStatus.Rotated), r => Assert.Equal(RefreshRotationStatus.Retried, r.Status));
    }

    [Fact]
    public async Task UnknownToken_Refused() =>
        Assert.Equal(RefreshRotationStatus.Refused, (await _kit.RotateAsync("never-issued", "x", Now)).Status);
}
