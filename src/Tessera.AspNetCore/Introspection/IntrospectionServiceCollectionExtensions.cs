using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Tessera.AspNetCore.Introspection;

/// <summary><c>services.AddTesseraIntrospection(options => …)</c>.</summary>
public static class IntrospectionServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="IntrospectionClient"/> that Tessera bearer schemes use on endpoints marked
    /// <c>RequireIntrospection()</c>. The options are validated at start-up.
    /// </summary>
    public static IServiceCollection AddTesseraIntrospection(this IServiceCollection services, Action<IntrospectionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<IntrospectionOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IntrospectionOptions>, IntrospectionOptionsValidator>());
        services.AddHttpClient(IntrospectionClient.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddMetrics();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new IntrospectionClient(
            sp.GetRequiredService<IOptions<IntrospectionOptions>>(),
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IMeterFactory>(),
            sp.GetRequiredService<ILogger<IntrospectionClient>>()));
        return services;
    }

    private sealed class IntrospectionOptionsValidator : IValidateOptions<IntrospectionOptions>
    {
        public ValidateOptionsResult Validate(string? name, IntrospectionOptions options)
        {
            var problems = options.Check();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
