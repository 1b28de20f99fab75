using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Tessera.Cli;
using Tessera.Cli.CommandLine;
using Tessera.Clients;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Storage.Sqlite.Clients;
using Tessera.Storage.Sqlite.Settings;

namespace Tessera.Storage.Sqlite.Tests.Clients;

public sealed class ClientsCommandTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _time = new(TestClients.Created);

    public void Dispose() => _temp.Dispose();

    private (int Exit, string Out, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = TesseraCli.Run(["clients", .. args], new CliConsole(TextReader.Null, output, error, _time));
        return (exit, output.ToString(), error.ToString());
    }

    private (int Exit, string Out, string Error) Add(params string[] args) => Run(["add", "--db", _temp.Path, .. args]);

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private string WriteFile(string name, string text)
    {
        var path = Path.Combine(_temp.Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Add_ServiceClient_PrintsSecretOnceThatVerifiesAgainstTheStoredHash()
    {
        var (exit, stdout, stderr) = Add("--id", "billing", "--type", "service", "--audience", "https://api.example.com", "--scope", "invoices:read,invoices:write", "--json");

        Assert.Equal(0, exit);
        Assert.Empty(stderr);
        var json = Json(stdout);
        var secret = json.GetProperty("clientSecret").GetString()!;
        var client = json.GetProperty("client");
        Assert.Equal("billing", client.GetProperty("clientId").GetString());
        Assert.Equal("service", client.GetProperty("type").GetString());
        Assert.True(client.GetProperty("confidential").GetBoolean());
        Assert.Equal("client_secret", client.GetProperty("authentication").GetString());
        Assert.Equal([GrantTypes.ClientCredentials, GrantTypes.TokenExchange], Strings(client, "grantTypes"));
        Assert.Equal(["invoices:read", "invoices:write"], Strings(client, "scopes"));
        Assert.Equal("2026-05-01T12:00:00Z", client.GetProperty("createdAt").GetString());
        Assert.Equal(ClientSecrets.SecretBytes, Base64Url.DecodeOrNull(secret)!.Length);

        var database = SqliteDatabase.Open(_temp.Path);
        var key = await new SqliteSettings(database).GetOrCreateSecretHashingKeyAsync();
        var stored = await new SqliteClientStore(database, _time).FindAsync("billing");
        Assert.True(ClientSecrets.Verify(secret, stored!.SecretHash, key));
        Assert.False(ClientSecrets.Verify(ClientSecrets.Generate(), stored.SecretHash, key));

        SqliteConnection.ClearAllPools();
        Assert.Equal(-1, _temp.FileBytes().AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
        var list = Run("list", "--db", _temp.Path, "--json").Out + Run("list", "--db", _temp.Path).Out;
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(stored.SecretHash!), list, StringComparison.Ordinal);
        Assert.DoesNotContain(Base64Url.Encode(stored.SecretHash!), list, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(stored.SecretHash!), list, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Add_Text_PrintsTheSecretExactlyOnceWithAWarning()
    {
        var (exit, stdout, _) = Add("--id", "portal", "--type", "web", "--redirect-uri", "https://portal.example.com/signin");

        Assert.Equal(0, exit);
        var line = Assert.Single(stdout.Split('\n'), l => l.StartsWith("client_secret:", StringComparison.Ordinal));
        var secret = line["client_secret:".Length..].Trim();
        Assert.Equal(1, CountOf(stdout, secret));
        Assert.Contains("shown only this once", stdout, StringComparison.Ordinal);
        Assert.Contains("client_id:     portal", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("service", new[] { GrantTypes.ClientCredentials, GrantTypes.TokenExchange }, true)]
    [InlineData("web", new[] { GrantTypes.AuthorizationCode, GrantTypes.RefreshToken }, true)]
    [InlineData("native", new[] { GrantTypes.AuthorizationCode, GrantTypes.RefreshToken }, false)]
    [InlineData("browser", new[] { GrantTypes.AuthorizationCode }, false)]
    public void Add_Type_GetsItsDefaultGrantsAndASecretOnlyIfConfidential(string type, string[] grants, bool secret)
    {
        string[] redirect = type == "service" ? [] : ["--redirect-uri", "http://127.0.0.1:8400/callback"];

        var (exit, stdout, stderr) = Add(["--id", "app", "--type", type, .. redirect, "--json"]);

        Assert.True(exit == 0, stderr);
        var json = Json(stdout);
        Assert.Equal(grants, Strings(json.GetProperty("client"), "grantTypes"));
        Assert.Equal(secret, json.GetProperty("clientSecret").ValueKind == JsonValueKind.String);
        Assert.Equal(secret ? "client_secret" : "none", json.GetProperty("client").GetProperty("authentication").GetString());
    }

    [Fact]
    public async Task Add_Jwks_RegistersPrivateKeyJwtWithoutASecret()
    {
        var key = JsonWebKey.Generate(JwsAlgorithm.ES256);
        var path = WriteFile("reports.jwks.json", JsonWebKeySet.Create([key.ToPublicKey()]).ToPublicJson());

        var (exit, stdout, stderr) = Add("--id", "reports", "--type", "service", "--jwks", path, "--grant", "client_credentials", "--lifetime", "300", "--json");

        Assert.True(exit == 0, stderr);
        var json = Json(stdout);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("clientSecret").ValueKind);
        var client = json.GetProperty("client");
        Assert.Equal("private_key_jwt", client.GetProperty("authentication").GetString());
        Assert.Equal([key.Kid], Strings(client, "jwksKids"));
        Assert.Equal([GrantTypes.ClientCredentials], Strings(client, "grantTypes"));
        Assert.Equal(300, client.GetProperty("accessTokenLifetimeSeconds").GetInt32());
        var stored = await new SqliteClientStore(SqliteDatabase.Open(_temp.Path), _time).FindAsync("reports");
        Assert.Null(stored!.SecretHash);
        Assert.Equal(key.Kid, JsonWebKeySet.Parse(stored.Jwks!).Keys.Single().Kid);
    }

    [Theory]
    [InlineData("A browser client never receives refresh tokens", "--type", "browser", "--redirect-uri", "https://app.example.com/cb", "--grant", "authorization_code,refresh_token")]
    [InlineData("client_credentials needs a client that can authenticate itself", "--type", "browser", "--grant", "client_credentials")]
    [InlineData("token_exchange_public", "--type", "native", "--grant", "token-exchange")]
    [InlineData("A service client has no end user", "--type", "service", "--grant", "authorization_code", "--redirect-uri", "https://app.example.com/cb")]
    [InlineData("needs at least one exact redirect URI", "--type", "web")]
    [InlineData("redirect URIs but no authorization_code", "--type", "service", "--redirect-uri", "https://app.example.com/cb")]
    [InlineData("is not an absolute URI", "--type", "web", "--redirect-uri", "/callback")]
    [InlineData("uses http on a host other than the loopback address", "--type", "web", "--redirect-uri", "http://app.example.com/cb")]
    [InlineData("name localhost", "--type", "native", "--redirect-uri", "http://localhost:8400/cb")]
    [InlineData("has a fragment", "--type", "web", "--redirect-uri", "https://app.example.com/cb#x")]
    [InlineData("has a wildcard", "--type", "web", "--redirect-uri", "https://*.example.com/cb")]
    [InlineData("uses scheme 'myapp'", "--type", "native", "--redirect-uri", "myapp:/cb")]
    [InlineData("uses scheme 'com.example.app'", "--type", "browser", "--redirect-uri", "com.example.app:/cb")]
    [InlineData("Unknown --type 'spa'", "--type", "spa")]
    [InlineData("Unknown --grant 'password'", "--type", "service", "--grant", "password")]
    [InlineData("--lifetime 'ten' is not a number", "--type", "service", "--lifetime", "ten")]
    [InlineData("whole seconds from 1 to 3600", "--type", "service", "--lifetime", "7200")]
    [InlineData("must be visible ASCII", "--type", "service", "--scope", "read\"all")]
    [InlineData("--type is required")]
    public void Add_InconsistentInput_Exit2WithTheFixAndNoDatabase(string message, params string[] args)
    {
        if (message == "token_exchange_public")
        {
            message = $"{GrantTypes.TokenExchange} needs a client that can authenticate itself";
        }

        var (exit, stdout, stderr) = Add(["--id", "app", .. args]);

        Assert.Equal(TesseraCli.ExitUsage, exit);
        Assert.Empty(stdout);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Contains("tessera clients --help", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.Path));
    }

    [Theory]
    [InlineData("native")]
    [InlineData("browser")]
    public void Add_JwksOnPublicClient_Exit2(string type)
    {
        var path = WriteFile("k.json", JsonWebKeySet.Create([JsonWebKey.Generate(JwsAlgorithm.ES256).ToPublicKey()]).ToPublicJson());

        var (exit, _, stderr) = Add("--id", "app", "--type", type, "--redirect-uri", "https://app.example.com/cb", "--jwks", path);

        Assert.Equal(TesseraCli.ExitUsage, exit);
        Assert.Contains("--jwks is for confidential clients", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_JwksWithPrivateKey_Exit2()
    {
        var path = WriteFile("private.json", $$"""{"keys":[{{JsonWebKey.Generate(JwsAlgorithm.ES256).ToPrivateJwkUnsafe()}}]}""");

        var (exit, _, stderr) = Add("--id", "app", "--type", "service", "--jwks", path);

        Assert.Equal(TesseraCli.ExitUsage, exit);
        Assert.Contains("holds a private or symmetric key", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.Path));
    }

    [Theory]
    [InlineData("""{"keys":[{"kty":"oct","k":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI","alg":"HS256"}]}""", "holds a private or symmetric key")]
    [InlineData("""{"kty":"EC","crv":"P-256"}""", "must be a JWK Set")]
    [InlineData("""{"keys":[{"kty":"EC","crv":"P-256","x":"AA"}]}""", "is not usable")]
    [InlineData("not json", "is not usable")]
    public void Add_UnusableJwks_Exit2(string jwks, string message)
    {
        var path = WriteFile("bad.json", jwks);

        var (exit, _, stderr) = Add("--id", "app", "--type", "service", "--jwks", path);

        Assert.Equal(TesseraCli.ExitUsage, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_MissingJwksFile_Exit2()
    {
        var (exit, _, stderr) = Add("--id", "app", "--type", "service", "--jwks", Path.Combine(_temp.Directory, "missing.json"));

        Assert.Equal(TesseraCli.ExitUsage, exit);
        Assert.Contains("Cannot read --jwks file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_DuplicateId_Exit2()
    {
        Assert.Equal(0, Add("--id", "billing", "--type", "service").Exit);

        var (exit, stdout, stderr) = Add("--id", "billing", "--type", "service");

        Assert.Equal(TesseraCli.ExitUsage, exit);
        Assert.Empty(stdout);
        Assert.Contains("A client 'billing' already exists", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void List_Json_ShowsEveryClientInIdOrderWithoutSecrets()
    {
        Add("--id", "zeta", "--type", "service", "--audience", "https://api.example.com");
        Add("--id", "alpha", "--type", "browser", "--redirect-uri", "https://app.example.com/cb", "--first-party");

        var (exit, stdout, _) = Run("list", "--db", _temp.Path, "--json");

        Assert.Equal(0, exit);
        var clients = Json(stdout).GetProperty("clients").EnumerateArray().ToArray();
        Assert.Equal(["alpha", "zeta"], clients.Select(c => c.GetProperty("clientId").GetString()));
        Assert.Equal(
            ["clientId", "type", "confidential", "authentication", "grantTypes", "audiences", "scopes", "redirectUris", "jwksKids", "accessTokenLifetimeSeconds", "firstParty", "createdAt"],
            clients[0].EnumerateObject().Select(p => p.Name));
        Assert.True(clients[0].GetProperty("firstParty").GetBoolean());
        Assert.Equal(["https://app.example.com/cb"], Strings(clients[0], "redirectUris"));
        Assert.Equal(JsonValueKind.Null, clients[0].GetProperty("accessTokenLifetimeSeconds").ValueKind);
        Assert.All(clients.SelectMany(c => c.EnumerateObject()), p => Assert.DoesNotMatch("(?i)secret|hash", p.Name));
        Assert.DoesNotContain("hash", stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void List_Text_EmptyDatabase_SaysHowToAdd()
    {
        SqliteDatabase.Open(_temp.Path);

        var (exit, stdout, _) = Run("list", "--db", _temp.Path);

        Assert.Equal(0, exit);
        Assert.Contains("tessera clients add", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void List_MissingDatabase_Exit2WithoutCreatingIt()
    {
        var (exit, _, stderr) = Run("list", "--db", _temp.Path);

        Assert.Equal(TesseraCli.ExitUsage, exit);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.Path));
    }

    [Fact]
    public void Remove_ExistingThenAgain_Exit0ThenExit2()
    {
        Add("--id", "billing", "--type", "service");

        var removed = Run("remove", "--db", _temp.Path, "--id", "billing", "--json");
        var again = Run("remove", "--db", _temp.Path, "--id", "billing");

        Assert.Equal(0, removed.Exit);
        Assert.Equal("billing", Json(removed.Out).GetProperty("removed").GetString());
        Assert.Equal(TesseraCli.ExitUsage, again.Exit);
        Assert.Contains("There is no client 'billing'", again.Error, StringComparison.Ordinal);
        Assert.Empty(Json(Run("list", "--db", _temp.Path, "--json").Out).GetProperty("clients").EnumerateArray());
    }

    [Theory]
    [InlineData]
    [InlineData("rename")]
    [InlineData("list", "extra")]
    [InlineData("list", "--db")]
    [InlineData("list", "--secret", "x")]
    public void BadArguments_Exit2(params string[] args)
    {
        Assert.Equal(TesseraCli.ExitUsage, Run(args).Exit);
    }

    [Fact]
    public void Help_Exit0WithExample()
    {
        var (exit, stdout, _) = Run("--help");

        Assert.Equal(0, exit);
        Assert.Contains("tessera clients add --db tessera.db --id billing --type service", stdout, StringComparison.Ordinal);
    }

    private static string[] Strings(JsonElement element, string name) =>
        element.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
