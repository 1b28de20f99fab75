namespace Tessera.Clients;

/// <summary>
/// A registered client and what it may receive. Immutable. Confidential clients (service, web) authenticate
/// with a server-generated secret stored only as a keyed hash, or with <c>private_key_jwt</c> against their JWKS.
/// </summary>
public sealed record ClientRegistration
{
    /// <summary>The <c>client_id</c>.</summary>
    public required string ClientId { get; init; }

    /// <summary>What kind of application it is.</summary>
    public required ClientType Type { get; init; }

    /// <summary>Keyed hash of the client secret (<see cref="ClientSecrets"/>); null for public and private_key_jwt clients.</summary>
    public byte[]? SecretHash { get; init; }

    /// <summary>The public JWK Set for <c>private_key_jwt</c> (RFC 7523), as JSON; null otherwise.</summary>
    public string? Jwks { get; init; }

    /// <summary>Grant types it may use.</summary>
    public IReadOnlyList<string> GrantTypes { get; init; } = [];

    /// <summary>Audiences (RFC 8707 resources) it may obtain tokens for.</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary>Scopes it may obtain.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>Exact redirect URIs for user flows.</summary>
    public IReadOnlyList<string> RedirectUris { get; init; } = [];

    /// <summary>Lifetime of its access or service tokens; within the profile's cap, default the profile's.</summary>
    public TimeSpan? AccessTokenLifetime { get; init; }

    /// <summary>A first-party client skips the consent screen.</summary>
    public bool FirstParty { get; init; }

    /// <summary>When it was registered.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>True for service and web clients, which can keep a secret.</summary>
    public bool IsConfidential => Type is ClientType.Service or ClientType.Web;

    /// <summary>True when the client may use <paramref name="grantType"/>.</summary>
    public bool Allows(string grantType) => GrantTypes.Contains(grantType, StringComparer.Ordinal);
}
