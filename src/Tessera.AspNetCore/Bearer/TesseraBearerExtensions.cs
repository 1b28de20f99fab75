using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Jwks;

namespace Tessera.AspNetCore.Bearer;

/// <summary><c>services.AddAuthentication().AddTesseraBearer(options => …)</c>.</summary>
public static class TesseraBearerExtensions
{
    /// <summary>Adds the bearer scheme under <see cref="TesseraBearerDefaults.AuthenticationScheme"/>.</summary>
    public static AuthenticationBuilder AddTesseraBearer(this AuthenticationBuilder builder, Action<TesseraBearerOptions> configure) =>
        builder.AddTesseraBearer(TesseraBearerDefaults.AuthenticationScheme, configure);

    /// <summary>Adds a bearer scheme named <paramref name="scheme"/> (e.g. one for user tokens, one for service tokens).</summary>
    public static AuthenticationBuilder AddTesseraBearer(this AuthenticationBuilder builder, string scheme, Action<TesseraBearerOptions> configure) =>
        builder.AddTesseraBearer(scheme, displayName: null, configure);

    /// <summary>Adds a bearer scheme; every overload ends here.</summary>
    public static AuthenticationBuilder AddTesseraBearer(this AuthenticationBuilder builder, string scheme, string? displayName, Action<TesseraBearerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddHttpClient(JwksClient.HttpClientName);
        services.AddHttpContextAccessor();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TesseraBearerMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<TesseraBearerOptions>, TesseraBearerPostConfigureOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TesseraBearerOptions>, TesseraBearerOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, ScopeAuthorizationHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, BearerCheckAuthorizationHandler>());
        services.AddOptions<TesseraBearerOptions>(scheme).ValidateOnStart();
        return builder.AddScheme<TesseraBearerOptions, TesseraBearerHandler>(scheme, displayName, configure);
    }
}
