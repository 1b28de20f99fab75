using Tessera.Clients;
using Tessera.Jose;
using Tessera.Keys;

namespace Tessera.Storage.Sqlite.Tests.Clients;

/// <summary>The checks every store applies before keeping a client, beyond those the CLI tests reach.</summary>
public sealed class ClientRulesTests
{
    private static readonly string PublicJwks = JsonWebKeySet.Create([JsonWebKey.Generate(JwsAlgorithm.EdDSA).ToPublicKey()]).ToPublicJson();

    public static TheoryData<string, ClientRegistration> Refused => new()
    {
        { "cannot keep a secret", TestClients.Browser() with { SecretHash = new byte[ClientSecrets.HashBytes] } },
        { "cannot keep a secret", TestClients.Browser() with { Jwks = PublicJwks } },
        { "has both a secret and a JWKS", TestClients.Service() with { Jwks = PublicJwks } },
        { "needs a credential", TestClients.Service() with { SecretHash = null } },
        { "secret hash of 16 bytes", TestClients.Service() with { SecretHash = new byte[16] } },
        { "no grant types", TestClients.Service() with { GrantTypes = [] } },
        { "lists grant type 'client_credentials' twice", TestClients.Service() with { GrantTypes = [GrantTypes.ClientCredentials, GrantTypes.ClientCredentials] } },
        { "refresh_token without authorization_code", TestClients.Browser() with { Type = ClientType.Native, GrantTypes = [GrantTypes.RefreshToken], RedirectUris = [] } },
        { "separate service client", TestClients.Browser() with { Type = ClientType.Web, SecretHash = new byte[32], GrantTypes = [GrantTypes.AuthorizationCode, GrantTypes.ClientCredentials] } },
        { "The client_id must be 1 to", TestClients.Service("") },
        { "The client_id must be visible ASCII", TestClients.Service("bill ing") },
        { "each audience must be 1 to", TestClients.Service() with { Audiences = [""] } },
        { "carries a user name or password", TestClients.Browser() with { RedirectUris = ["https://user:pw@app.example.com/cb"] } },
        { "whole seconds", TestClients.Service() with { AccessTokenLifetime = TimeSpan.FromMilliseconds(1500) } },
        { "Client type 9 is unknown", TestClients.Service() with { Type = (ClientType)9 } },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Validate_Inconsistent_ThrowsWithTheFix(string message, ClientRegistration client)
    {
        var e = Assert.Throws<TesseraConfigurationException>(() => ClientRules.Validate(client));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<ClientRegistration> Accepted => new()
    {
        TestClients.Service(),
        TestClients.Browser(),
        TestClients.Service() with { SecretHash = null, Jwks = PublicJwks },
        TestClients.Browser() with { Type = ClientType.Native, GrantTypes = ClientRules.DefaultGrantTypes(ClientType.Native), RedirectUris = ["com.example.app:/oauth", "http://[::1]:8400/cb"] },
        TestClients.Browser() with { Type = ClientType.Web, SecretHash = new byte[32], GrantTypes = [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken, GrantTypes.TokenExchange] },
        TestClients.Service() with { GrantTypes = [GrantTypes.RevocationFeed], AccessTokenLifetime = TimeSpan.FromHours(1) },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Validate_Consistent_Passes(ClientRegistration client) => ClientRules.Validate(client);

    [Fact]
    public void TypeNames_RoundTrip()
    {
        foreach (var type in Enum.GetValues<ClientType>())
        {
            Assert.True(ClientRules.TryParseType(ClientRules.Name(type), out var parsed));
            Assert.Equal(type, parsed);
        }

        Assert.False(ClientRules.TryParseType("Service", out _));
    }
}
