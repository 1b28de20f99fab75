using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Tessera.AspNetCore.Bearer;

/// <summary>
/// An authorization requirement met only when a Tessera bearer scheme ran a check (fresh revocation state, live
/// introspection) on this request and it passed. An endpoint that demands the check can therefore never be reached
/// through a scheme that does not perform it: it is refused instead.
/// </summary>
internal sealed class BearerCheckRequirement(string itemKey) : IAuthorizationRequirement
{
    public const string FreshRevocation = "Tessera.Bearer.Checked.FreshRevocation";

    public const string Introspection = "Tessera.Bearer.Checked.Introspection";

    public string ItemKey { get; } = itemKey;
}

/// <summary>Meets <see cref="BearerCheckRequirement"/> from the mark the bearer handler leaves in <see cref="HttpContext.Items"/>.</summary>
internal sealed class BearerCheckAuthorizationHandler : AuthorizationHandler<BearerCheckRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, BearerCheckRequirement requirement)
    {
        var http = context.Resource as HttpContext ?? (context.Resource as Microsoft.AspNetCore.Mvc.Filters.AuthorizationFilterContext)?.HttpContext;
        if (http is not null && http.Items.TryGetValue(requirement.ItemKey, out var passed) && passed is true)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
