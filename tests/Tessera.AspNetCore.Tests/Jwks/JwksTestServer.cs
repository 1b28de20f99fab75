using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Tests.Jwks;

/// <summary>A real Kestrel server on 127.0.0.1 with an ephemeral port, whose routes a test swaps at will and whose requests it counts.</summary>
internal sealed class JwksTestServer : IAsyncDisposable
{
    public const string JwksPath = "/jwks.json";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    private JwksTestServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public Uri JwksUri => new(BaseUri, JwksPath);

    /// <summary>Cancelled when the server is disposed; handlers that hang wait on it.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public static async Task<JwksTestServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        JwksTestServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new JwksTestServer(app, new Uri(address.TrimEnd('/') + "/"));
        return server;
    }

    public int Requests(string path = JwksPath) => _requests.GetValueOrDefault(path);

    public void Route(string path, Func<HttpContext, Task> handler) => _routes[path] = handler;

    /// <summary>Serves <paramref name="json"/> at <paramref name="path"/> with the given Cache-Control (none when null).</summary>
    public void ServeJson(string json, string? cacheControl = "max-age=300", string path = JwksPath) =>
        Route(path, context => WriteJsonAsync(context, json, cacheControl));

    public void ServeStatus(int status, string path = JwksPath) =>
        Route(path, context =>
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        });

    public static async Task WriteJsonAsync(HttpContext context, string json, string? cacheControl)
    {
        context.Response.ContentType = "application/json";
        if (cacheControl is not null)
        {
            context.Response.Headers.CacheControl = cacheControl;
        }

        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    /// <summary>Waits (in real time, at most 10 s) until <paramref name="path"/> has been requested <paramref name="count"/> times.</summary>
    public async Task WaitForRequestsAsync(int count, string path = JwksPath)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Requests(path) < count)
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    private Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        _requests.AddOrUpdate(path, 1, (_, n) => n + 1);
        if (_routes.TryGetValue(path, out var handler))
        {
            return handler(context);
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
