using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Tessera.AspNetCore.Bearer;
using Tessera.AspNetCore.Introspection;
using Tessera.AspNetCore.Revocation;
using Tessera.AspNetCore.Tests.Support;
using Tessera.Jose;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Tests.Bearer;

/// <summary>An API on loopback with a Tessera bearer scheme over configured keys, and endpoints for each demand.</summary>
internal sealed class BearerTestApi : IAsyncDisposable
{
    public const string Issuer = "https://id.example";
    public const string Audience = "api://orders";

    private BearerTestApi(WebApplication app, FakeLogCollector logs, TestSigner signer)
    {
        App = app;
        Logs = logs;
        Signer = signer;
        Http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
    }

    public WebApplication App { get; }

    public FakeLogCollector Logs { get; }

    public TestSigner Signer { get; }

    public HttpClient Http { get; }

    public static async Task<BearerTestApi> StartAsync(
        Action<TesseraBearerOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        TestSigner? signer = null)
    {
        signer ??= new TestSigner("k1");
        var logs = new FakeLogCollector();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs));
        builder.Services.AddAuthentication()
            .AddTesseraBearer(o =>
            {
                o.Issuer = Issuer;
                o.Audience = Audience;
                o.Keys = signer.Keys;
                configure?.Invoke(o);
            })
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, AlwaysAuthenticatedHandler>("Other", null);
        builder.Services.AddAuthorization();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/orders", (System.Security.Claims.ClaimsPrincipal user) => Results.Json(user.Claims.Select(c => new[] { c.Type, c.Value })))
            .RequireScope("orders:read", TesseraBearerDefaults.AuthenticationScheme);
        app.MapGet("/fresh", () => "ok").RequireScope("orders:read", TesseraBearerDefaults.AuthenticationScheme).RequireFreshRevocation();
        app.MapGet("/fresh-5s", () => "ok").RequireScope("orders:read", TesseraBearerDefaults.AuthenticationScheme).RequireFreshRevocation(TimeSpan.FromSeconds(5));
        app.MapGet("/pay", () => "ok").RequireScope("orders:read", TesseraBearerDefaults.AuthenticationScheme).RequireIntrospection();
        app.MapGet("/fresh-other-scheme", () => "ok").RequireAuthorization(p => p.AddAuthenticationSchemes("Other").RequireAuthenticatedUser()).RequireFreshRevocation();
        await app.StartAsync();
        return new BearerTestApi(app, logs, signer);
    }

    /// <summary>An access token as the issuer would sign it; <paramref name="tweak"/> edits the claims.</summary>
    public string Token(Action<Dictionary<string, object>>? tweak = null, string typ = "at+jwt", string? kid = null, TestSigner? signer = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["sub"] = "user-1",
            ["aud"] = Audience,
            ["client_id"] = "web-app",
            ["scope"] = "orders:read",
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["iat"] = now,
            ["exp"] = now + 300,
        };
        tweak?.Invoke(claims);
        return (signer ?? Signer).Sign(System.Text.Json.JsonSerializer.Serialize(claims), typ, kid);
    }

    public async Task<HttpResponseMessage> GetAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Signer.Dispose();
    }

    /// <summary>A scheme that authenticates every request, to prove demands cannot be met through a scheme that does not check them.</summary>
    private sealed class AlwaysAuthenticatedHandler(
        Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions> options,
        ILoggerFactory logger,
        System.Text.Encodings.Web.UrlEncoder encoder)
        : Microsoft.AspNetCore.Authentication.AuthenticationHandler<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<Microsoft.AspNetCore.Authentication.AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(Microsoft.AspNetCore.Authentication.AuthenticateResult.Success(new Microsoft.AspNetCore.Authentication.AuthenticationTicket(
                new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("sub", "x")], "Other")), "Other")));
    }
}
