using System.Diagnostics;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Tessera.ApiLoad;

/// <summary>
/// The authentication and authorization work of one request, without Kestrel and HTTP: the endpoint's policy is
/// evaluated on an in-memory HttpContext against each API's own services. Single-threaded, so the figure is CPU
/// time per request and other load on the machine disturbs it less than a throughput run.
/// </summary>
internal static class HandlerOnly
{
    public static async Task<double> MicrosecondsPerRequestAsync(WebApplication app, string path, string token, int iterations)
    {
        var endpoint = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Single(e => e.RoutePattern.RawText == path);
        var policy = await AuthorizationPolicy.CombineAsync(
            app.Services.GetRequiredService<IAuthorizationPolicyProvider>(),
            endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(),
            endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>());
        var evaluator = app.Services.GetRequiredService<IPolicyEvaluator>();
        var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();
        var header = "Bearer " + token;

        async Task OnceAsync()
        {
            using var scope = scopes.CreateScope();
            var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            context.Request.Path = path;
            context.Request.Headers.Authorization = header;
            context.SetEndpoint(endpoint);
            var authenticated = await evaluator.AuthenticateAsync(policy!, context);
            var authorized = await evaluator.AuthorizeAsync(policy!, authenticated, context, endpoint);
            if (!authorized.Succeeded)
            {
                throw new InvalidOperationException($"{path} refused the token: the comparison would be meaningless.");
            }
        }

        for (var i = 0; i < 2_000; i++)
        {
            await OnceAsync();
        }

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            await OnceAsync();
        }

        return clock.Elapsed.TotalMicroseconds / iterations;
    }
}
