using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Tessera.AspNetCore.Bff;

/// <summary><c>services.AddTesseraBff(o => …)</c> and <c>app.MapTesseraBff("/bff")</c>.</summary>
public static class TesseraBffExtensions
{
    /// <summary>
    /// Adds the BFF: options checked at start-up, Data Protection for tokens at rest, and the session store — SQLite
    /// by default, the registered <see cref="IDistributedCache"/> with <see cref="TesseraBffOptions.UseDistributedCache"/>,
    /// or any <see cref="IBffSessionStore"/> registered before this call.
    /// </summary>
    public static IServiceCollection AddTesseraBff(this IServiceCollection services, Action<TesseraBffOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<TesseraBffOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TesseraBffOptions>, TesseraBffOptionsValidator>());
        services.AddDataProtection();
        services.AddHttpClient(TesseraBffDefaults.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        services.AddHttpClient(Jwks.JwksClient.HttpClientName);
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IBffSessionStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TesseraBffOptions>>().Value;
            return options.UseDistributedCache
                ? new DistributedCacheBffSessionStore(sp.GetService<IDistributedCache>()
                    ?? throw new InvalidOperationException("TesseraBff: UseDistributedCache is set but no IDistributedCache is registered; add one (e.g. AddStackExchangeRedisCache)."))
                : new SqliteBffSessionStore(options.SessionDatabasePath, sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton<BffMetrics>();
        services.TryAddSingleton<BffSessions>();
        services.TryAddSingleton<BffTokenClient>();
        services.TryAddSingleton<BffIdTokenValidator>();
        services.TryAddSingleton<BffAccessTokens>();
        services.TryAddSingleton<BffLoginEndpoints>();
        services.TryAddSingleton<BffUserEndpoints>();
        services.TryAddSingleton<BffApiForwarder>();
        return services;
    }

    /// <summary>
    /// Maps <c>{prefix}/login</c>, <c>/callback</c>, <c>/user</c>, <c>/logout</c> (POST) and <c>/api/{**path}</c>. Every
    /// route but login and callback (browser navigations) requires the <c>X-CSRF: 1</c> header and answers 403 without it.
    /// </summary>
    public static RouteGroupBuilder MapTesseraBff(this IEndpointRouteBuilder endpoints, string prefix = "/bff")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        prefix = "/" + prefix.Trim('/');
        var group = endpoints.MapGroup(prefix);
        group.MapGet("/login", (HttpContext c, BffLoginEndpoints e) => e.LoginAsync(c, prefix));
        group.MapGet("/callback", (HttpContext c, BffLoginEndpoints e) => e.CallbackAsync(c));

        var protectedRoutes = group.MapGroup(string.Empty).AddEndpointFilter(RequireAntiCsrfHeader);
        protectedRoutes.MapGet("/user", (HttpContext c, BffUserEndpoints e) => e.UserAsync(c));
        protectedRoutes.MapPost("/logout", (HttpContext c, BffUserEndpoints e) => e.LogoutAsync(c)).DisableAntiforgery();
        protectedRoutes.Map("/api/{**path}", async (HttpContext c, string? path, BffApiForwarder f) =>
        {
            await f.ForwardAsync(c, path);
            return Results.Empty;
        }).DisableAntiforgery();
        return group;
    }

    private static async ValueTask<object?> RequireAntiCsrfHeader(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        if (context.Request.Headers[TesseraBffDefaults.AntiCsrfHeaderName] != TesseraBffDefaults.AntiCsrfHeaderValue)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TesseraBffExtensions).FullName!);
            LoggingExtensions.AntiCsrfMissing(logger, TesseraBffDefaults.AntiCsrfHeaderName, context.Request.Method, context.Request.Path);
            context.RequestServices.GetRequiredService<BffMetrics>().Refused("anti_csrf_header_missing");
            return Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Missing anti-CSRF header",
                detail: $"Calls to the BFF must carry the header {TesseraBffDefaults.AntiCsrfHeaderName}: {TesseraBffDefaults.AntiCsrfHeaderValue}.");
        }

        return await next(invocation);
    }
}
