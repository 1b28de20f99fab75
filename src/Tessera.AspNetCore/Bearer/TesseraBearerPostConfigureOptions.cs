using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Diagnostics;
using Tessera.AspNetCore.Introspection;
using Tessera.AspNetCore.Jwks;
using Tessera.AspNetCore.Revocation;
using Tessera.Jose;
using Tessera.Revocation;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Bearer;

/// <summary>Builds each scheme's immutable token profile and JWKS client from its options, once, at start-up.</summary>
internal sealed class TesseraBearerPostConfigureOptions(IServiceProvider services) : IPostConfigureOptions<TesseraBearerOptions>
{
    public void PostConfigure(string? name, TesseraBearerOptions options)
    {
        if (TesseraBearerOptionsValidator.Check(name, options).Count > 0)
        {
            return; // the validator reports the problems at start-up
        }

        if (options.Keys is null && options.AllowedAlgorithms.Count == 0)
        {
            options.AllowedAlgorithms.Add(JwsAlgorithm.ES256);
        }

        var profile = new TokenProfileOptions
        {
            Keys = options.Keys,
            ClockSkew = options.ClockSkew,
            Revocation = options.Revocation ?? services.GetService<IRevocationIndex>(),
        };
        profile.Issuers.Add(options.Issuer!);
        profile.Audiences.Add(options.Audience!);
        foreach (var algorithm in options.AllowedAlgorithms)
        {
            profile.AllowedAlgorithms.Add(algorithm);
        }

        foreach (var scope in options.RequiredScopes)
        {
            profile.RequiredScopes.Add(scope);
        }

        options.ConfigureProfile?.Invoke(profile);
        options.Profile = TokenProfile.Create(options.Kind, profile);
        options.Analyzer = services.GetService<FailureSignalAnalyzer>();
        options.FeedState = services.GetService<RevocationFeedState>();
        options.Introspection = services.GetService<IntrospectionClient>();

        if (options.Keys is null)
        {
            var jwks = new JwksClientOptions { Issuer = options.Issuer };
            foreach (var algorithm in options.Profile.AllowedAlgorithms)
            {
                jwks.AllowedAlgorithms.Add(algorithm);
            }

            options.ConfigureJwks?.Invoke(jwks);
            options.JwksClient = new JwksClient(
                jwks,
                services.GetRequiredService<IHttpClientFactory>(),
                services.GetService<TimeProvider>() ?? TimeProvider.System,
                services.GetService<ILoggerFactory>(),
                services.GetService<IMeterFactory>());
        }
    }
}
