using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Tessera.Clients;
using Tessera.Storage.Sqlite;
using Tessera.Storage.Sqlite.Clients;
using Tessera.Storage.Sqlite.Settings;

namespace Tessera.LoadTest;

/// <summary>A server under test, started with equivalent settings and one confidential client.</summary>
internal sealed class Target : IAsyncDisposable
{
    private const string ClientId = "bench";
    private const string Audience = "api://bench";

    private readonly string _dataDirectory;

    private Target(string name, string description, ServerProcess server, string dataDirectory, string secret, bool isFloor)
    {
        Name = name;
        Description = description;
        Server = server;
        _dataDirectory = dataDirectory;
        Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{secret}")));
        IsFloor = isFloor;
    }

    public string Name { get; }

    public string Description { get; }

    public ServerProcess Server { get; }

    public bool IsFloor { get; }

    public AuthenticationHeaderValue Authorization { get; }

    /// <summary>The token request's form. Tessera names the resource (RFC 8707); the OpenIddict setup sets the same audience itself.</summary>
    public string TokenForm => Name.StartsWith("tessera", StringComparison.Ordinal)
        ? $"grant_type=client_credentials&resource={Uri.EscapeDataString(Audience)}&scope=read"
        : "grant_type=client_credentials&scope=read";

    public static async Task<Target> StartAsync(string name, LoadOptions options, string repositoryRoot)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "tessera-loadtest", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDirectory);
        var secret = ClientSecrets.Generate();
        var logLevel = new[] { $"--Logging:LogLevel:Default={options.LogLevel}", $"--Logging:LogLevel:Microsoft.AspNetCore={options.LogLevel}" };
        try
        {
            switch (name)
            {
                case "floor":
                    var self = typeof(Target).Assembly.Location;
                    var floor = await ServerProcess.StartAsync(self, ["floor", .. logLevel], "/health");
                    return new Target(name, "ASP.NET Core minimal API, constant JSON (HTTP floor)", floor, dataDirectory, secret, isFloor: true);

                case "tessera" or "tessera-infolog":
                    var database = Path.Combine(dataDirectory, "tessera.db");
                    await SeedTesseraAsync(database, secret);
                    var tessera = await ServerProcess.StartAsync(
                        options.TesseraServer ?? Path.Combine(repositoryRoot, "src", "Tessera.Server", "bin", "Release", "net10.0", "Tessera.Server.dll"),
                        [
                            $"--Tessera:DatabasePath={database}",
                            "--Tessera:DevelopmentMode=true",
                            "--Tessera:SeedDemo=false",
                            "--Tessera:RateLimitPerSecond=1000000",
                            .. name == "tessera" ? logLevel : [],
                        ],
                        "/health");
                    return new Target(name, name == "tessera" ? "Tessera (SQLite clients, stateless service tokens)" : "Tessera, shipped logging (Information)", tessera, dataDirectory, secret, isFloor: false);

                case "openiddict-storage" or "openiddict-nostorage":
                    var storage = name == "openiddict-storage";
                    var openIddict = await ServerProcess.StartAsync(
                        options.OpenIddictServer ?? Path.Combine(repositoryRoot, "bench", "OpenIddictComparison", "bin", "Release", "net10.0", "OpenIddictComparison.dll"),
                        [
                            $"--Bench:Database={Path.Combine(dataDirectory, "openiddict.db")}",
                            $"--Bench:ClientId={ClientId}",
                            $"--Bench:ClientSecret={secret}",
                            $"--Bench:TokenStorage={(storage ? "true" : "false")}",
                            .. logLevel,
                        ],
                        "/health");
                    return new Target(name, storage ? "OpenIddict 7.8, EF Core SQLite, token storage on" : "OpenIddict 7.8, EF Core SQLite, token storage off", openIddict, dataDirectory, secret, isFloor: false);

                default:
                    throw new ArgumentException($"Unknown target {name}.", nameof(name));
            }
        }
        catch
        {
            TryDelete(dataDirectory);
            throw;
        }
    }

    /// <summary>Registers the client in the SQLite store before the server opens it (the admin-free path).</summary>
    private static async Task SeedTesseraAsync(string databasePath, string secret)
    {
        var database = SqliteDatabase.Open(databasePath);
        var hashingKey = await new SqliteSettings(database).GetOrCreateSecretHashingKeyAsync();
        var added = await new SqliteClientStore(database, TimeProvider.System).AddAsync(new ClientRegistration
        {
            ClientId = ClientId,
            Type = ClientType.Service,
            SecretHash = ClientSecrets.Hash(secret, hashingKey),
            GrantTypes = [GrantTypes.ClientCredentials],
            Audiences = [Audience],
            Scopes = ["read"],
        });
        if (!added)
        {
            throw new InvalidOperationException("The load-test client could not be registered.");
        }
    }

    /// <summary>The scenarios this target runs: the floor its one endpoint; a token server a token request and an introspection of one token.</summary>
    public async Task<IReadOnlyList<Scenario>> ScenariosAsync(IReadOnlyList<string> operations)
    {
        if (IsFloor)
        {
            return [new Scenario("constant JSON", new Uri(Server.BaseAddress, "/floor"), TokenForm, Authorization, "access_token")];
        }

        var token = new Scenario("token", new Uri(Server.BaseAddress, "/connect/token"), TokenForm, Authorization, "access_token");
        var list = new List<Scenario>();
        if (operations.Contains("token"))
        {
            list.Add(token);
        }

        if (operations.Contains("introspect"))
        {
            var accessToken = await ObtainTokenAsync(token);
            list.Add(new Scenario("introspect", new Uri(Server.BaseAddress, "/connect/introspect"), $"token={Uri.EscapeDataString(accessToken)}", Authorization, "\"active\":"));
        }

        return list;
    }

    /// <summary>One token, also printed (header and claims) so the settings can be seen to be equivalent.</summary>
    public async Task<string> ObtainTokenAsync(Scenario token)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, token.Url) { Content = new StringContent(token.Form, Encoding.ASCII, "application/x-www-form-urlencoded") };
        request.Headers.Authorization = Authorization;
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{Name}: the token request failed with {(int)response.StatusCode}: {text}");
        }

        var accessToken = JsonDocument.Parse(text).RootElement.GetProperty("access_token").GetString()!;
        var parts = accessToken.Split('.');
        Console.WriteLine($"  sample token: header {Decode(parts[0])}");
        Console.WriteLine($"                claims {Decode(parts[1])}");
        return accessToken;

        static string Decode(string part) => Encoding.UTF8.GetString(Convert.FromBase64String(part.Replace('-', '+').Replace('_', '/').PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=')));
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        TryDelete(_dataDirectory);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
