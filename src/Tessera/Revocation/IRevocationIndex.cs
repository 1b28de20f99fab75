namespace Tessera.Revocation;

/// <summary>
/// Answers "has this token been revoked?" on the validation hot path. Implementations must be fast,
/// thread-safe, allocation-free per lookup, and must never throw for a lookup.
/// </summary>
public interface IRevocationIndex
{
    /// <summary>True when a cut-off or deny-list entry covers the token described by <paramref name="query"/>.</summary>
    bool IsRevoked(scoped in RevocationQuery query);
}
