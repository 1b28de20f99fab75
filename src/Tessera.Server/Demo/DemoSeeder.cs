using Tessera.Clients;
using Tessera.Server.Endpoints;
using Tessera.Storage.Sqlite.Users;

namespace Tessera.Server.Demo;

/// <summary>
/// On first run (an empty client registry), registers a demo service client and a demo resource server for
/// the sample API, a demo user who can sign in and a first-party web client (a BFF) for user sign-in, and prints —
/// once, since secrets and the password are stored only as hashes — commands that work and the sign-in address.
/// </summary>
internal static class DemoSeeder
{
    public const string ServiceClientId = "demo-service";
    public const string ResourceServerClientId = "sample-api";
    public const string Audience = "api://sample";
    public const string WebClientId = "demo-web";
    public const string WebRedirectUri = "http://127.0.0.1:5082/bff/callback";
    public const string DemoUsername = "demo";

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
        var webSecret = ClientSecrets.Generate();
        var password = ClientSecrets.Generate()[..20];
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
        await clients.AddAsync(new ClientRegistration
        {
            ClientId = WebClientId,
            Type = ClientType.Web,
            SecretHash = ClientSecrets.Hash(webSecret, hashingKey),
            GrantTypes = [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken],
            Audiences = [Audience],
            Scopes = ["orders:read"],
            RedirectUris = [WebRedirectUri],
            FirstParty = true,
            CreatedAt = time,
        });
        await services.GetRequiredService<SqliteUserStore>().AddAsync(new UserAccount
        {
            UserId = SqliteUserStore.NewUserId(),
            Username = DemoUsername,
            PasswordHash = UserPasswords.Hash(password),
            CreatedAt = time,
            PasswordChangedAt = time,
        });

        var baseUrl = address.TrimEnd('/');
        output.WriteLine($$"""

            ──────────────────────────────────────────────────────────────────────────────
             Tessera demo seeded. These secrets are shown once; only their hashes are kept.

               service client   {{ServiceClientId}}  secret {{serviceSecret}}
               resource server  {{ResourceServerClientId}}  secret {{resourceSecret}}   (introspection, revocation feed)
               web client (BFF) {{WebClientId}}  secret {{webSecret}}   (user sign-in, redirect URI {{WebRedirectUri}})
               demo user        {{DemoUsername}}  password {{password}}
            {{(newAdminKey is null ? "" : $"   admin API key    {newAdminKey}\n")}}
             Sign in as the demo user:   {{baseUrl}}/
             (apps send users to {{baseUrl}}/connect/authorize with PKCE; see docs/sessions.md)

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
