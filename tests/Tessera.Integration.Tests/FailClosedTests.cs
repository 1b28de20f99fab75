using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Tessera.AspNetCore.Revocation;
using Xunit.Abstractions;

namespace Tessera.Integration.Tests;

/// <summary>A sample API whose revocation state may be at most 12 s old (the token service holds idle polls 10 s).</summary>
public sealed class ShortBoundEnvironment : SampleEnvironment
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(12);

    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Services.PostConfigure<RevocationFeedOptions>(o =>
        {
            o.MaxStaleness = Bound;
            o.MaxRetryDelay = TimeSpan.FromSeconds(1);
        });
}

/// <summary>
/// The feed cut (the token service stopped): endpoints that demand fresh state keep working until the bound, then
/// fail closed with 503; ordinary endpoints keep working; live introspection fails closed at once; and everything
/// recovers when the token service is back at the same address.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class FailClosedTests(ShortBoundEnvironment env, ITestOutputHelper output) : AuditedTest, IClassFixture<ShortBoundEnvironment>
{
    [Fact]
    public async Task FeedCut_BeyondBound_FreshEndpointsAnswer503ThenRecover()
    {
        using var failedClosed = new MetricCollector<long>(env.Api.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "Tessera", "tessera.revocation.fail_closed");
        var state = env.Api.Services.GetRequiredService<RevocationFeedState>();
        var user = await env.TokenService.UserAccessTokenAsync("user-cut", SampleEnvironment.Audience, "orders:read payments:write");

        // Healthy: held polls (10 s) keep the state within the 12 s bound.
        var healthy = Stopwatch.StartNew();
        while (healthy.Elapsed < TimeSpan.FromSeconds(13))
        {
            using var ok = await env.Api.GetAsync("/orders/export", user);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            await Task.Delay(250);
        }

        await env.TokenService.StopAsync();
        var cut = Stopwatch.StartNew();

        // Live introspection has nobody to ask: closed at once.
        using (var payment = await env.Api.SendAsync(HttpMethod.Post, "/payments", user))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, payment.StatusCode);
            Assert.NotNull(payment.Headers.RetryAfter);
            Assert.Empty(payment.Headers.WwwAuthenticate);
        }

        HttpStatusCode status;
        do
        {
            await Task.Delay(100);
            using var export = await env.Api.GetAsync("/orders/export", user);
            status = export.StatusCode;
            if (status == HttpStatusCode.OK)
            {
                Assert.True(cut.Elapsed < ShortBoundEnvironment.Bound + TimeSpan.FromSeconds(1), "still served beyond the bound");
            }
        }
        while (status == HttpStatusCode.OK && cut.Elapsed < TimeSpan.FromSeconds(30));

        output.WriteLine($"fail closed {cut.Elapsed.TotalSeconds:0.0} s after the cut (bound {ShortBoundEnvironment.Bound.TotalSeconds} s; the state was then {state.Staleness?.TotalSeconds:0.0} s old)");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.False(state.IsFresh());

        // Ordinary endpoints still run on the keys and revocation state they hold.
        using (var orders = await env.Api.GetAsync("/orders", user))
        {
            Assert.Equal(HttpStatusCode.OK, orders.StatusCode);
        }

        Assert.Contains(failedClosed.GetMeasurementSnapshot(), m => m.Tags["error.type"] as string == "revocation_state_stale");
        Assert.Contains(failedClosed.GetMeasurementSnapshot(), m => m.Tags["error.type"] as string == "introspection_unavailable");

        // The token service comes back at the same address: the feed catches up and the endpoint serves again.
        await env.TokenService.StartAgainAsync();
        await SampleEnvironment.WaitUntilAsync(() => state.IsFresh(), TimeSpan.FromSeconds(15));
        using var recovered = await env.Api.GetAsync("/orders/export", user);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }
}
