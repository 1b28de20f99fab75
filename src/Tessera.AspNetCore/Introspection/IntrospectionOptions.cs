namespace Tessera.AspNetCore.Introspection;

/// <summary>
/// How the API asks the token service whether a token is still active (RFC 7662) before a high-risk action.
/// Set <see cref="Issuer"/> (the endpoint comes from discovery) or <see cref="Endpoint"/>, and the API's own client
/// credentials. Validated at start-up.
/// </summary>
public sealed class IntrospectionOptions
{
    /// <summary>The token service's issuer; its discovery document names the introspection endpoint.</summary>
    public string? Issuer { get; set; }

    /// <summary>The introspection endpoint, instead of discovery.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>This API's client id at the token service (a confidential client).</summary>
    public string? ClientId { get; set; }

    /// <summary>This API's client secret (sent with <c>client_secret_basic</c>). Keep it out of source control.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>How long an <c>active</c> answer is reused for the same token. Default 5 s, at most 60 s; zero disables caching.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most answers cached at once. Default 10,000.</summary>
    public int MaxCacheEntries { get; set; } = 10_000;

    /// <summary>The longest one introspection request may take; then the request fails closed. Default 3 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Refuse plain-HTTP endpoints except on loopback. Default true.</summary>
    public bool RequireHttps { get; set; } = true;

    internal List<string> Check()
    {
        const string Prefix = "Tessera introspection: ";
        var problems = new List<string>();
        if (Endpoint is null && string.IsNullOrWhiteSpace(Issuer))
        {
            problems.Add(Prefix + "set Issuer (the token service's issuer; discovery finds the endpoint) or Endpoint.");
        }

        if (Endpoint is { } endpoint && !endpoint.IsAbsoluteUri)
        {
            problems.Add(Prefix + "Endpoint must be an absolute URL, e.g. https://id.example.com/connect/introspect.");
        }
        else if (RequireHttps && !HttpsPolicy.IsAcceptable(Endpoint ?? (Uri.TryCreate(Issuer, UriKind.Absolute, out var issuer) ? issuer : null)))
        {
            problems.Add(Prefix + "the token service must be reached over https:// (plain http is accepted on loopback only). Fix the URL, or set RequireHttps = false only for a test network.");
        }

        if (string.IsNullOrWhiteSpace(ClientId) || string.IsNullOrEmpty(ClientSecret))
        {
            problems.Add(Prefix + "ClientId and ClientSecret are required: register the API as a confidential client at the token service and configure its secret (e.g. from an environment variable).");
        }

        if (CacheDuration < TimeSpan.Zero || CacheDuration > TimeSpan.FromSeconds(60))
        {
            problems.Add(Prefix + "CacheDuration must be 0 to 60 s (default 5 s): a longer cache defeats live introspection.");
        }

        if (MaxCacheEntries is < 1 or > 10_000_000)
        {
            problems.Add(Prefix + "MaxCacheEntries must be 1 to 10,000,000 (default 10,000).");
        }

        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromSeconds(30))
        {
            problems.Add(Prefix + "Timeout must be positive and at most 30 s (default 3 s).");
        }

        return problems;
    }
}
