using Tessera.AspNetCore.Revocation;
using Microsoft.Extensions.DependencyInjection;

namespace Tessera.Integration.Tests;

/// <summary>
/// A token service with the demo's clients (a service client for the sample's audience, the sample's own
/// resource-server client) and the sample API next to it, with its client secret so that the revocation feed
/// and introspection are on.
/// </summary>
public class SampleEnvironment : IAsyncLifetime
{
    public const string Audience = "api://sample";
    public const string SampleApiClientId = "sample-api";
    public const string ServiceClientId = "demo-service";

    public TokenServiceHost TokenService { get; private set; } = null!;

    public SampleApiInstance Api { get; private set; } = null!;

    public string ServiceSecret { get; private set; } = null!;

    public string SampleApiSecret { get; private set; } = null!;

    protected virtual bool ConfigureSecret => true;

    protected virtual void Configure(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder)
    {
    }

    public async Task InitializeAsync()
    {
        TokenService = await TokenServiceHost.StartAsync();
        ServiceSecret = await TokenService.AddServiceClientAsync(ServiceClientId, Audience, "orders:read", "service:status");
        SampleApiSecret = await TokenService.AddResourceServerClientAsync(SampleApiClientId);
        Api = await SampleApiInstance.StartAsync(TokenService.Issuer, ConfigureSecret ? SampleApiSecret : null, Configure);
        if (ConfigureSecret)
        {
            await WaitUntilAsync(() => Api.Services.GetRequiredService<RevocationFeedState>().IsFresh(), TimeSpan.FromSeconds(10));
        }
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await TokenService.DisposeAsync();
    }

    public Task<string> ServiceTokenAsync(string? scope = null) => TokenService.ServiceTokenAsync(ServiceClientId, ServiceSecret, scope);

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {timeout}");
            await Task.Delay(10);
        }
    }
}
