namespace Tessera.Storage.Sqlite.Sessions;

/// <summary>What an authorization code stands for, and what it is bound to: the client, the exact redirect URI and the PKCE challenge.</summary>
public sealed record AuthorizationCodeGrant
{
    /// <summary>The client the code was issued to; only it may redeem the code.</summary>
    public required string ClientId { get; init; }

    /// <summary>The redirect URI of the authorization request; the token request must repeat it exactly.</summary>
    public required string RedirectUri { get; init; }

    /// <summary>The S256 PKCE challenge (base64url SHA-256 of the verifier).</summary>
    public required string CodeChallenge { get; init; }

    /// <summary>The user (<c>sub</c>).</summary>
    public required string UserId { get; init; }

    /// <summary>The user's tenant, if any.</summary>
    public string? Tenant { get; init; }

    /// <summary>The sign-in session the code came from (<c>sid</c>).</summary>
    public required string SessionId { get; init; }

    /// <summary>The granted scopes, <c>openid</c> included when an ID token was asked for.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>The APIs the access tokens are for.</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary>The <c>nonce</c> of the request, copied into the ID token.</summary>
    public string? Nonce { get; init; }

    /// <summary>When the user authenticated (<c>auth_time</c>).</summary>
    public DateTimeOffset AuthenticatedAt { get; init; }

    /// <summary>When the code was issued.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the code stops being accepted (60 s after issue).</summary>
    public DateTimeOffset ExpiresAt { get; init; }
}
