using Tessera.Jose;

namespace Tessera.AspNetCore.Bff;

/// <summary>
/// A backend-for-frontend for browser apps: the BFF is a confidential web client of the token service; the browser
/// holds only an opaque <c>__Host-</c> session cookie; tokens stay in <see cref="IBffSessionStore"/>. Checked at start-up.
/// </summary>
public sealed class TesseraBffOptions
{
    /// <summary>The token service's issuer URL (its discovery document is read from it), e.g. <c>https://id.example.com</c>.</summary>
    public string? Authority { get; set; }

    /// <summary>This BFF's client id, registered as a <c>web</c> client with the callback as redirect URI.</summary>
    public string? ClientId { get; set; }

    /// <summary>This BFF's client secret (sent with HTTP Basic to the token and revocation endpoints).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Algorithms the ID token may be signed with (default ES256), pinned before any key is fetched.</summary>
    public IList<JwsAlgorithm> AllowedAlgorithms { get; } = [];

    /// <summary>Scopes to ask for; <c>openid</c> is always asked for (the BFF needs the ID token).</summary>
    public IList<string> Scopes { get; } = [];

    /// <summary>The API's audience (sent as <c>resource</c>), e.g. <c>api://orders</c>.</summary>
    public string? ApiAudience { get; set; }

    /// <summary>Where <c>/bff/api/…</c> is forwarded, e.g. <c>https://orders.internal/</c>.</summary>
    public Uri? ApiBaseAddress { get; set; }

    /// <summary>
    /// The public address of this host (scheme, host, port, optional path base) used to build the redirect URI; when
    /// unset, it is the address of the request to <c>/login</c>. Set it behind a proxy.
    /// </summary>
    public Uri? PublicOrigin { get; set; }

    /// <summary>How long a session lives without activity at most (default 8 hours); the refresh token may end it sooner.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long before the access token expires the BFF refreshes it (default 30 s).</summary>
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a started login may take (default 10 minutes).</summary>
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The SQLite file of the default session store (default <c>bff-sessions.db</c>); ignored with <see cref="UseDistributedCache"/>.</summary>
    public string SessionDatabasePath { get; set; } = "bff-sessions.db";

    /// <summary>Keep sessions in the registered <c>IDistributedCache</c> (e.g. Redis) instead of SQLite, for several BFF nodes.</summary>
    public bool UseDistributedCache { get; set; }

    /// <summary>Largest request body forwarded to the API (default 1 MiB).</summary>
    public long MaxForwardedBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Timeout for calls to the token service and the API (default 10 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
