using Microsoft.Extensions.Time.Testing;
using Tessera.AspNetCore.Revocation;

namespace Tessera.AspNetCore.Tests.Revocation;

public sealed class RevocationFeedStateTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void NeverSynced_NotFresh()
    {
        var state = new RevocationFeedState(_time, TimeSpan.FromSeconds(30));

        Assert.False(state.IsFresh());
        Assert.Null(state.Staleness);
        Assert.Null(state.SyncedAt);
    }

    [Fact]
    public void Synced_FreshUntilTheBound()
    {
        var state = new RevocationFeedState(_time, TimeSpan.FromSeconds(30));
        state.Synced(_time.GetUtcNow());

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(state.IsFresh());
        Assert.False(state.IsFresh(TimeSpan.FromSeconds(10)));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(state.IsFresh());
    }

    [Fact]
    public void Synced_OnlyMovesForward()
    {
        var state = new RevocationFeedState(_time, TimeSpan.FromSeconds(30));
        var now = _time.GetUtcNow();
        state.Synced(now);
        state.Synced(now.AddSeconds(-20));

        Assert.Equal(now, state.SyncedAt);
    }
}
