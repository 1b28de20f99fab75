using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Tessera.Server.Tests.Revocation;

/// <summary>The RFC 8936 poll endpoint <c>POST /feed/poll</c>.</summary>
public sealed class RevocationFeedTests : IClassFixture<TokenServiceFixture>
{
    private readonly TokenServiceFixture _server;
    private readonly RevocationKit _kit;
    private readonly ITestOutputHelper _output;

    public RevocationFeedTests(TokenServiceFixture server, ITestOutputHelper output)
    {
        _server = server;
        _kit = new RevocationKit(server);
        _output = output;
    }

    [Fact]
    public async Task Poll_Acknowledged_NotDeliveredAgain_UnacknowledgedRedelivered()
    {
        var receiver = await _kit.ReceiverAsync();
        var first = RevocationKit.SetsOf(await _kit.TriggerAsync("termination", subject: RevocationKit.Unique("user"))).Single();
        var second = RevocationKit.SetsOf(await _kit.TriggerAsync("termination", subject: RevocationKit.Unique("user"))).Single();

        Assert.Equal([first, second], (await _kit.PollSetsAsync(receiver)).Keys);
        Assert.Equal([first, second], (await _kit.PollSetsAsync(receiver)).Keys); // not acknowledged: sent again
        Assert.Equal([second], (await _kit.PollSetsAsync(receiver, ack: [first])).Keys);
        Assert.Empty(await _kit.PollSetsAsync(receiver, ack: [second, "no-such-jti"]));
        Assert.Empty(await _kit.PollSetsAsync(receiver));
    }

    [Fact]
    public async Task Poll_MaxEvents_PagesOldestFirstWithMoreAvailable()
    {
        var receiver = await _kit.ReceiverAsync();
        var fired = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            fired.Add(RevocationKit.SetsOf(await _kit.TriggerAsync("role_change", subject: RevocationKit.Unique("user"))).Single());
        }

        var (_, page) = await _kit.PollAsync(receiver, maxEvents: 2);
        Assert.True(page.GetProperty("moreAvailable").GetBoolean());
        Assert.Equal(fired.Take(2), page.GetProperty("sets").EnumerateObject().Select(p => p.Name));

        var (_, ackOnly) = await _kit.PollAsync(receiver, ack: fired.Take(2), maxEvents: 0);
        Assert.Empty(ackOnly.GetProperty("sets").EnumerateObject());
        Assert.True(ackOnly.GetProperty("moreAvailable").GetBoolean());

        var (_, last) = await _kit.PollAsync(receiver, maxEvents: 2);
        Assert.False(last.GetProperty("moreAvailable").GetBoolean());
        Assert.Equal([fired[2]], last.GetProperty("sets").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Poll_NewReceiver_StartsAtItsRegistration()
    {
        await _kit.TriggerAsync("termination", subject: RevocationKit.Unique("user"));
        var receiver = await _kit.ReceiverAsync();
        Assert.Empty(await _kit.PollSetsAsync(receiver));
        var after = RevocationKit.SetsOf(await _kit.TriggerAsync("termination", subject: RevocationKit.Unique("user"))).Single();
        Assert.Equal([after], (await _kit.PollSetsAsync(receiver)).Keys);
    }

    [Fact]
    public async Task Poll_SetErrs_AcknowledgeTheEvent()
    {
        var receiver = await _kit.ReceiverAsync();
        var jti = RevocationKit.SetsOf(await _kit.TriggerAsync("termination", subject: RevocationKit.Unique("user"))).Single();
        var body = $$$"""{"setErrs":{"{{{jti}}}":{"err":"invalid_key","description":"unknown kid"}},"returnImmediately":true}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/feed/poll") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{receiver.Id}:{receiver.Secret}")));
        using var response = await _server.Http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await _kit.PollSetsAsync(receiver));
    }

    [Fact]
    public async Task Poll_WithoutFeedGrantOrCredentials_Refused()
    {
        var service = await _kit.ServiceClientAsync();
        var (forbidden, error) = await _kit.PollAsync(service);
        Assert.Equal(403, forbidden);
        Assert.Equal("unauthorized_client", error.GetProperty("error").GetString());

        var receiver = await _kit.ReceiverAsync();
        Assert.Equal(401, (await _kit.PollAsync((receiver.Id, "wrong-secret"))).Status);
        using var anonymous = new HttpRequestMessage(HttpMethod.Post, "/feed/poll") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        using var response = await _server.Http.SendAsync(anonymous);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Snapshot_WithoutFeedGrantOrCredentials_Refused()
    {
        var service = await _kit.ServiceClientAsync();
        var (forbidden, error) = await _kit.SnapshotAsync(service);
        Assert.Equal(403, forbidden);
        Assert.Equal("unauthorized_client", error.GetProperty("error").GetString());

        var receiver = await _kit.ReceiverAsync();
        Assert.Equal(401, (await _kit.SnapshotAsync((receiver.Id, "wrong-secret"))).Status);
        Assert.Equal(401, (await _kit.SnapshotAsync(null)).Status);
    }

    [Fact]
    public async Task Snapshot_HoldsCutoffsAndDeniedJtis_EvenAfterTheirEventsWereAcknowledged()
    {
        var client = await _kit.ServiceClientAsync();
        var receiver = await _kit.ReceiverAsync();
        var subject = RevocationKit.Unique("user");
        await _kit.ExchangedUserTokenAsync(client, subject);
        var record = await _kit.TriggerAsync("account_compromise", subject: subject);
        var jtis = record.GetProperty("actions").EnumerateArray().Single(a => a.GetProperty("action").GetString() == "deny_tokens")
            .GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("jti").GetString()!).ToHashSet();
        Assert.NotEmpty(jtis);
        var sets = await _kit.PollSetsAsync(receiver);
        Assert.Empty(await _kit.PollSetsAsync(receiver, ack: sets.Keys)); // acknowledged: the feed never sends them again

        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var (status, snapshot) = await _kit.SnapshotAsync(receiver);

        Assert.Equal(200, status);
        Assert.InRange(snapshot.GetProperty("as_of").GetInt64(), before - 1, before + 2);
        var cutoff = snapshot.GetProperty("cutoffs").EnumerateArray().Single(c => c.GetProperty("value").GetString() == subject);
        Assert.Equal("subject", cutoff.GetProperty("scope").GetString());
        Assert.InRange(cutoff.GetProperty("revoked_before").GetInt64(), before - 60, before + 2);
        var denied = snapshot.GetProperty("denied").EnumerateArray().Where(d => jtis.Contains(d.GetProperty("jti").GetString()!)).ToList();
        Assert.Equal(jtis.Count, denied.Count);
        Assert.All(denied, d => Assert.True(d.GetProperty("exp").GetInt64() > before));
    }

    [Theory]
    [InlineData("""{"maxEvents":-1}""")]
    [InlineData("""{"maxEvents":100000}""")]
    [InlineData("""{"ack":"abc"}""")]
    [InlineData("""{"ack":[1]}""")]
    [InlineData("""{"returnImmediately":"yes"}""")]
    [InlineData("[]")]
    [InlineData("nope")]
    public async Task Poll_MalformedBody_InvalidRequest(string body)
    {
        var receiver = await _kit.ReceiverAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/feed/poll") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{receiver.Id}:{receiver.Secret}")));
        using var response = await _server.Http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Poll_LongPollWithNothingPending_ReturnsEmptyAfterTheTimeout()
    {
        var receiver = await _kit.ReceiverAsync();
        var watch = Stopwatch.StartNew();
        var (status, body) = await _kit.PollAsync(receiver, returnImmediately: false);
        Assert.Equal(200, status);
        Assert.Empty(body.GetProperty("sets").EnumerateObject());
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Poll_WaitingLongPoll_ReceivesTriggerAsSoonAsItIsApplied()
    {
        var receiver = await _kit.ReceiverAsync();
        var latencies = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            var poll = _kit.PollAsync(receiver, returnImmediately: false);
            await Task.Delay(150); // let the poll reach the server and wait
            Assert.False(poll.IsCompleted);

            var watch = Stopwatch.StartNew();
            var fired = await _kit.TriggerAsync("account_compromise", subject: RevocationKit.Unique("user"));
            var (status, body) = await poll.WaitAsync(TimeSpan.FromSeconds(5));
            watch.Stop();

            Assert.Equal(200, status);
            var delivered = body.GetProperty("sets").EnumerateObject().Select(p => p.Name).ToList();
            Assert.Equal(RevocationKit.SetsOf(fired), delivered);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"delivery took {watch.Elapsed}");
            latencies.Add(watch.Elapsed.TotalMilliseconds);
            await _kit.PollAsync(receiver, ack: delivered, maxEvents: 0);
        }

        var inOrder = string.Join(", ", latencies.Select(l => l.ToString("F1", CultureInfo.InvariantCulture)));
        latencies.Sort();
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"feed delivery latency on loopback (trigger sent -> SET received by a waiting long poll), n={latencies.Count}: min {latencies[0]:F1} ms, median {latencies[latencies.Count / 2]:F1} ms, max {latencies[^1]:F1} ms (in order: {inOrder})"));
    }
}
