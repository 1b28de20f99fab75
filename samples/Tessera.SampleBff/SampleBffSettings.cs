namespace Tessera.SampleBff;

/// <summary>
/// The demo BFF's settings, from the command line (<c>--authority</c>, <c>--client-id</c>, <c>--api</c>, <c>--audience</c>,
/// <c>--urls</c>, <c>--data</c>) or the environment (<c>TESSERA_DEMO_WEB_SECRET</c>, the <c>demo-web</c> client's secret).
/// The defaults match the token service's demo seeding: client <c>demo-web</c>, redirect URI <c>http://127.0.0.1:5082/bff/callback</c>.
/// </summary>
public sealed record SampleBffSettings(string Authority, string ClientId, string? ClientSecret, Uri Api, string Audience, string Urls, string DataDirectory)
{
    /// <summary>The sample's own address by default (the demo web client's registered redirect URI points here).</summary>
    public const string DefaultUrls = "http://127.0.0.1:5082";

    /// <summary>The environment variable holding the client secret.</summary>
    public const string SecretVariable = "TESSERA_DEMO_WEB_SECRET";

    /// <summary>Reads the settings; a missing secret is reported by the BFF's start-up check.</summary>
    public static SampleBffSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var secret = configuration[SecretVariable] ?? configuration["client-secret"];
        return new SampleBffSettings(
            (configuration["authority"] ?? "http://127.0.0.1:5080").TrimEnd('/'),
            configuration["client-id"] ?? "demo-web",
            string.IsNullOrWhiteSpace(secret) ? null : secret.Trim(),
            new Uri(configuration["api"] ?? "http://127.0.0.1:5081"),
            configuration["audience"] ?? "api://sample",
            configuration[WebHostDefaults.ServerUrlsKey] ?? DefaultUrls,
            configuration["data"] ?? "data");
    }
}
