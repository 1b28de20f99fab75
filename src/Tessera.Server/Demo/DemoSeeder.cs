using Tessera.Clients;
using Tessera.Server.Endpoints;

namespace Tessera.Server.Demo;

/// <summary>
/// On first run (an empty client registry), registers a demo service client and a demo resource server for
/// the sample API, and prints — once, since secrets are stored only as hashes — commands that work.
/// </summary>
internal static class DemoSeeder
{
    public const string ServiceClientId = "demo-service";
    public const string ResourceServerClientId = "sample-api";
    public const string Audience = "api://sample";

    public static async Task SeedAsync(IServiceProvider services, string address, string? newAdminKey, TextWriter output)
    {
        var clients = services.GetRequiredService<IClientStore>();
        if ((await clients.ListAsync()).Count > 0)
        {
            return;
        }

        var hashingKey = services.GetRequiredService<SecretHashingKey>().Value;
        var time = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var serviceSecret = ClientSecrets.Generate();
        var resourceSecret = ClientSecrets.Generate();
        await clients.AddAsync(new ClientRegistration
        {
            ClientId = ServiceClientId,
            Type = ClientType.Service,
            SecretHash = ClientSecrets.Hash(serviceSecret, hashingKey),
            GrantTypes = [GrantTypes.ClientCredentials, GrantTypes.TokenExchange],
            Audiences = [Audience],
            Scopes = ["orders:read", "service:status"],
            CreatedAt = time,
        });
        await clients.AddAsync(new ClientRegistration
        {
            ClientId = ResourceServerClientId,
            Type = ClientType.Service,
            SecretHash = ClientSecrets.Hash(resourceSecret, hashingKey),
            GrantTypes = [GrantTypes.RevocationFeed],
            CreatedAt = time,
        });

        var baseUrl = address.TrimEnd('/');
        output.WriteLine($$"""

            ──────────────────────────────────────────────────────────────────────────────
             Tessera demo seeded. These secrets are shown once; only their hashes are kept.

               service client   {{ServiceClientId}}  secret {{serviceSecret}}
               resource server  {{ResourceServerClientId}}  secret {{resourceSecret}}   (introspection, revocation feed)
            {{(newAdminKey is null ? "" : $"   admin API key    {newAdminKey}\n")}}
             Get a service token:
               curl -s -u {{ServiceClientId}}:{{serviceSecret}} -d grant_type=client_credentials -d resource={{Audience}} {{baseUrl}}/connect/token

             Introspect it:
               curl -s -u {{ResourceServerClientId}}:{{resourceSecret}} -d token=ACCESS_TOKEN {{baseUrl}}/connect/introspect

             Verify it offline:
               curl -s {{baseUrl}}/.well-known/jwks.json > jwks.json
               dotnet run --project src/Tessera.Cli -- verify --keys jwks.json --iss {{baseUrl}} --aud {{Audience}} --profile service ACCESS_TOKEN
            ──────────────────────────────────────────────────────────────────────────────

            """);
    }
}
