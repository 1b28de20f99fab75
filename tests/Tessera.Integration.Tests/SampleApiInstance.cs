using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.SampleApi;

namespace Tessera.Integration.Tests;

/// <summary>The sample API, started in-process exactly as <c>dotnet run --project samples/Tessera.SampleApi</c> would, on an ephemeral loopback port.</summary>
public sealed class SampleApiInstance : IAsyncDisposable
{
    private SampleApiInstance(WebApplication app, Uri baseAddress, StringWriter banner)
    {
        App = app;
        BaseAddress = baseAddress;
        Banner = banner;
        Http = new HttpClient { BaseAddress = baseAddress };
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public StringWriter Banner { get; }

    public static async Task<SampleApiInstance> StartAsync(string issuer, string? secret, Action<WebApplicationBuilder>? configure = null)
    {
        var args = new List<string> { "--urls", "http://127.0.0.1:0", "--issuer", issuer, "--client-id", SampleEnvironment.SampleApiClientId };
        if (secret is not null)
        {
            args.AddRange(["--client-secret", secret]);
        }

        var banner = new StringWriter();
        var app = SampleApiHost.Create([.. args], banner, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddFilter("Tessera", LogLevel.Trace);
            builder.Logging.AddProvider(LogCapture.Instance);
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SampleApiInstance(app, new Uri(address), banner);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? token) => SendAsync(HttpMethod.Get, path, token);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
