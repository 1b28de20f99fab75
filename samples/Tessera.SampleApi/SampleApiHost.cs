using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Tessera.AspNetCore.Bearer;
using Tessera.AspNetCore.Diagnostics;
using Tessera.AspNetCore.Introspection;
using Tessera.AspNetCore.Revocation;
using Tessera.Tokens;

namespace Tessera.SampleApi;

/// <summary>Builds the sample API; <c>Program</c> runs it, tests and the load benchmark start it in-process.</summary>
public static class SampleApiHost
{
    /// <summary>Creates the application. <paramref name="configure"/> lets tests add configuration or services; <paramref name="output"/> receives the start-up banner.</summary>
    public static WebApplication Create(string[] args, TextWriter? output = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var settings = SampleApiSettings.From(builder.Configuration);

        // ASP.NET Core's request logs carry the query string, where a misbehaving client may put a token
        // (this API refuses it with 400, but the request line would already be logged). Keep them off.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        // The feed, JWKS and introspection clients' HTTP traffic is routine; Tessera logs what matters about it.
        builder.Logging.AddFilter("System.Net.Http.HttpClient.Tessera", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(settings.Urls);
        }

        // Two schemes, one per kind of token, and no default: an endpoint names the scheme it accepts, so a
        // service token is never tried (and logged as a failure) against the user scheme or the other way round.
        builder.Services.AddAuthentication()
            .AddTesseraBearer(SampleApiSchemes.User, options =>
            {
                options.Kind = TokenKind.Access;
                options.Issuer = settings.Issuer;
                options.Audience = settings.Audience;
            })
            .AddTesseraBearer(SampleApiSchemes.Service, options =>
            {
                options.Kind = TokenKind.Service;
                options.Issuer = settings.Issuer;
                options.Audience = settings.Audience;
            });

        // Findings are for operators: here any service token with service:status may read them. Use a dedicated scope in production.
        builder.Services.AddAuthorization(options => options.AddPolicy(
            TesseraDiagnosticsDefaults.PolicyName,
            policy => policy.AddAuthenticationSchemes(SampleApiSchemes.Service).RequireScope("service:status")));
        builder.Services.AddTesseraDiagnostics();

        if (settings.ClientSecret is { } secret)
        {
            builder.Services.AddTesseraRevocationFeed(options =>
            {
                options.Issuer = settings.Issuer;
                options.ClientId = settings.ClientId;
                options.ClientSecret = secret;
            });
            builder.Services.AddTesseraIntrospection(options =>
            {
                options.Issuer = settings.Issuer;
                options.ClientId = settings.ClientId;
                options.ClientSecret = secret;
            });
        }

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        SampleApiEndpoints.Map(app);
        app.MapTesseraDiagnostics();
        if (output is not null)
        {
            app.Lifetime.ApplicationStarted.Register(() => PrintBanner(app, settings, output));
        }

        return app;
    }

    private static void PrintBanner(WebApplication app, SampleApiSettings settings, TextWriter output)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? settings.Urls;
        var features = settings.ClientSecret is null
            ? $"""
                revocation feed   OFF   introspection   OFF
                  {SampleApiSettings.SecretVariable} is not set, so this API cannot authenticate to the token service as '{settings.ClientId}'.
                  - POST /payments and GET /orders/export fail closed: they answer 503.
                  - A token revoked at the token service is still accepted here until it expires (minutes).
                  Set {SampleApiSettings.SecretVariable} to the '{settings.ClientId}' secret the token service printed on its first run.
               """
            : $"""
                revocation feed   ON    introspection   ON    (as client '{settings.ClientId}')
               """;
        var api = address.TrimEnd('/');
        output.WriteLine($$"""

            ──────────────────────────────────────────────────────────────────────────────
             Tessera sample API on {{address}}
             trusts issuer {{settings.Issuer}} for audience {{settings.Audience}}

               GET  /public           no token
               GET  /orders           user access token, scope orders:read
               GET  /orders/export    the same, refused while revocation state is stale
               GET  /service/status   service token only, scope service:status
               POST /payments         user access token, scope payments:write, live introspection
               GET  {{TesseraDiagnosticsDefaults.Pattern}}   the failure-signal analyser's findings (service:status)

            """);
        output.WriteLine(features);
        output.WriteLine($$"""

             Try it with the demo service client (its secret was printed by the token service on first run):
               TOKEN=$(curl -s -u demo-service:SECRET -d grant_type=client_credentials -d resource={{settings.Audience}} {{settings.Issuer}}/connect/token | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
               curl -i -H "Authorization: Bearer $TOKEN" {{api}}/service/status    # 200
               curl -i -H "Authorization: Bearer $TOKEN" {{api}}/orders            # 401: a service token is not a user's
            ──────────────────────────────────────────────────────────────────────────────

            """);
    }
}
