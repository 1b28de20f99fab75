namespace Tessera.AspNetCore.Tests.Jwks;

public sealed class JwksClientCachingTests : JwksClientTestBase
{
    [Fact]
    public async Task GetKeysAsync_FirstCall_FetchesAndReturnsTheSet()
    {
        Server.ServeJson(TestKeys.EcSet("k1", "k2"));
        var client = CreateClient();

        var keys = await client.GetKeysAsync();

        Assert.NotNull(keys);
        Assert.True(keys.TryGet("k1", out _));
        Assert.True(keys.TryGet("k2", out _));
        Assert.Equal(1, Server.Requests());
        var fetch = Assert.Single(Fetches.GetMeasurementSnapshot());
        Assert.Equal("success", fetch.Tags["tessera.result"]);
        Assert.Equal("initial", fetch.Tags["tessera.jwks.trigger"]);
        Assert.Single(LogsWithId(4101));
    }

    [Fact]
    public async Task GetKeysAsync_WithinMaxAge_ServesFromCache()
    {
        Server.ServeJson(TestKeys.EcSet("k1"), "public, max-age=300");
        var client = CreateClient();
        var first = await client.GetKeysAsync();

        Time.Advance(TimeSpan.FromSeconds(200));
        var second = await client.GetKeysAsync();

        Assert.Same(first, second);
        Assert.Equal(1, Server.Requests());
    }

    [Fact]
    public async Task GetKeysAsync_AfterMaxAge_FetchesTheNewSet()
    {
        Server.ServeJson(TestKeys.EcSet("k1"), "max-age=300");
        var client = CreateClient();
        await client.GetKeysAsync();
        Server.ServeJson(TestKeys.EcSet("k2"), "max-age=300");

        Time.Advance(TimeSpan.FromSeconds(301));
        var keys = await client.GetKeysAsync();

        Assert.NotNull(keys);
        Assert.True(keys.TryGet("k2", out _));
        Assert.False(keys.TryGet("k1", out _));
        Assert.Equal(2, Server.Requests());
    }

    [Fact]
    public async Task GetKeysAsync_NoCacheControl_UsesDefaultMaxAge()
    {
        Server.ServeJson(TestKeys.EcSet("k1"), cacheControl: null);
        var client = CreateClient(o => o.DefaultMaxAge = TimeSpan.FromMinutes(20));
        await client.GetKeysAsync();

        Time.Advance(TimeSpan.FromMinutes(14));
        await client.GetKeysAsync();
        var before = Server.Requests();
        Time.Advance(TimeSpan.FromMinutes(7));
        await client.GetKeysAsync();

        Assert.Equal(1, before);
        Assert.Equal(2, Server.Requests());
    }

    [Theory]
    [InlineData("max-age=999999", 3600 + 1, 2)]   // clamped down to MaximumMaxAge (1 h)
    [InlineData("max-age=0", 61, 2)]              // clamped up to MinimumMaxAge (1 min)
    [InlineData("no-store", 61, 2)]
    [InlineData("no-store", 30, 1)]
    public async Task GetKeysAsync_MaxAgeOutsideBounds_IsClamped(string cacheControl, int advanceSeconds, int expectedRequests)
    {
        Server.ServeJson(TestKeys.EcSet("k1"), cacheControl);
        var client = CreateClient(o => o.MaximumMaxAge = TimeSpan.FromHours(1));
        await client.GetKeysAsync();

        Time.Advance(TimeSpan.FromSeconds(advanceSeconds));
        await client.GetKeysAsync();
        await WaitForFetchesAsync(expectedRequests);

        Assert.Equal(expectedRequests, Server.Requests());
    }

    [Fact]
    public async Task GetKeysAsync_PastThreeQuartersOfMaxAge_RefreshesInBackgroundWithoutWaiting()
    {
        Server.ServeJson(TestKeys.EcSet("k1"), "max-age=400");
        var client = CreateClient();
        var first = await client.GetKeysAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Server.Route(JwksTestServer.JwksPath, async context =>
        {
            await gate.Task.WaitAsync(context.RequestAborted);
            await JwksTestServer.WriteJsonAsync(context, TestKeys.EcSet("k1", "k2"), "max-age=400");
        });

        Time.Advance(TimeSpan.FromSeconds(310));
        var during = client.GetKeysAsync();

        Assert.True(during.IsCompletedSuccessfully, "the caller must not wait for the background refresh");
        Assert.Same(first, await during);
        await Server.WaitForRequestsAsync(2);
        gate.SetResult();
        await WaitForFetchesAsync(2);
        var after = await client.GetKeysAsync();
        Assert.NotNull(after);
        Assert.True(after.TryGet("k2", out _));
        Assert.Equal("refresh_ahead", Fetches.LastMeasurement!.Tags["tessera.jwks.trigger"]);
    }

    [Fact]
    public async Task GetKeysAsync_ServerFails_KeepsLastKnownGoodUntilMaxStalenessThenFailsClosed()
    {
        Server.ServeJson(TestKeys.EcSet("k1"), "max-age=60");
        var client = CreateClient(o => o.MaxStaleness = TimeSpan.FromMinutes(10));
        var good = await client.GetKeysAsync();
        Server.ServeStatus(500);

        Time.Advance(TimeSpan.FromSeconds(61));
        var stale = await client.GetKeysAsync();
        Time.Advance(TimeSpan.FromMinutes(9));
        var stillStale = await client.GetKeysAsync();
        Time.Advance(TimeSpan.FromSeconds(61));
        var closed = await client.GetKeysAsync();

        Assert.Same(good, stale);
        Assert.Same(good, stillStale);
        Assert.Null(closed);
        Assert.All(FailureTypes(), t => Assert.Equal("http_status", t));
        Assert.Equal(3, FailureTypes().Count);
        Assert.NotEmpty(LogsWithId(4105));
        Assert.Contains("500", LogsWithId(4103)[0].Message, StringComparison.Ordinal);
        Assert.Single(LogsWithId(4106));
    }

    [Fact]
    public async Task GetKeysAsync_ServerRecoversAfterFailClosed_ServesKeysAgain()
    {
        Server.ServeJson(TestKeys.EcSet("k1"), "max-age=60");
        var client = CreateClient(o => o.MaxStaleness = TimeSpan.Zero);
        await client.GetKeysAsync();
        Server.ServeStatus(503);
        Time.Advance(TimeSpan.FromSeconds(61));
        var closed = await client.GetKeysAsync();
        Server.ServeJson(TestKeys.EcSet("k2"), "max-age=60");

        Time.Advance(TimeSpan.FromSeconds(31));
        var recovered = await client.GetKeysAsync();

        Assert.Null(closed);
        Assert.NotNull(recovered);
        Assert.True(recovered.TryGet("k2", out _));
    }

    [Fact]
    public async Task GetKeysAsync_FirstFetchFails_ReturnsNullAndDoesNotRetryWithinInterval()
    {
        Server.ServeStatus(500);
        var client = CreateClient();

        var first = await client.GetKeysAsync();
        Time.Advance(TimeSpan.FromSeconds(10));
        var second = await client.GetKeysAsync();
        Time.Advance(TimeSpan.FromSeconds(21));
        Server.ServeJson(TestKeys.EcSet("k1"));
        var third = await client.GetKeysAsync();

        Assert.Null(first);
        Assert.Null(second);
        Assert.NotNull(third);
        Assert.Equal(2, Server.Requests());
    }

    [Fact]
    public async Task GetKeysAsync_SlowServer_TimesOutAndFailsTheFetch()
    {
        Server.Route(JwksTestServer.JwksPath, async context =>
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        var client = CreateClient(o => o.Timeout = TimeSpan.FromSeconds(5));

        var pending = client.GetKeysAsync().AsTask();
        await Server.WaitForRequestsAsync(1);
        Time.Advance(TimeSpan.FromSeconds(5));
        var keys = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Null(keys);
        Assert.Equal(["timeout"], FailureTypes());
    }

    [Fact]
    public async Task GetKeysAsync_SlowServerAfterGoodFetch_KeepsLastKnownGood()
    {
        Server.ServeJson(TestKeys.EcSet("k1"), "max-age=60");
        var client = CreateClient();
        var good = await client.GetKeysAsync();
        Server.Route(JwksTestServer.JwksPath, context => Task.Delay(Timeout.Infinite, context.RequestAborted));

        Time.Advance(TimeSpan.FromSeconds(61));
        var pending = client.GetKeysAsync().AsTask();
        await Server.WaitForRequestsAsync(2);
        Time.Advance(TimeSpan.FromSeconds(5));
        var keys = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Same(good, keys);
        Assert.Equal(["timeout"], FailureTypes());
    }

    [Fact]
    public async Task GetKeysAsync_CallerCancels_SharedFetchStillCompletes()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Server.Route(JwksTestServer.JwksPath, async context =>
        {
            await gate.Task.WaitAsync(context.RequestAborted);
            await JwksTestServer.WriteJsonAsync(context, TestKeys.EcSet("k1"), "max-age=300");
        });
        var client = CreateClient();
        using var cancel = new CancellationTokenSource();

        var cancelled = client.GetKeysAsync(cancel.Token).AsTask();
        var other = client.GetKeysAsync().AsTask();
        await Server.WaitForRequestsAsync(1);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gate.SetResult();
        var keys = await other.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.NotNull(keys);
        Assert.Equal(1, Server.Requests());
    }

    [Fact]
    public async Task Dispose_ThenGetKeysAsync_Throws()
    {
        Server.ServeJson(TestKeys.EcSet("k1"));
        var client = CreateClient();
        await client.GetKeysAsync();

        client.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.GetKeysAsync().AsTask());
    }
}
