using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.RateLimiting;
using Tessera.Clients;
using Tessera.Keys.Ring;
using Tessera.Revocation;
using Tessera.Server.Demo;
using Tessera.Server.Endpoints;
using Tessera.Server.Logging;
using Tessera.Server.Login;
using Tessera.Server.Revocation;
using Tessera.Server.Sessions;
using Tessera.Storage.Sqlite;
using Tessera.Storage.Sqlite.Clients;
using Tessera.Storage.Sqlite.Keys;
using Tessera.Storage.Sqlite.Settings;
using Tessera.Tokens;

namespace Tessera.Server.Hosting;

/// <summary>Builds the token service: configuration checks first (refusing to start with the fix), then services and endpoints.</summary>
public static class ServerHost
{
    private const string OAuthPolicy = "oauth";

    /// <summary>Creates the application; <paramref name="configure"/> lets tests add configuration or services.</summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(ListeningPolicy.DefaultUrl);
        }

        var options = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        var urls = (builder.Configuration[WebHostDefaults.ServerUrlsKey] ?? ListeningPolicy.DefaultUrl).Split(';', StringSplitOptions.RemoveEmptyEntries);
        if (ListeningPolicy.Check(urls, options.TrustedProxy) is { } refusal)
        {
            throw new InvalidOperationException(refusal);
        }

        // Checked now when configured; otherwise it is the address actually bound (which may be an ephemeral port).
        var configuredIssuer = options.Issuer is null ? null : IssuerOf(options, urls);
        var developmentMode = options.DevelopmentMode ?? builder.Environment.IsDevelopment();
        // Relative to the content root (the project folder under dotnet run), not to wherever the command was typed.
        var databasePath = Path.GetFullPath(options.DatabasePath, builder.Environment.ContentRootPath);
        var dataDirectory = Path.GetDirectoryName(databasePath)!;
        Directory.CreateDirectory(dataDirectory);
        var secrets = Secrets.Load(options, developmentMode, dataDirectory);
        var database = SqliteDatabase.Open(databasePath);
        var policy = new RotationPolicy
        {
            Algorithms = ServerProfiles.Algorithms(options),
            MaxTokenLifetime = TimeSpan.FromHours(1),
            ClockSkew = TimeSpan.FromSeconds(30),
            JwksCacheLifetime = TimeSpan.FromMinutes(15),
        };
        if (options.AccessTokenLifetime <= TimeSpan.Zero || options.AccessTokenLifetime > TimeSpan.FromHours(1))
        {
            throw new InvalidOperationException("Tessera:AccessTokenLifetime must be positive and at most 01:00:00 (default 00:05:00). Use refresh tokens for longer sessions.");
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            k.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            k.AddServerHeader = false;
        });
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(f =>
        {
            f.ValueCountLimit = 64;
            f.ValueLengthLimit = options.MaxRequestBytes;
        });

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(secrets);
        services.AddSingleton(database);
        services.AddSingleton<IKeyStore>(_ => new SqliteKeyStore(database, secrets.KeyEncryptionKey));
        services.AddSingleton(sp => new KeyRing(sp.GetRequiredService<IKeyStore>(), policy, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IClientStore>(sp => new SqliteClientStore(database, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new SecretHashingKey(new SqliteSettings(database).GetOrCreateSecretHashingKeyAsync().GetAwaiter().GetResult()));
        services.AddSingleton(sp => new InMemoryRevocationIndex(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IRevocationIndex>(sp => sp.GetRequiredService<InMemoryRevocationIndex>());
        services.AddSingleton(sp => new ServerProfiles(() => configuredIssuer ?? BoundIssuer(sp, options, urls), policy, options, sp.GetRequiredService<IRevocationIndex>()));
        services.AddSingleton(sp => new TokenIssuer(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new TokenValidator(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<ClientAuthenticator>();
        services.AddSingleton<TokenEndpoint>();
        services.AddSingleton<IntrospectionEndpoint>();
        services.AddTesseraRevocation(database);
        services.AddTesseraSessions(builder.Configuration, database);
        services.AddHostedService<KeyRingRefresher>();
        services.AddHealthChecks();
        services.AddProblemDetails();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(OAuthPolicy, context => RateLimitPartition.GetTokenBucketLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.RateLimitPerSecond * 2,
                    TokensPerPeriod = options.RateLimitPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                }));
        });

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Never a stack trace: an RFC 6749-shaped error with no detail.
            ExceptionHandler = context =>
                OAuthError.ServerError.ToResult().ExecuteAsync(context),
        });
        app.UseRateLimiter();

        app.MapGet("/health", async (KeyRing ring, CancellationToken ct) =>
        {
            await ring.GetJwksAsync(ct);
            return Results.Json(new { status = "healthy" });
        });
        app.MapGet("/.well-known/oauth-authorization-server", DiscoveryEndpoints.Metadata);
        app.MapGet("/.well-known/openid-configuration", DiscoveryEndpoints.Metadata);
        app.MapGet(DiscoveryEndpoints.JwksPath, DiscoveryEndpoints.Jwks);
        app.MapPost("/connect/token", (HttpContext c, TokenEndpoint e) => e.HandleAsync(c)).RequireRateLimiting(OAuthPolicy).DisableAntiforgery();
        app.MapPost("/connect/introspect", (HttpContext c, IntrospectionEndpoint e) => e.HandleAsync(c)).RequireRateLimiting(OAuthPolicy).DisableAntiforgery();
        app.MapPost("/connect/revoke", (HttpContext c, RevocationEndpoint e) => e.HandleAsync(c)).RequireRateLimiting(OAuthPolicy).DisableAntiforgery();
        app.MapPost("/admin/triggers", (HttpContext c, AdminTriggersEndpoint e) => e.CreateAsync(c)).RequireRateLimiting(OAuthPolicy).DisableAntiforgery();
        app.MapGet("/admin/triggers", (HttpContext c, AdminTriggersEndpoint e) => e.ListAsync(c)).RequireRateLimiting(OAuthPolicy);
        app.MapPost("/feed/poll", (HttpContext c, FeedPollEndpoint e) => e.HandleAsync(c)).RequireRateLimiting(OAuthPolicy).DisableAntiforgery();
        app.MapGet("/feed/snapshot", (HttpContext c, FeedPollEndpoint e) => e.HandleSnapshotAsync(c)).RequireRateLimiting(OAuthPolicy);
        app.MapGet("/", () => Results.Redirect(ReturnUrl.Account));
        app.MapGet(ReturnUrl.Account, (HttpContext c, AccountEndpoint e) => e.GetAsync(c)).RequireRateLimiting(OAuthPolicy);
        app.MapGet(LoginEndpoint.Path, (HttpContext c, LoginEndpoint e) => e.Get(c)).RequireRateLimiting(OAuthPolicy);
        app.MapPost(LoginEndpoint.Path, (HttpContext c, LoginEndpoint e) => e.PostAsync(c)).RequireRateLimiting(OAuthPolicy);
        app.MapGet(AuthorizeEndpoint.Path, (HttpContext c, AuthorizeEndpoint e) => e.GetAsync(c)).RequireRateLimiting(OAuthPolicy);
        app.MapPost(AuthorizeEndpoint.Path, (HttpContext c, AuthorizeEndpoint e) => e.PostAsync(c)).RequireRateLimiting(OAuthPolicy);
        app.MapGet(LogoutEndpoint.Path, (HttpContext c, LogoutEndpoint e) => e.GetAsync(c)).RequireRateLimiting(OAuthPolicy);
        app.MapPost(LogoutEndpoint.Path, (HttpContext c, LogoutEndpoint e) => e.PostAsync(c)).RequireRateLimiting(OAuthPolicy);

        app.Lifetime.ApplicationStarted.Register(() => OnStarted(app, options, developmentMode, dataDirectory, secrets));
        return app;
    }

    private static string BoundIssuer(IServiceProvider services, ServerOptions options, string[] urls)
    {
        var bound = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return IssuerOf(options, [bound ?? urls[0]]);
    }

    private static string IssuerOf(ServerOptions options, string[] urls)
    {
        var issuer = (options.Issuer ?? urls[0]).TrimEnd('/');
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new InvalidOperationException($"Tessera:Issuer '{issuer}' must be an absolute URL without query or fragment, e.g. https://id.example.com.");
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !ListeningPolicy.IsLoopback(uri.Host) && !options.TrustedProxy)
        {
            throw new InvalidOperationException($"Tessera:Issuer '{issuer}' must use https:// unless it is a loopback address.");
        }

        return issuer;
    }

    private static void OnStarted(WebApplication app, ServerOptions options, bool developmentMode, string dataDirectory, Secrets secrets)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Tessera.Server");
        var ring = app.Services.GetRequiredService<KeyRing>();
        ring.RefreshAsync().GetAwaiter().GetResult();
        var profiles = app.Services.GetRequiredService<ServerProfiles>();
        ServerLog.Started(logger, profiles.Issuer, options.DatabasePath);
        if (developmentMode)
        {
            ServerLog.DevelopmentMode(logger, dataDirectory);
        }

        if (options.SeedDemo)
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? profiles.Issuer;
            DemoSeeder.SeedAsync(app.Services, address, secrets.NewlyGeneratedAdminKey, Console.Out).GetAwaiter().GetResult();
        }
    }
}
