using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tessera.AspNetCore.Revocation;

namespace Tessera.Integration.Tests;

/// <summary>A token service whose sample-API client nobody polls yet: each test starts (and restarts) its own API instances.</summary>
public sealed class SnapshotEnvironment : SampleEnvironment
{
    protected override bool ConfigureSecret => false;
}

/// <summary>
/// The feed never re-sends what was acknowledged, so an API that restarts rebuilds its index from <c>/feed/snapshot</c>:
/// a token revoked before the restart is still refused the moment the new instance calls its state fresh.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class RevocationSnapshotTests(SnapshotEnvironment env) : AuditedTest, IClassFixture<SnapshotEnvironment>
{
    [Fact]
    public async Task RevokedBeforeRestart_StillRefusedOnceTheRestartedApiIsFresh()
    {
        var subject = $"user-restart-{Guid.NewGuid():N}";
        var userToken = await env.TokenService.UserAccessTokenAsync(subject, SampleEnvironment.Audience, "orders:read");
        var serviceToken = await env.ServiceTokenAsync("service:status");

        await using (var first = await StartFreshAsync())
        {
            using (var before = await first.GetAsync("/orders", userToken))
            {
                Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            }

            await env.TokenService.TriggerAsync("password_reset", subject);
            await env.TokenService.RevokeAsync(SampleEnvironment.ServiceClientId, env.ServiceSecret, serviceToken);
            await WaitForStatusAsync(first, "/orders", userToken, HttpStatusCode.Unauthorized);
            await WaitForStatusAsync(first, "/service/status", serviceToken, HttpStatusCode.Unauthorized);
        } // stopping acknowledges what it applied: the feed will not send these events again

        await using var restarted = await StartFreshAsync();
        using (var user = await restarted.GetAsync("/orders", userToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, user.StatusCode);
            Assert.Contains("error_description=\"The token has been revoked.\"", user.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        using (var service = await restarted.GetAsync("/service/status", serviceToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, service.StatusCode);
        }

        var fresh = await env.TokenService.UserAccessTokenAsync($"user-other-{Guid.NewGuid():N}", SampleEnvironment.Audience, "orders:read");
        using var other = await restarted.GetAsync("/orders", fresh);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    private async Task<SampleApiInstance> StartFreshAsync()
    {
        var api = await SampleApiInstance.StartAsync(env.TokenService.Issuer, env.SampleApiSecret);
        await SampleEnvironment.WaitUntilAsync(() => api.Services.GetRequiredService<RevocationFeedState>().IsFresh(), TimeSpan.FromSeconds(10));
        return api;
    }

    private static async Task WaitForStatusAsync(SampleApiInstance api, string path, string token, HttpStatusCode expected)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        while (true)
        {
            using var response = await api.GetAsync(path, token);
            if (response.StatusCode == expected)
            {
                return;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"{path} did not answer {expected} within 10 s");
            await Task.Delay(20);
        }
    }
}
