namespace Tessera.Clients;

/// <summary>The OAuth grant type identifiers Tessera implements.</summary>
public static class GrantTypes
{
    /// <summary>RFC 6749 §4.4.</summary>
    public const string ClientCredentials = "client_credentials";
    /// <summary>RFC 8693.</summary>
    public const string TokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange";
    /// <summary>RFC 6749 §4.1 (with PKCE).</summary>
    public const string AuthorizationCode = "authorization_code";
    /// <summary>RFC 6749 §6.</summary>
    public const string RefreshToken = "refresh_token";
    /// <summary>Tessera's permission to poll the revocation feed (RFC 8936) as a resource server.</summary>
    public const string RevocationFeed = "urn:tessera:revocation-feed";
}
