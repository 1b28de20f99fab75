using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Tessera.AspNetCore.Revocation;
using Tessera.AspNetCore.Tests.Support;
using Tessera.Revocation;

namespace Tessera.AspNetCore.Tests.Revocation;

/// <summary>The subscriber against a scripted feed on loopback: what it sends, what it applies, how it fails.</summary>
public sealed class RevocationFeedSubscriberTests : IAsyncLifetime
{
    private readonly TestSigner _signer = new("k1");
    private readonly FakeLogCollector _logs = new();
    private LoopbackServer _server = null!;
    private ServiceProvider _services = null!;
    private string Issuer => _server.BaseUri.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync();
        _server.OnJson("/.well-known/openid-configuration", _ => $$"""{"issuer":"{{Issuer}}","jwks_uri":"{{Issuer}}/jwks"}""");
        _server.On("/jwks", (context, _) =>
        {
            context.Response.ContentType = "application/jwk-set+json";
            return context.Response.WriteAsync(_signer.Keys.ToPublicJson());
        });
        _server.OnJson("/feed/snapshot", _ => """{"as_of":1,"cutoffs":[],"denied":[]}""");
        _services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(_logs)))
            .AddTesseraRevocationFeed(o =>
            {
                o.Issuer = Issuer;
                o.ClientId = "orders-api";
                o.ClientSecret = "feed-secret";
                o.MinRetryDelay = TimeSpan.FromMilliseconds(20);
                o.MaxRetryDelay = TimeSpan.FromMilliseconds(100);
            })
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
        _signer.Dispose();
    }

    private string CutoffSet(string jti, string subject)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var cutoff = $$"""{"scope":"subject","value":"{{subject}}","revoked_before":{{now + 1}},"trigger":"termination"}""";
        var events = "{\"https://schemas.tessera.dev/secevent/revoked-before\":" + cutoff + "}";
        return _signer.Sign($$"""{"iss":"{{Issuer}}","iat":{{now}},"jti":"{{jti}}","aud":"{{Issuer}}/feed","events":""" + events + "}", "secevent+jwt");
    }

    private async Task<IHostedService> StartAsync()
    {
        var subscriber = _services.GetServices<IHostedService>().OfType<RevocationFeedSubscriber>().Single();
        await subscriber.StartAsync(CancellationToken.None);
        return subscriber;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    [Fact]
    public async Task Events_AppliedAcknowledgedAndStateFresh()
    {
        var polls = 0;
        var good = CutoffSet("set-1", "user-1");
        _server.On("/feed/poll", async (context, _) =>
        {
            var sets = Interlocked.Increment(ref polls) == 1
                ? $$"""{"set-1":"{{good}}","set-2":"not.a.jwt"}"""
                : "{}";
            if (polls > 2)
            {
                await Task.Delay(200, context.RequestAborted); // an idle long poll
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{"sets":{{sets}},"moreAvailable":false}""");
        });

        var subscriber = await StartAsync();
        var state = _services.GetRequiredService<RevocationFeedState>();
        await WaitUntilAsync(() => _server.Count("/feed/poll") >= 3);
        await subscriber.StopAsync(CancellationToken.None);

        var index = _services.GetRequiredService<IRevocationIndex>();
        var query = new RevocationQuery("user-1", "", "", "", DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5);
        Assert.True(index.IsRevoked(in query));
        Assert.True(state.IsFresh());
        Assert.Equal(1, state.EventsApplied);

        var requests = _server.Requests.Where(r => r.Path == "/feed/poll").ToList();
        using var first = JsonDocument.Parse(requests[0].Body);
        using var second = JsonDocument.Parse(requests[1].Body);
        Assert.True(first.RootElement.GetProperty("returnImmediately").GetBoolean());
        Assert.Empty(first.RootElement.GetProperty("ack").EnumerateArray());
        Assert.Equal("set-1", Assert.Single(second.RootElement.GetProperty("ack").EnumerateArray()).GetString());
        Assert.Equal("invalid_request", second.RootElement.GetProperty("setErrs").GetProperty("set-2").GetProperty("err").GetString());
        Assert.False(second.RootElement.GetProperty("returnImmediately").GetBoolean());
        Assert.StartsWith("Basic ", requests[0].Authorization, StringComparison.Ordinal);
        Assert.Contains(_logs.GetSnapshot(), r => r.Id.Id == 2101);
    }

    [Fact]
    public async Task Snapshot_AppliedBeforeTheStateIsFresh()
    {
        var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        var revokedBefore = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        _server.OnJson("/feed/snapshot", _ => $$"""{"as_of":{{revokedBefore}},"cutoffs":[{"scope":"subject","value":"user-9","revoked_before":{{revokedBefore}}}],"denied":[{"jti":"jti-9","exp":{{exp}}}]}""");
        _server.On("/feed/poll", async (context, _) =>
        {
            await Task.Delay(50, context.RequestAborted);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"sets":{},"moreAvailable":false}""");
        });

        var subscriber = await StartAsync();
        var state = _services.GetRequiredService<RevocationFeedState>();
        await WaitUntilAsync(() => state.IsFresh());
        await subscriber.StopAsync(CancellationToken.None);

        var index = _services.GetRequiredService<IRevocationIndex>();
        var bySubject = new RevocationQuery("user-9", "", "", "", revokedBefore - 5);
        var byJti = new RevocationQuery("user-other", "", "", "jti-9", revokedBefore + 60);
        Assert.True(index.IsRevoked(in bySubject));
        Assert.True(index.IsRevoked(in byJti));
        Assert.Equal("/feed/snapshot", _server.Requests.First(r => r.Path.StartsWith("/feed/", StringComparison.Ordinal)).Path);
        Assert.StartsWith("Basic ", _server.Requests.First(r => r.Path == "/feed/snapshot").Authorization, StringComparison.Ordinal);
        Assert.Contains(_logs.GetSnapshot(), r => r.Id.Id == 2111);
    }

    [Fact]
    public async Task SnapshotFailing_NoPoll_StateNeverFresh()
    {
        _server.On("/feed/snapshot", (context, _) =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        _server.OnJson("/feed/poll", _ => """{"sets":{},"moreAvailable":false}""");

        var subscriber = await StartAsync();
        await WaitUntilAsync(() => _server.Count("/feed/snapshot") >= 3);
        await subscriber.StopAsync(CancellationToken.None);

        Assert.False(_services.GetRequiredService<RevocationFeedState>().IsFresh());
        Assert.Equal(0, _server.Count("/feed/poll"));
        Assert.Contains(_logs.GetSnapshot(), r => r.Id.Id == 2102 && r.Message.Contains("http_status", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FeedFailing_RetriedWithBackOff_StateNeverFresh()
    {
        using var polls = new MetricCollector<long>(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "Tessera", "tessera.revocation.feed.polls");
        _server.On("/feed/poll", (context, _) =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        });

        var subscriber = await StartAsync();
        await WaitUntilAsync(() => _server.Count("/feed/poll") >= 4);
        await subscriber.StopAsync(CancellationToken.None);

        Assert.False(_services.GetRequiredService<RevocationFeedState>().IsFresh());
        Assert.Contains(_logs.GetSnapshot(), r => r.Id.Id == 2102 && r.Message.Contains("http_status", StringComparison.Ordinal));
        Assert.All(polls.GetMeasurementSnapshot(), m => Assert.Equal("failure", m.Tags["tessera.result"]));
    }

    [Fact]
    public async Task CredentialsRefused_LoggedAsErrorWithTheFix()
    {
        _server.On("/feed/poll", (context, _) =>
        {
            context.Response.StatusCode = 401;
            return Task.CompletedTask;
        });

        var subscriber = await StartAsync();
        await WaitUntilAsync(() => _logs.GetSnapshot().Any(r => r.Id.Id == 2103));
        await subscriber.StopAsync(CancellationToken.None);

        var record = _logs.GetSnapshot().First(r => r.Id.Id == 2103);
        Assert.Equal(LogLevel.Error, record.Level);
        Assert.Contains("ClientSecret", record.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("feed-secret", string.Join("\n", _logs.GetSnapshot().Select(r => r.Message)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GarbageAnswer_CountedAsFailedPoll_NothingApplied()
    {
        _server.OnJson("/feed/poll", _ => """{"sets":"nope"}""");

        var subscriber = await StartAsync();
        await WaitUntilAsync(() => _logs.GetSnapshot().Any(r => r.Id.Id == 2102));
        await subscriber.StopAsync(CancellationToken.None);

        Assert.Equal(0, _services.GetRequiredService<RevocationFeedState>().EventsApplied);
        Assert.Contains(_logs.GetSnapshot(), r => r.Message.Contains("invalid_response", StringComparison.Ordinal));
    }
}
