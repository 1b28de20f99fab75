using Tessera.Jose;

namespace Tessera.Server.Hosting;

/// <summary>The token service's settings (configuration section <c>Tessera</c>).</summary>
public sealed class ServerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Tessera";

    /// <summary>The issuer identifier and base URL; default the first listening URL (http://127.0.0.1:5080).</summary>
    public string? Issuer { get; set; }

    /// <summary>The SQLite database file, relative to the content root; created and migrated on first run.</summary>
    public string DatabasePath { get; set; } = "data/tessera.db";

    /// <summary>A file holding the key-encryption key (base64, 32 bytes); else <c>TESSERA_KEK</c>.</summary>
    public string? KeyEncryptionKeyFile { get; set; }

    /// <summary>
    /// Local development: a missing key-encryption key and admin key are generated into files next to the
    /// database (so a fresh clone runs with one command). On by default only in the Development environment.
    /// </summary>
    public bool? DevelopmentMode { get; set; }

    /// <summary>
    /// The service runs behind a TLS-terminating proxy it trusts, so plain HTTP on a non-loopback address is
    /// acceptable. Off by default: elsewhere than loopback the service refuses plain HTTP.
    /// </summary>
    public bool TrustedProxy { get; set; }

    /// <summary>A file holding the admin API key; else <c>TESSERA_ADMIN_KEY</c>.</summary>
    public string? AdminKeyFile { get; set; }

    /// <summary>Seed a demo client, resource and user on first run.</summary>
    public bool SeedDemo { get; set; } = true;

    /// <summary>Signing algorithms, one active key each (default ES256).</summary>
    public string[] Algorithms { get; set; } = [JwsAlgorithm.ES256.Name];

    /// <summary>Lifetime of service and access tokens (default 5 minutes, at most 60).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Requests per second per client address on the token, introspection and admin endpoints.</summary>
    public int RateLimitPerSecond { get; set; } = 200;

    /// <summary>Largest request body accepted, in bytes.</summary>
    public int MaxRequestBytes { get; set; } = 16 * 1024;
}
