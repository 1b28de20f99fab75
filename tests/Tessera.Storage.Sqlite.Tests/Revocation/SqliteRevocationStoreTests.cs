using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Tessera.Revocation;
using Tessera.Storage.Sqlite.Revocation;

namespace Tessera.Storage.Sqlite.Tests.Revocation;

public sealed class SqliteRevocationStoreTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _time = new(Start);

    public void Dispose() => _temp.Dispose();

    /// <summary>What a new process does: open the file and build a store.</summary>
    private SqliteRevocationStore NewProcess() => new(SqliteDatabase.Open(_temp.Path), _time);

    [Fact]
    public void Open_NewFile_AppliesRevocationMigration() =>
        Assert.Equal(1, SqliteDatabase.Open(_temp.Path).SchemaVersions["revocation"]);

    [Fact]
    public async Task FindOutstanding_BySubjectTenantClient_OnlyUnexpiredLongestLivedFirst()
    {
        var store = NewProcess();
        await store.RecordIssuedAsync(
        [
            Issued("a", "alice", "acme", "app", TimeSpan.FromMinutes(5)),
            Issued("b", "alice", null, "app", TimeSpan.FromMinutes(10)),
            Issued("c", "bob", "acme", "other", TimeSpan.FromMinutes(5)),
            Issued("d", "alice", "acme", "app", TimeSpan.FromSeconds(30)),
        ]);
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(["b", "a"], Ids(await store.FindOutstandingAsync(RevocationScope.Subject, "alice", 10)));
        Assert.Equal(["b"], Ids(await store.FindOutstandingAsync(RevocationScope.Subject, "alice", 1)));
        Assert.Equal(["a", "c"], Ids(await store.FindOutstandingAsync(RevocationScope.Tenant, "acme", 10)).Order());
        Assert.Equal(["c"], Ids(await store.FindOutstandingAsync(RevocationScope.Client, "other", 10)));
        Assert.Empty(await store.FindOutstandingAsync(RevocationScope.Subject, "carol", 10));
    }

    [Fact]
    public async Task RecordIssued_ExpiredRecords_PurgedByLaterBatches()
    {
        var store = NewProcess();
        await store.RecordIssuedAsync([Issued("old", "alice", null, "app", TimeSpan.FromMinutes(1))]);
        _time.Advance(TimeSpan.FromMinutes(2));
        await store.RecordIssuedAsync([Issued("new", "alice", null, "app", TimeSpan.FromMinutes(5)), Issued("new", "alice", null, "app", TimeSpan.FromMinutes(5))]);

        Assert.Equal(1L, Scalar("SELECT count(*) FROM issued_tokens;"));
    }

    [Fact]
    public async Task ApplyThenLoad_CutoffsOnlyMoveForward_DeniedUntilExpiry()
    {
        var store = NewProcess();
        await store.ApplyAsync(Change("t1", [new(RevocationScope.Subject, "alice", Start.AddMinutes(2))], [new("j1", Start.AddMinutes(5), "alice"), new("j2", Start.AddMinutes(1), "bob")]));
        await store.ApplyAsync(Change("t2", [new(RevocationScope.Subject, "alice", Start.AddMinutes(1)), new(RevocationScope.Tenant, "acme", Start)], []));
        _time.Advance(TimeSpan.FromMinutes(2));

        var snapshot = await NewProcess().LoadAsync();

        Assert.Equal(
            [(RevocationScope.Tenant, "acme", Start), (RevocationScope.Subject, "alice", Start.AddMinutes(2))],
            snapshot.Cutoffs.Select(c => (c.Scope, c.Value, c.RevokedBefore)).OrderBy(c => c.Value));
        var denied = Assert.Single(snapshot.DeniedTokens);
        Assert.Equal(("j1", "alice"), (denied.TokenId, denied.Subject));
        Assert.Equal(1L, Scalar("SELECT count(*) FROM revoked_tokens;"));
    }

    [Fact]
    public async Task Apply_FailsPartWay_StoresNothing()
    {
        var store = NewProcess();
        await store.ApplyAsync(Change("t1", [], [], "e1"));

        // The same SET jti again fails on the feed insert, after the trigger, cut-off and denial were written.
        await Assert.ThrowsAsync<SqliteException>(() => store.ApplyAsync(Change("t2", [new(RevocationScope.Subject, "mallory", Start)], [new("j9", Start.AddMinutes(5), "mallory")], "e1")));

        var snapshot = await store.LoadAsync();
        Assert.Empty(snapshot.Cutoffs);
        Assert.Empty(snapshot.DeniedTokens);
        Assert.Equal(["t1"], (await store.ListTriggersAsync(10)).Select(t => t.Id));
    }

    [Fact]
    public async Task ListTriggers_NewestFirstWithEveryField()
    {
        var store = NewProcess();
        await store.ApplyAsync(Change("t1", [], []));
        _time.Advance(TimeSpan.FromSeconds(1));
        await store.ApplyAsync(Change("t2", [], []) with { Trigger = Trigger("t2") with { Tenant = "acme", Subject = null, Reason = "offboarded" } });

        var triggers = await store.ListTriggersAsync(10);

        Assert.Equal(["t2", "t1"], triggers.Select(t => t.Id));
        Assert.Equal(Trigger("t2") with { Tenant = "acme", Subject = null, Reason = "offboarded" }, triggers[0]);
        Assert.Single(await store.ListTriggersAsync(1));
    }

    [Fact]
    public async Task PollFeed_AcknowledgedNeverAgain_UnacknowledgedAgain_AcrossProcesses()
    {
        var store = NewProcess();
        await store.ApplyAsync(Change("t0", [], [], "before"));
        _time.Advance(TimeSpan.FromSeconds(1));
        var registered = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(1));
        await store.ApplyAsync(Change("t1", [], [], "e1", "e2", "e3"));

        Assert.Equal(["e1", "e2"], Ids(await store.PollFeedAsync("rs", registered, [], 2)));
        Assert.True((await store.PollFeedAsync("rs", registered, [], 2)).MoreAvailable);

        // Out of order: e2 acknowledged before e1. e1 is still due; e2 never comes back.
        Assert.Equal(["e1", "e3"], Ids(await store.PollFeedAsync("rs", registered, ["e2", "unknown", "before"], 10)));
        var later = NewProcess();
        Assert.Equal(["e1", "e3"], Ids(await later.PollFeedAsync("rs", registered, [], 10)));
        var done = await later.PollFeedAsync("rs", registered, ["e1", "e3"], 10);
        Assert.Empty(done.Events);
        Assert.False(done.MoreAvailable);

        await later.ApplyAsync(Change("t2", [], [], "e4"));
        Assert.Equal(["e4"], Ids(await later.PollFeedAsync("rs", registered, [], 10)));
        Assert.Equal(["e1", "e2", "e3", "e4"], Ids(await later.PollFeedAsync("other", registered, [], 10)));
        Assert.Equal(["before", "e1", "e2", "e3", "e4"], Ids(await later.PollFeedAsync("veteran", Start.AddDays(-1), [], 10)));
    }

    [Fact]
    public async Task PollFeed_MaxEventsZero_OnlyAcknowledges()
    {
        var store = NewProcess();
        await store.ApplyAsync(Change("t1", [], [], "e1", "e2"));
        var batch = await store.PollFeedAsync("rs", Start.AddDays(-1), ["e1"], 0);
        Assert.Empty(batch.Events);
        Assert.True(batch.MoreAvailable);
        Assert.Equal(["e2"], Ids(await store.PollFeedAsync("rs", Start.AddDays(-1), [], 10)));
    }

    private IssuedTokenRecord Issued(string jti, string? subject, string? tenant, string client, TimeSpan lifetime) =>
        new(jti, "access", subject, tenant, client, _time.GetUtcNow() + lifetime);

    private RevocationTrigger Trigger(string id) =>
        new(id, "password_reset", "alice", null, "admin@127.0.0.1", null, _time.GetUtcNow(), "[]");

    private RevocationChange Change(string id, IReadOnlyList<RevocationCutoff> cutoffs, IReadOnlyList<DeniedToken> denied, params string[] events) =>
        new(Trigger(id), cutoffs, denied, [.. events.Select(e => new SecurityEventRecord(e, "set-" + e))]);

    private static IEnumerable<string> Ids(IEnumerable<IssuedTokenRecord> tokens) => tokens.Select(t => t.TokenId);

    private static IEnumerable<string> Ids(FeedBatch batch) => batch.Events.Select(e => e.TokenId);

    private long Scalar(string sql)
    {
        using var connection = SqliteDatabase.Open(_temp.Path).OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
