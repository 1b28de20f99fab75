using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Tessera.AspNetCore.Bearer;

/// <summary>Requires a scope in the token's space-separated <c>scope</c> claim (RFC 9068 §2.2.3).</summary>
public sealed class ScopeRequirement(string scope) : IAuthorizationRequirement
{
    /// <summary>The scope required.</summary>
    public string Scope { get; } = string.IsNullOrWhiteSpace(scope) || scope.Contains(' ', StringComparison.Ordinal)
        ? throw new ArgumentException("A scope is one non-empty word, e.g. \"orders:read\".", nameof(scope))
        : scope;
}

/// <summary>Checks <see cref="ScopeRequirement"/>s and remembers the missing scope for the 403 answer.</summary>
internal sealed class ScopeAuthorizationHandler(IHttpContextAccessor accessor) : AuthorizationHandler<ScopeRequirement>
{
    public const string MissingScopeKey = "Tessera.Bearer.MissingScope";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (Granted(context.User, requirement.Scope))
        {
            context.Succeed(requirement);
        }
        else if ((context.Resource as HttpContext ?? accessor.HttpContext) is { } http && context.User.Identity?.IsAuthenticated == true)
        {
            http.Items[MissingScopeKey] = requirement.Scope;
        }

        return Task.CompletedTask;
    }

    /// <summary>True when a <c>scope</c> claim holds <paramref name="scope"/> as one of its space-separated words.</summary>
    private static bool Granted(System.Security.Claims.ClaimsPrincipal user, string scope)
    {
        foreach (var identity in user.Identities)
        {
            foreach (var claim in identity.Claims)
            {
                if (claim.Type != "scope")
                {
                    continue;
                }

                foreach (var range in claim.Value.AsSpan().Split(' '))
                {
                    if (claim.Value.AsSpan()[range].SequenceEqual(scope))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}

/// <summary>Scope policies: <c>policy.RequireScope("orders:read")</c> and <c>endpoint.RequireScope("orders:read")</c>.</summary>
public static class ScopePolicyExtensions
{
    /// <summary>Requires each scope.</summary>
    public static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder builder, params string[] scopes)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.RequireAuthenticatedUser();
        foreach (var scope in scopes)
        {
            builder.AddRequirements(new ScopeRequirement(scope));
        }

        return builder;
    }

    /// <summary>Requires each scope on this endpoint (authenticated with the default scheme unless <paramref name="scheme"/> is given).</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope, string? scheme = null)
        where TBuilder : IEndpointConventionBuilder
    {
        return builder.RequireAuthorization(policy =>
        {
            if (scheme is not null)
            {
                policy.AddAuthenticationSchemes(scheme);
            }

            policy.RequireScope(scope);
        });
    }
}
