using Tessera.Jose;

namespace Tessera.AspNetCore.Jwks;

/// <summary>
/// Where a <see cref="JwksClient"/> finds an issuer's public keys and how it caches them. Set either
/// <see cref="JwksUri"/> or <see cref="Issuer"/> (discovery), and <see cref="AllowedAlgorithms"/>.
/// The client copies the options when it is built; changing them afterwards has no effect.
/// </summary>
public sealed class JwksClientOptions
{
    /// <summary>The JWK Set URL. Set this, or <see cref="Issuer"/> to find the URL through discovery.</summary>
    public Uri? JwksUri { get; set; }

    /// <summary>
    /// The issuer identifier, exactly as tokens carry it in <c>iss</c>. When <see cref="JwksUri"/> is not set, the
    /// client reads <c>jwks_uri</c> from the issuer's OpenID Connect discovery document
    /// (<c>{issuer}/.well-known/openid-configuration</c>) or, failing that, its RFC 8414 metadata
    /// (<c>/.well-known/oauth-authorization-server</c>), and refuses a document whose <c>issuer</c> differs.
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>An explicit discovery document URL, used instead of the well-known ones derived from <see cref="Issuer"/>.</summary>
    public Uri? MetadataAddress { get; set; }

    /// <summary>The algorithms the validator accepts. Keys for other algorithms are left out of the set.</summary>
    public IList<JwsAlgorithm> AllowedAlgorithms { get; set; } = [];

    /// <summary>The shortest time between two fetches, whatever asks for them (an unknown <c>kid</c>, an expired set, a retry after a failure). Default 30 s.</summary>
    public TimeSpan MinimumRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a set is fresh when the response has no <c>Cache-Control: max-age</c>. Default 15 minutes.</summary>
    public TimeSpan DefaultMaxAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The lower bound applied to the server's <c>max-age</c> (and to <c>no-cache</c>). Default 1 minute.</summary>
    public TimeSpan MinimumMaxAge { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The upper bound applied to the server's <c>max-age</c>. Default 24 hours.</summary>
    public TimeSpan MaximumMaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long past its expiry the last known good set is still used while fetches fail. After that the client
    /// fails closed: it returns no keys, so every token is rejected, until a fetch succeeds. Default 1 hour.
    /// </summary>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The largest response (discovery document or JWK Set) the client reads, in bytes. Default 64 KiB.</summary>
    public int MaxResponseBytes { get; set; } = 64 * 1024;

    /// <summary>The longest one fetch may take, discovery included. Default 5 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Refuse plain-HTTP URLs (configured or discovered), except for loopback hosts (<c>localhost</c>, <c>127.0.0.0/8</c>, <c>::1</c>).
    /// Default true. Setting it to false lets anyone on the network path substitute the keys.
    /// </summary>
    public bool RequireHttps { get; set; } = true;
}
