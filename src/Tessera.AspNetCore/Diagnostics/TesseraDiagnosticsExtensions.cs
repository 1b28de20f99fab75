using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Bearer;

namespace Tessera.AspNetCore.Diagnostics;

/// <summary><c>services.AddTesseraDiagnostics()</c> and <c>app.MapTesseraDiagnostics()</c>.</summary>
public static class TesseraDiagnosticsExtensions
{
    /// <summary>
    /// Registers the <see cref="FailureSignalAnalyzer"/>, which every Tessera bearer scheme then feeds with its rejected
    /// tokens, and the <see cref="TesseraDiagnosticsDefaults.PolicyName"/> authorization policy (an authenticated caller
    /// with scope <see cref="TesseraDiagnosticsDefaults.Scope"/>) unless the application defines that policy itself.
    /// </summary>
    public static IServiceCollection AddTesseraDiagnostics(this IServiceCollection services, Action<FailureSignalAnalyzerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<FailureSignalAnalyzerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.Check().Count == 0, "Tessera diagnostics options are out of range; the analyser's constructor message lists each problem.").ValidateOnStart();
        services.AddMetrics();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DiagnosticsMetrics>();
        services.TryAddSingleton(sp => new FailureSignalAnalyzer(
            sp.GetRequiredService<IOptions<FailureSignalAnalyzerOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<FailureSignalAnalyzer>>(),
            sp.GetRequiredService<DiagnosticsMetrics>()));
        services.AddAuthorization();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<AuthorizationOptions>, DefaultDiagnosticsPolicy>());
        return services;
    }

    /// <summary>
    /// Maps <c>GET <paramref name="pattern"/></c>: the analyser's findings and clock estimates as JSON, for callers the
    /// <see cref="TesseraDiagnosticsDefaults.PolicyName"/> policy admits. Never mapped implicitly.
    /// </summary>
    public static IEndpointConventionBuilder MapTesseraDiagnostics(this IEndpointRouteBuilder endpoints, string pattern = TesseraDiagnosticsDefaults.Pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<FailureSignalAnalyzer>() is null)
        {
            throw new InvalidOperationException("MapTesseraDiagnostics needs the analyser: call builder.Services.AddTesseraDiagnostics() before building the app.");
        }

        return endpoints.MapGet(pattern, (FailureSignalAnalyzer analyzer, TimeProvider time, HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return Results.Json(new DiagnosticsReport(time.GetUtcNow(), analyzer.GetFindings(), analyzer.EstimateClockDrifts()));
        })
        .RequireAuthorization(TesseraDiagnosticsDefaults.PolicyName)
        .WithName("TesseraDiagnostics");
    }

    private sealed record DiagnosticsReport(
        [property: System.Text.Json.Serialization.JsonPropertyName("generated_at")] DateTimeOffset GeneratedAt,
        [property: System.Text.Json.Serialization.JsonPropertyName("findings")] IReadOnlyList<DiagnosticFinding> Findings,
        [property: System.Text.Json.Serialization.JsonPropertyName("clock_drift")] IReadOnlyList<ClockDriftEstimate> ClockDrift);

    /// <summary>Adds the default policy only when the application has not defined one under the same name.</summary>
    private sealed class DefaultDiagnosticsPolicy : IPostConfigureOptions<AuthorizationOptions>
    {
        public void PostConfigure(string? name, AuthorizationOptions options)
        {
            if (options.GetPolicy(TesseraDiagnosticsDefaults.PolicyName) is null)
            {
                options.AddPolicy(TesseraDiagnosticsDefaults.PolicyName, policy => policy.RequireScope(TesseraDiagnosticsDefaults.Scope));
            }
        }
    }
}
