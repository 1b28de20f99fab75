using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Revocation;

namespace Tessera.ApiLoad;

/// <summary>
/// The sample API's <c>GET /service/status</c> behind ASP.NET Core's JwtBearer, configured to make the same checks as
/// Tessera's service-token profile: issuer, audience, <c>typ</c> <c>service+jwt</c>, ES256 only, signed, <c>exp</c>
/// required with 30 s skew, <c>iat</c> not in the future, lifetime at most 60 minutes, <c>sub</c>, <c>jti</c>,
/// <c>client_id</c> required and <c>sub</c> = <c>client_id</c>, a revocation lookup, and the scope policy.
/// </summary>
internal static class JwtBearerTwin
{
    public static WebApplication Create(string urls, string issuer, string audience, IRevocationIndex revocation)
    {
        // The same host builder as the sample, so the two differ by their authentication handler only.
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication().AddJwtBearer("Service", options =>
        {
            options.Authority = issuer;
            options.RequireHttpsMetadata = false; // loopback only
            options.MapInboundClaims = false;
            var p = options.TokenValidationParameters;
            p.ValidIssuer = issuer;
            p.ValidAudience = audience;
            p.ValidTypes = ["service+jwt"];
            p.ValidAlgorithms = ["ES256"];
            p.RequireExpirationTime = true;
            p.RequireSignedTokens = true;
            p.ClockSkew = TimeSpan.FromSeconds(30);
            options.Events = new JwtBearerEvents { OnTokenValidated = Check(revocation) };
        });
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/service/status", (ClaimsPrincipal caller) => Results.Json(new { status = "ok", caller = caller.FindFirstValue("client_id") }))
            .RequireAuthorization(policy => policy
                .AddAuthenticationSchemes("Service")
                .RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.FindAll("scope").Any(s => s.Value.Split(' ').Contains("service:status", StringComparer.Ordinal))));
        return app;
    }

    private static Func<TokenValidatedContext, Task> Check(IRevocationIndex revocation) => context =>
    {
        var user = context.Principal!;
        var sub = user.FindFirstValue("sub");
        var clientId = user.FindFirstValue("client_id");
        var jti = user.FindFirstValue("jti");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (sub is null || clientId is null || jti is null
            || !long.TryParse(user.FindFirstValue("iat"), out var iat)
            || !long.TryParse(user.FindFirstValue("exp"), out var exp))
        {
            context.Fail("missing_claim");
            return Task.CompletedTask;
        }

        var query = new RevocationQuery(sub, user.FindFirstValue("tid"), clientId, jti, iat);
        if (sub != clientId)
        {
            context.Fail("wrong_type");
        }
        else if (iat > now + 30 || exp - iat > 3600)
        {
            context.Fail("invalid_claim");
        }
        else if (revocation.IsRevoked(in query))
        {
            context.Fail("revoked");
        }

        return Task.CompletedTask;
    };
}
