using Microsoft.AspNetCore.Builder;

namespace Tessera.AspNetCore.Introspection;

/// <summary><c>endpoint.RequireIntrospection()</c>.</summary>
public static class IntrospectionEndpointExtensions
{
    /// <summary>Introspect the token live (short cache) before these endpoints run (see <see cref="RequireIntrospectionAttribute"/>).</summary>
    public static TBuilder RequireIntrospection<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new RequireIntrospectionAttribute());
    }
}
