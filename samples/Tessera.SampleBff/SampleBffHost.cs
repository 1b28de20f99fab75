using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Tessera.AspNetCore.Bff;

namespace Tessera.SampleBff;

/// <summary>Builds the demo BFF; <c>Program</c> runs it, the browser tests start it in-process.</summary>
public static class SampleBffHost
{
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Creates the application. <paramref name="configure"/> lets tests add configuration or services; <paramref name="output"/> receives the start-up banner.</summary>
    public static WebApplication Create(string[] args, TextWriter? output = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var settings = SampleBffSettings.From(builder.Configuration);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(settings.Urls);
        }

        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        var data = Path.GetFullPath(settings.DataDirectory);
        builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(data, "bff-keys")));
        builder.Services.AddTesseraBff(o =>
        {
            o.Authority = settings.Authority;
            o.ClientId = settings.ClientId;
            o.ClientSecret = settings.ClientSecret;
            o.Scopes.Add("orders:read");
            o.ApiAudience = settings.Audience;
            o.ApiBaseAddress = settings.Api;
            o.SessionDatabasePath = Path.Combine(data, "bff-sessions.db");
        });

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            await next();
        });
        app.MapTesseraBff("/bff");
        DemoPage.Map(app);
        if (output is not null)
        {
            app.Lifetime.ApplicationStarted.Register(() => PrintBanner(app, settings, output));
        }

        return app;
    }

    private static void PrintBanner(WebApplication app, SampleBffSettings settings, TextWriter output)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? settings.Urls;
        output.WriteLine($$"""

            ──────────────────────────────────────────────────────────────────────────────
             Tessera demo browser app (through the BFF) on {{address}}
             signs users in at {{settings.Authority}} as client '{{settings.ClientId}}', calls {{settings.Api}} for {{settings.Audience}}

               open {{address}}/ in a browser and sign in as the demo user the token service printed
               the browser holds only the __Host- session cookie; tokens stay in {{settings.DataDirectory}}/bff-sessions.db
            ──────────────────────────────────────────────────────────────────────────────

            """);
    }
}
