using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Tessera.AspNetCore.Jwks;

/// <summary>Registers a <see cref="JwksClient"/> with dependency injection.</summary>
public static class JwksClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers one singleton <see cref="JwksClient"/> configured by <paramref name="configure"/>, its named
    /// <see cref="HttpClient"/> (<see cref="JwksClient.HttpClientName"/>), and start-up validation of the options:
    /// the host refuses to start with options that cannot work, and says how to fix them.
    /// </summary>
    public static IServiceCollection AddTesseraJwksClient(this IServiceCollection services, Action<JwksClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<JwksClientOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwksClientOptions>, JwksClientOptionsValidator>());
        services.AddHttpClient(JwksClient.HttpClientName);
        services.AddMetrics();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new JwksClient(
            sp.GetRequiredService<IOptions<JwksClientOptions>>().Value,
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<IMeterFactory>()));
        return services;
    }
}
