using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Tessera.Clients;
using Tessera.Server.Tests.Revocation;
using Tessera.Telemetry;

namespace Tessera.Server.Tests.Sessions;

/// <summary>
/// Refresh rotation under races, over HTTP against a real server on a real SQLite file: 50 parallel refreshes with
/// one token continue one chain (every retry gets the same successor); an older token afterwards revokes the family,
/// publishes it on the feed and counts the reuse — and the same holds across a restart, since nothing lives only in memory.
/// </summary>
public sealed class RefreshRaceTests : IAsyncLifetime
{
    private const int Parallel = 50;

    private readonly SessionServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Refresh_50ParallelWithOneToken_OneChainContinuesAndAnOlderTokenRevokesTheFamily(bool restart)
    {
        var (client, user) = (await _server.AddClientAsync(ClientType.Native), await _server.AddUserAsync());
        using var browser = _server.NewBrowser();
        var first = await OAuth.SignInAndRedeemAsync(_server, browser, client, user);
        var token0 = first.GetProperty("refresh_token").GetString()!;

        var answers = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => OAuth.RefreshAsync(_server, client, token0)));

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        var successors = answers.Select(a => a.Body.GetProperty("refresh_token").GetString()!).Distinct().ToList();
        var token1 = Assert.Single(successors);
        Assert.NotEqual(token0, token1);
        Assert.Equal(Parallel, answers.Select(a => a.Body.GetProperty("access_token").GetString()).Distinct().Count());

        if (restart)
        {
            await _server.Server.RestartAsync();
            var (retry, again) = await OAuth.RefreshAsync(_server, client, token0);
            Assert.Equal(200, retry);
            Assert.Equal(token1, again.GetProperty("refresh_token").GetString());
        }

        using var reuse = new MetricCollector<long>(_server.Server.Services.GetRequiredService<IMeterFactory>(), TesseraTelemetry.MeterName, TesseraTelemetry.RefreshReuseDetected);
        var kit = new RevocationKit(_server.Server);
        var receiver = await kit.ReceiverAsync();
        await kit.PollSetsAsync(receiver);

        var (status2, second) = await OAuth.RefreshAsync(_server, client, token1);
        Assert.Equal(200, status2);
        var token2 = second.GetProperty("refresh_token").GetString()!;
        var (status3, third) = await OAuth.RefreshAsync(_server, client, token2);
        Assert.Equal(200, status3);
        var token3 = third.GetProperty("refresh_token").GetString()!;
        var access3 = third.GetProperty("access_token").GetString()!;
        Assert.Equal(4, new[] { token0, token1, token2, token3 }.Distinct().Count());
        Assert.True(await kit.IsActiveAsync(receiver, access3));

        // token0 is older than the immediate predecessor of the newest token: reuse, though within the grace window.
        var (reused, refusal) = await OAuth.RefreshAsync(_server, client, token0);

        Assert.Equal(400, reused);
        Assert.Equal("invalid_grant", refusal.GetProperty("error").GetString());
        Assert.Contains("family is revoked", refusal.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, reuse.GetMeasurementSnapshot().EvaluateAsCounter());
        foreach (var token in new[] { token1, token2, token3 })
        {
            Assert.Equal(400, (await OAuth.RefreshAsync(_server, client, token)).Status);
        }

        Assert.False(await kit.IsActiveAsync(receiver, access3));
        var uris = new List<string>();
        foreach (var set in (await kit.PollSetsAsync(receiver)).Values)
        {
            uris.Add(RevocationKit.EventOf(await kit.VerifySetAsync(set)).Uri);
        }

        Assert.Contains("https://schemas.tessera.dev/secevent/refresh-family-revoked", uris);
        Assert.Contains(RevocationKit.TokenDenied, uris);
    }

    [Fact]
    public async Task Refresh_ImmediatePredecessorAfterItsSuccessorWasUsed_IsReuse()
    {
        var (client, user) = (await _server.AddClientAsync(ClientType.Web), await _server.AddUserAsync());
        using var browser = _server.NewBrowser();
        var token0 = (await OAuth.SignInAndRedeemAsync(_server, browser, client, user)).GetProperty("refresh_token").GetString()!;
        var token1 = (await OAuth.RefreshAsync(_server, client, token0)).Body.GetProperty("refresh_token").GetString()!;
        var (status, body) = await OAuth.RefreshAsync(_server, client, token1);
        Assert.Equal(200, status);

        // token1 is now the immediate predecessor of token2, within the grace window: a retry, the same successor.
        var (retry, again) = await OAuth.RefreshAsync(_server, client, token1);
        Assert.Equal(200, retry);
        Assert.Equal(body.GetProperty("refresh_token").GetString(), again.GetProperty("refresh_token").GetString());

        // token0's successor (token1) has been used: token0 is no longer the immediate predecessor of anything current.
        Assert.Equal(400, (await OAuth.RefreshAsync(_server, client, token0)).Status);
        Assert.Equal(400, (await OAuth.RefreshAsync(_server, client, body.GetProperty("refresh_token").GetString()!)).Status);
    }

    [Fact]
    public async Task Refresh_AnotherClientsToken_RefusedWithoutRevokingIt()
    {
        var (client, user) = (await _server.AddClientAsync(ClientType.Native), await _server.AddUserAsync());
        var other = await _server.AddClientAsync(ClientType.Native);
        using var browser = _server.NewBrowser();
        var token = (await OAuth.SignInAndRedeemAsync(_server, browser, client, user)).GetProperty("refresh_token").GetString()!;

        var (status, body) = await OAuth.RefreshAsync(_server, other, token);
        Assert.Equal(400, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
        Assert.Equal(200, (await OAuth.RefreshAsync(_server, client, token)).Status);
    }

    [Fact]
    public async Task Refresh_BrowserClient_NeverGetsOne()
    {
        var (client, user) = (await _server.AddClientAsync(ClientType.Browser), await _server.AddUserAsync());
        using var browser = _server.NewBrowser();
        var body = await OAuth.SignInAndRedeemAsync(_server, browser, client, user);
        Assert.False(body.TryGetProperty("refresh_token", out _));
        var (status, refusal) = await OAuth.RefreshAsync(_server, client, new string('A', 43));
        Assert.Equal(400, status);
        Assert.Equal("unauthorized_client", refusal.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Refresh_NarrowerScope_AllowedWiderRefused()
    {
        var (client, user) = (await _server.AddClientAsync(ClientType.Native), await _server.AddUserAsync());
        using var browser = _server.NewBrowser();
        var token = (await OAuth.SignInAndRedeemAsync(_server, browser, client, user)).GetProperty("refresh_token").GetString()!;
        var (status, body) = await _server.Server.PostFormAsync("/connect/token", null, null,
            ("grant_type", "refresh_token"), ("refresh_token", token), ("client_id", client.Id), ("scope", SessionServer.Scope));
        Assert.Equal(200, status);
        Assert.Equal(SessionServer.Scope, body.GetProperty("scope").GetString());
        Assert.False(body.TryGetProperty("id_token", out _));
        var (wider, refusal) = await _server.Server.PostFormAsync("/connect/token", null, null,
            ("grant_type", "refresh_token"), ("refresh_token", body.GetProperty("refresh_token").GetString()!), ("client_id", client.Id), ("scope", "admin"));
        Assert.Equal(400, wider);
        Assert.Equal("invalid_scope", refusal.GetProperty("error").GetString());
    }
}

/// <summary>With no grace window, even the immediate predecessor presented again is reuse.</summary>
public sealed class RefreshWithoutGraceTests : IAsyncLifetime
{
    private readonly SessionServer _server = new(new Dictionary<string, string?> { ["Tessera:Sessions:RefreshGraceWindow"] = "00:00:00" });

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Refresh_ZeroGrace_RetryOfTheRotatedTokenRevokesTheFamily()
    {
        var (client, user) = (await _server.AddClientAsync(ClientType.Web), await _server.AddUserAsync());
        using var browser = _server.NewBrowser();
        var token0 = (await OAuth.SignInAndRedeemAsync(_server, browser, client, user)).GetProperty("refresh_token").GetString()!;
        var (status, body) = await OAuth.RefreshAsync(_server, client, token0);
        Assert.Equal(200, status);

        Assert.Equal(400, (await OAuth.RefreshAsync(_server, client, token0)).Status);
        Assert.Equal(400, (await OAuth.RefreshAsync(_server, client, body.GetProperty("refresh_token").GetString()!)).Status);
    }

    [Fact]
    public async Task Refresh_50ParallelWithZeroGrace_ExactlyOneWinsAndTheFamilyIsRevoked()
    {
        var (client, user) = (await _server.AddClientAsync(ClientType.Native), await _server.AddUserAsync());
        using var browser = _server.NewBrowser();
        var token0 = (await OAuth.SignInAndRedeemAsync(_server, browser, client, user)).GetProperty("refresh_token").GetString()!;

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => OAuth.RefreshAsync(_server, client, token0)));

        // One rotates; the first loser detects reuse and revokes the family — and with it the winner's successor
        // (if the revocation lands before the winner's tokens are recorded, the winner is refused too).
        Assert.True(answers.Count(a => a.Status == 200) <= 1);
        Assert.All(answers.Where(a => a.Status != 200), a => Assert.Equal("invalid_grant", a.Body.GetProperty("error").GetString()));
        foreach (var winner in answers.Where(a => a.Status == 200))
        {
            Assert.Equal(400, (await OAuth.RefreshAsync(_server, client, winner.Body.GetProperty("refresh_token").GetString()!)).Status);
        }
    }
}
