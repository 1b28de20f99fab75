using Microsoft.AspNetCore.Authorization;
using Tessera.AspNetCore.Bearer;

namespace Tessera.AspNetCore.Introspection;

/// <summary>
/// Marks an endpoint as high-risk: after local validation, the Tessera bearer handler asks the token service whether
/// the token is still active (RFC 7662, with a short cache). Inactive answers 401 <c>invalid_token</c>; no answer
/// answers 503 (fail closed). It also requires authorization, and the request is refused if it was authenticated by a
/// scheme that did not introspect.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class RequireIntrospectionAttribute : AuthorizeAttribute, IAuthorizationRequirementData
{
    /// <inheritdoc />
    public IEnumerable<IAuthorizationRequirement> GetRequirements()
    {
        yield return new BearerCheckRequirement(BearerCheckRequirement.Introspection);
    }
}
