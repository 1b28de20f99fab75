using Microsoft.AspNetCore.Authorization;
using Tessera.AspNetCore.Bearer;

namespace Tessera.AspNetCore.Revocation;

/// <summary>
/// Marks an endpoint as high-risk for stale revocation state: the Tessera bearer handler accepts a token here only
/// while the revocation feed has confirmed the state within <see cref="MaxStalenessSeconds"/> (default
/// <see cref="RevocationFeedOptions.MaxStaleness"/>), and answers 503 otherwise. It also requires authorization, and the
/// request is refused if it was authenticated by a scheme that did not make this check.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class RequireFreshRevocationAttribute : AuthorizeAttribute, IAuthorizationRequirementData
{
    /// <summary>A tighter bound than the feed's default, in seconds; 0 means the default.</summary>
    public int MaxStalenessSeconds { get; set; }

    internal TimeSpan? MaxStaleness => MaxStalenessSeconds > 0 ? TimeSpan.FromSeconds(MaxStalenessSeconds) : null;

    /// <inheritdoc />
    public IEnumerable<IAuthorizationRequirement> GetRequirements()
    {
        yield return new BearerCheckRequirement(BearerCheckRequirement.FreshRevocation);
    }
}
