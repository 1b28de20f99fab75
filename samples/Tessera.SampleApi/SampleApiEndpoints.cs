using System.Security.Claims;
using Tessera.AspNetCore.Bearer;
using Tessera.AspNetCore.Introspection;
using Tessera.AspNetCore.Revocation;

namespace Tessera.SampleApi;

/// <summary>The sample's endpoints: each states which kind of token it takes, which scope, and which extra checks.</summary>
public static class SampleApiEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // No token: anyone.
        app.MapGet("/public", () => Results.Json(new { message = "Anyone may read this; no token is needed." }));

        // A user's access token (at+jwt) with scope orders:read. Service tokens and ID tokens are refused here.
        app.MapGet("/orders", (ClaimsPrincipal user) => Results.Json(new
        {
            user = user.FindFirstValue("sub"),
            client_id = user.FindFirstValue("client_id"),
            orders = new[] { new { id = "ord-1001", total = 42.50m }, new { id = "ord-1002", total = 7.25m } },
        }))
        .RequireScope("orders:read", SampleApiSchemes.User);

        // The same, for a bulk export: refused (503) whenever the revocation feed has not confirmed the state recently.
        app.MapGet("/orders/export", (ClaimsPrincipal user) => Results.Json(new { user = user.FindFirstValue("sub"), exported = 2 }))
            .RequireScope("orders:read", SampleApiSchemes.User)
            .RequireFreshRevocation();

        // A service token (service+jwt) only: machine-to-machine, never a user's token.
        app.MapGet("/service/status", (ClaimsPrincipal caller) => Results.Json(new
        {
            status = "ok",
            caller = caller.FindFirstValue("client_id"),
        }))
        .RequireScope("service:status", SampleApiSchemes.Service);

        // High-risk: a user's access token with payments:write, confirmed live at the token service (RFC 7662).
        app.MapPost("/payments", (ClaimsPrincipal user) => Results.Json(
            new { payment = "pay-" + Guid.NewGuid().ToString("N")[..12], user = user.FindFirstValue("sub"), status = "accepted" },
            statusCode: StatusCodes.Status201Created))
            .RequireScope("payments:write", SampleApiSchemes.User)
            .RequireIntrospection()
            .DisableAntiforgery();
    }
}
