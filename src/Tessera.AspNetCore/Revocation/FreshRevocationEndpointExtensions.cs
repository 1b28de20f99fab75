using Microsoft.AspNetCore.Builder;

namespace Tessera.AspNetCore.Revocation;

/// <summary><c>endpoint.RequireFreshRevocation()</c>.</summary>
public static class FreshRevocationEndpointExtensions
{
    /// <summary>
    /// Accept tokens on these endpoints only while the revocation state is fresh (see <see cref="RequireFreshRevocationAttribute"/>).
    /// Give <paramref name="maxStaleness"/> for a tighter bound than the feed's default.
    /// </summary>
    public static TBuilder RequireFreshRevocation<TBuilder>(this TBuilder builder, TimeSpan? maxStaleness = null)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (maxStaleness is { } bound && bound < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(maxStaleness), "The bound is at least one second.");
        }

        return builder.WithMetadata(new RequireFreshRevocationAttribute { MaxStalenessSeconds = (int)Math.Ceiling(maxStaleness?.TotalSeconds ?? 0) });
    }
}
