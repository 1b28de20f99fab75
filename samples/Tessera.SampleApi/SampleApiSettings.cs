namespace Tessera.SampleApi;

/// <summary>
/// The sample's settings, from the command line (<c>--issuer</c>, <c>--audience</c>, <c>--client-id</c>, <c>--urls</c>)
/// or the environment (<c>TESSERA_SAMPLE_API_SECRET</c> for the <c>sample-api</c> client's secret).
/// </summary>
public sealed record SampleApiSettings(string Issuer, string Audience, string ClientId, string? ClientSecret, string Urls)
{
    /// <summary>The token service the sample trusts by default.</summary>
    public const string DefaultIssuer = "http://127.0.0.1:5080";

    /// <summary>The sample's own address by default.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5081";

    /// <summary>The sample's audience: the token service's demo issues service tokens for it.</summary>
    public const string DefaultAudience = "api://sample";

    /// <summary>The sample's client at the token service (introspection and the revocation feed).</summary>
    public const string DefaultClientId = "sample-api";

    /// <summary>The environment variable holding the client secret.</summary>
    public const string SecretVariable = "TESSERA_SAMPLE_API_SECRET";

    /// <summary>Reads the settings; the secret is optional.</summary>
    public static SampleApiSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var secret = configuration[SecretVariable] ?? configuration["client-secret"];
        return new SampleApiSettings(
            (configuration["issuer"] ?? DefaultIssuer).TrimEnd('/'),
            configuration["audience"] ?? DefaultAudience,
            configuration["client-id"] ?? DefaultClientId,
            string.IsNullOrWhiteSpace(secret) ? null : secret.Trim(),
            configuration[WebHostDefaults.ServerUrlsKey] ?? DefaultUrls);
    }
}
