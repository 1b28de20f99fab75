using Tessera.Keys;

namespace Tessera.AspNetCore.Tests.Jwks;

public sealed class JwksClientUnknownKidTests : JwksClientTestBase
{
    [Fact]
    public async Task GetKeysForUnknownKidAsync_ThousandConcurrentLookups_CauseOneFetch()
    {
        Server.ServeJson(TestKeys.EcSet("k1"));
        var client = CreateClient();
        await client.GetKeysAsync();
        Time.Advance(TimeSpan.FromSeconds(31));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var rotated = TestKeys.EcSet("k1", "k2");
        Server.Route(JwksTestServer.JwksPath, async context =>
        {
            await gate.Task.WaitAsync(context.RequestAborted);
            await JwksTestServer.WriteJsonAsync(context, rotated, "max-age=300");
        });

        var results = await RunConcurrentlyAsync(1000, () => client.GetKeysForUnknownKidAsync("k2"), gate);

        Assert.Equal(2, Server.Requests());
        Assert.All(results, keys => Assert.True(keys!.TryGet("k2", out _)));
        Assert.Equal(2, SuccessfulFetches());
        Assert.Equal("unknown_kid", Fetches.LastMeasurement!.Tags["tessera.jwks.trigger"]);
        Assert.Single(LogsWithId(4107));
    }

    [Fact]
    public async Task GetKeysForUnknownKidAsync_ThousandConcurrentLookupsOnColdClient_CauseOneFetch()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var set = TestKeys.EcSet("k1");
        Server.Route(JwksTestServer.JwksPath, async context =>
        {
            await gate.Task.WaitAsync(context.RequestAborted);
            await JwksTestServer.WriteJsonAsync(context, set, "max-age=300");
        });
        var client = CreateClient();

        var results = await RunConcurrentlyAsync(1000, () => client.GetKeysForUnknownKidAsync("attacker-chosen"), gate);

        Assert.Equal(1, Server.Requests());
        Assert.All(results, keys => Assert.True(keys!.TryGet("k1", out _)));
        Assert.All(results, keys => Assert.False(keys!.TryGet("attacker-chosen", out _)));
    }

    [Fact]
    public async Task GetKeysForUnknownKidAsync_WithinMinimumInterval_DoesNotFetch()
    {
        Server.ServeJson(TestKeys.EcSet("k1"));
        var client = CreateClient();
        var first = await client.GetKeysAsync();

        Time.Advance(TimeSpan.FromSeconds(29));
        var keys = await client.GetKeysForUnknownKidAsync("k2");

        Assert.Same(first, keys);
        Assert.Equal(1, Server.Requests());
        Assert.Single(LogsWithId(4108));
    }

    [Fact]
    public async Task GetKeysForUnknownKidAsync_AfterInterval_FetchesOnceThenIsRateLimitedAgain()
    {
        Server.ServeJson(TestKeys.EcSet("k1"));
        var client = CreateClient(o => o.MinimumRefreshInterval = TimeSpan.FromSeconds(10));
        await client.GetKeysAsync();

        Time.Advance(TimeSpan.FromSeconds(10));
        await client.GetKeysForUnknownKidAsync("nope");
        await client.GetKeysForUnknownKidAsync("nope");
        Time.Advance(TimeSpan.FromSeconds(9));
        await client.GetKeysForUnknownKidAsync("other");
        var before = Server.Requests();
        Time.Advance(TimeSpan.FromSeconds(1));
        await client.GetKeysForUnknownKidAsync("other");

        Assert.Equal(2, before);
        Assert.Equal(3, Server.Requests());
    }

    [Theory]
    [InlineData("k1")]
    [InlineData("")]
    public async Task GetKeysForUnknownKidAsync_KnownOrImpossibleKid_DoesNotFetch(string kid)
    {
        Server.ServeJson(TestKeys.EcSet("k1"));
        var client = CreateClient();
        await client.GetKeysAsync();

        Time.Advance(TimeSpan.FromSeconds(31));
        var keys = await client.GetKeysForUnknownKidAsync(kid);
        await client.GetKeysForUnknownKidAsync(new string('x', JsonWebKey.MaxKidLength + 1));

        Assert.NotNull(keys);
        Assert.Equal(1, Server.Requests());
    }

    [Fact]
    public async Task GetKeysAsync_KeyDisappearsFromServer_IsGoneAfterTheNextRefresh()
    {
        var k1 = TestKeys.Ec("k1").ToPublicJwk();
        Server.ServeJson(TestKeys.Set(k1, TestKeys.Ec("k2").ToPublicJwk()), "max-age=120");
        var client = CreateClient();
        var before = await client.GetKeysAsync();
        Server.ServeJson(TestKeys.Set(k1), "max-age=120");

        Time.Advance(TimeSpan.FromSeconds(60));
        var stillCached = await client.GetKeysAsync();
        Time.Advance(TimeSpan.FromSeconds(61));
        var after = await client.GetKeysAsync();
        var lookup = await client.GetKeysForUnknownKidAsync("k2");

        Assert.True(before!.TryGet("k2", out _));
        Assert.True(stillCached!.TryGet("k2", out _));
        Assert.False(after!.TryGet("k2", out _));
        Assert.True(after.TryGet("k1", out _));
        Assert.False(lookup!.TryGet("k2", out _));
        Assert.Equal(2, Server.Requests());
    }

    [Fact]
    public async Task GetKeysForUnknownKidAsync_KidRotationMidTraffic_ValidationsNeverLoseKeysAndOneFetchFindsTheNewKid()
    {
        var k1 = TestKeys.Ec("k1").ToPublicJwk();
        Server.ServeJson(TestKeys.Set(k1));
        var client = CreateClient();
        await client.GetKeysAsync();
        using var stop = new CancellationTokenSource();
        var misses = 0;
        var lookups = 0;
        var traffic = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var keys = await client.GetKeysAsync();
                if (keys is null || !keys.TryGet("k1", out _))
                {
                    Interlocked.Increment(ref misses);
                }

                Interlocked.Increment(ref lookups);
                await Task.Yield();
            }
        })).ToArray();

        Time.Advance(TimeSpan.FromSeconds(45));
        Server.ServeJson(TestKeys.Set(k1, TestKeys.Ec("k2").ToPublicJwk()));
        var results = await RunConcurrentlyAsync(500, () => client.GetKeysForUnknownKidAsync("k2"), gate: null);
        await stop.CancelAsync();
        await Task.WhenAll(traffic);

        Assert.All(results, keys => Assert.True(keys!.TryGet("k2", out _)));
        Assert.Equal(0, misses);
        Assert.True(lookups > 0);
        Assert.Equal(2, Server.Requests());
    }

    /// <summary>
    /// Starts <paramref name="count"/> lookups at once; when a gate is given, holds the server's answer until every
    /// lookup has been issued, so they all overlap the fetch.
    /// </summary>
    private static async Task<JsonWebKeySet?[]> RunConcurrentlyAsync(int count, Func<ValueTask<JsonWebKeySet?>> lookup, TaskCompletionSource? gate)
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var issued = 0;
        var tasks = Enumerable.Range(0, count).Select(_ => Task.Run(async () =>
        {
            await go.Task;
            var pending = lookup();
            Interlocked.Increment(ref issued);
            return await pending;
        })).ToArray();

        go.SetResult();
        if (gate is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (Volatile.Read(ref issued) < count)
            {
                await Task.Delay(5, timeout.Token);
            }

            gate.SetResult();
        }

        return await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));
    }
}
