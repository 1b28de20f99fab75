namespace Tessera.AspNetCore.Introspection;

/// <summary>What the token service said about a token.</summary>
public enum IntrospectionStatus
{
    /// <summary><c>"active": true</c>.</summary>
    Active,
    /// <summary><c>"active": false</c>: revoked, expired or unknown to the token service.</summary>
    Inactive,
    /// <summary>No usable answer (unreachable, timed out, refused our credentials, answered nonsense): fail closed.</summary>
    Unavailable,
}
