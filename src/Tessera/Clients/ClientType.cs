namespace Tessera.Clients;

/// <summary>What kind of application a client is; it decides what the client may receive and how it authenticates.</summary>
public enum ClientType
{
    /// <summary>A confidential machine client (backend service): client credentials, service tokens, no end user.</summary>
    Service,
    /// <summary>A confidential server-side web app or BFF: user flows, refresh tokens kept server-side.</summary>
    Web,
    /// <summary>A public mobile or desktop app: PKCE, refresh tokens in the platform's secure storage.</summary>
    Native,
    /// <summary>A public single-page app: never receives a refresh token; uses a BFF.</summary>
    Browser,
}
