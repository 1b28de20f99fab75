using Tessera.Clients;

namespace Tessera.Storage.Sqlite.Tests.Clients;

/// <summary>Valid registrations of each type.</summary>
internal static class TestClients
{
    public static readonly DateTimeOffset Created = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static ClientRegistration Service(string id = "billing", byte[]? secretHash = null) => new()
    {
        ClientId = id,
        Type = ClientType.Service,
        SecretHash = secretHash ?? new byte[ClientSecrets.HashBytes],
        GrantTypes = ClientRules.DefaultGrantTypes(ClientType.Service),
        Audiences = ["https://api.example.com", "https://ledger.example.com"],
        Scopes = ["invoices:read", "invoices:write"],
        AccessTokenLifetime = TimeSpan.FromMinutes(10),
        CreatedAt = Created,
    };

    public static ClientRegistration Browser(string id = "spa") => new()
    {
        ClientId = id,
        Type = ClientType.Browser,
        GrantTypes = [GrantTypes.AuthorizationCode],
        Audiences = ["https://api.example.com"],
        Scopes = ["profile"],
        RedirectUris = ["https://app.example.com/callback", "http://127.0.0.1:5173/callback"],
        FirstParty = true,
        CreatedAt = Created,
    };
}
