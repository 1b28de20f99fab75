using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests.Audit;

/// <summary>
/// A real Kestrel server on 127.0.0.1 with an ephemeral port, serving issuers for <c>tessera audit</c>:
/// <c>/good</c> (a sound discovery document and JWKS), <c>/broken</c> (every planted flaw), and issuers that
/// break the fetch limits. <c>/trap/…</c> counts requests, to prove inspect and lint fetch nothing.
/// </summary>
public sealed class IssuerServer : IAsyncLifetime
{
    public const string ForeignIssuer = "https://other.example.test";

    private WebApplication? _app;
    private int _trapHits;

    public string BaseUrl { get; private set; } = string.Empty;

    public int TrapHits => Volatile.Read(ref _trapHits);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var goodJwks = Corpus.GoodJwks();
        var badJwks = Corpus.BadJwks();

        app.MapGet("/good/.well-known/openid-configuration", () => Json(Corpus.GoodDiscovery(BaseUrl + "/good", BaseUrl + "/good/jwks")));
        app.MapGet("/good/jwks", () => Json(goodJwks));
        app.MapGet("/broken/.well-known/openid-configuration", () => Json(Corpus.BadDiscovery(ForeignIssuer, BaseUrl + "/broken/jwks")));
        app.MapGet("/broken/jwks", () => Json(badJwks));
        app.MapGet("/no-jwks/.well-known/openid-configuration", () => Json(Corpus.GoodDiscovery(BaseUrl + "/no-jwks", BaseUrl + "/no-jwks/missing")));
        app.MapGet("/empty-jwks/.well-known/openid-configuration", () => Json(Corpus.GoodDiscovery(BaseUrl + "/empty-jwks", BaseUrl + "/empty-jwks/jwks")));
        app.MapGet("/empty-jwks/jwks", () => Json("""{"keys":[]}"""));
        app.MapGet("/huge/.well-known/openid-configuration", () => Json("{\"issuer\":\"" + new string('a', 2 * 1024 * 1024) + "\"}"));
        app.MapGet("/redirect/.well-known/openid-configuration", () => Results.Redirect("http://tessera.invalid/.well-known/openid-configuration"));
        app.MapGet("/slow/.well-known/openid-configuration", async (HttpContext context) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
            return Json("{}");
        });
        app.MapGet("/trap/{**rest}", () =>
        {
            Interlocked.Increment(ref _trapHits);
            return Json("""{"keys":[]}""");
        });

        await app.StartAsync();
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _app = app;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static IResult Json(string body) => Results.Content(body, "application/json");
}
