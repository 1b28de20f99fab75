using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Jwks;
using Tessera.Jose;
using Tessera.Revocation;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Revocation;

/// <summary><c>services.AddTesseraRevocationFeed(options => …)</c>.</summary>
public static class RevocationFeedServiceCollectionExtensions
{
    /// <summary>
    /// Registers the in-memory revocation index (which every Tessera bearer scheme then consults), the
    /// <see cref="RevocationFeedSubscriber"/> that keeps it current from the token service's feed, its
    /// <see cref="RevocationFeedState"/> and metrics. The options are validated at start-up.
    /// </summary>
    public static IServiceCollection AddTesseraRevocationFeed(this IServiceCollection services, Action<RevocationFeedOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<RevocationFeedOptions>()
            .Configure(configure)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RevocationFeedOptions>, RevocationFeedOptionsValidator>());
        services.AddHttpClient(RevocationFeedSubscriber.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddHttpClient(JwksClient.HttpClientName);
        services.AddMetrics();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new InMemoryRevocationIndex(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IRevocationIndex>(sp => sp.GetRequiredService<InMemoryRevocationIndex>());
        services.TryAddSingleton(sp => new RevocationFeedState(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<RevocationFeedOptions>>().Value.MaxStaleness));
        services.TryAddSingleton<RevocationFeedMetrics>();
        services.AddHostedService(Create);
        return services;
    }

    private static RevocationFeedSubscriber Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<RevocationFeedOptions>>().Value;
        var index = services.GetRequiredService<InMemoryRevocationIndex>();
        if (!ReferenceEquals(services.GetRequiredService<IRevocationIndex>(), index))
        {
            throw new InvalidOperationException(
                "The revocation feed writes to the registered InMemoryRevocationIndex, but IRevocationIndex resolves to another object, so the bearer handler would never see the feed's revocations. " +
                "Register IRevocationIndex as the InMemoryRevocationIndex singleton, or leave both to AddTesseraRevocationFeed.");
        }

        var time = services.GetRequiredService<TimeProvider>();
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var meters = services.GetRequiredService<IMeterFactory>();
        var algorithms = options.AllowedAlgorithms.Count > 0 ? options.AllowedAlgorithms.ToArray() : [JwsAlgorithm.ES256];
        var jwks = new JwksClientOptions { Issuer = options.IssuerTrimmed, RequireHttps = options.RequireHttps };
        var profile = new TokenProfileOptions();
        profile.Issuers.Add(options.IssuerTrimmed);
        profile.Audiences.Add(options.EffectiveAudience);
        foreach (var algorithm in algorithms)
        {
            jwks.AllowedAlgorithms.Add(algorithm);
            profile.AllowedAlgorithms.Add(algorithm);
        }

        var metrics = services.GetRequiredService<RevocationFeedMetrics>();
        var logger = loggers.CreateLogger<RevocationFeedSubscriber>();
        return new RevocationFeedSubscriber(
            options,
            services.GetRequiredService<IHttpClientFactory>(),
            new JwksClient(jwks, services.GetRequiredService<IHttpClientFactory>(), time, loggers, meters),
            new SecurityEventApplier(TokenProfile.Create(TokenKind.SecurityEvent, profile), index, time, logger, metrics),
            services.GetRequiredService<RevocationFeedState>(),
            metrics,
            time,
            logger);
    }

    private sealed class RevocationFeedOptionsValidator : IValidateOptions<RevocationFeedOptions>
    {
        public ValidateOptionsResult Validate(string? name, RevocationFeedOptions options)
        {
            var problems = options.Check();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
