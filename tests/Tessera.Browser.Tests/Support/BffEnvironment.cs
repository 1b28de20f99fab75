using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore.Bff;
using Tessera.Clients;
using Tessera.SampleApi;
using Tessera.SampleBff;
using Tessera.Server.Hosting;
using Tessera.Storage.Sqlite;
using Tessera.Storage.Sqlite.Settings;
using Tessera.Storage.Sqlite.Users;

namespace Tessera.Browser.Tests.Support;

/// <summary>
/// The real token service, the sample API and the demo BFF, in-process on loopback ports over files in a temporary
/// directory: a web client for the BFF and a user are registered the way the demo seeding does it. Access tokens
/// live 2 minutes and the BFF refreshes 5 minutes before expiry, so every API call goes through a server-side refresh.
/// </summary>
public sealed class BffEnvironment : IAsyncLifetime
{
    public const string ClientId = "browser-test-web";
    public const string Username = "alice";
    public const string Audience = "api://sample";

    private WebApplication? _tokenService;
    private WebApplication? _api;
    private WebApplication? _bff;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "tessera-browser", Guid.NewGuid().ToString("N"));

    public string Password { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));

    public string AdminKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Issuer { get; private set; } = string.Empty;

    public string BffAddress { get; private set; } = string.Empty;

    public string ApiAddress { get; private set; } = string.Empty;

    public IServiceProvider BffServices => _bff!.Services;

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        Issuer = $"http://127.0.0.1:{FreePort()}";
        ApiAddress = $"http://127.0.0.1:{FreePort()}";
        BffAddress = $"http://127.0.0.1:{FreePort()}";
        await File.WriteAllTextAsync(Path.Combine(Directory, "kek"), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        await File.WriteAllTextAsync(Path.Combine(Directory, "admin"), AdminKey);
        _tokenService = ServerHost.Create([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["urls"] = Issuer,
                ["Tessera:Issuer"] = Issuer,
                ["Tessera:DatabasePath"] = Path.Combine(Directory, "tessera.db"),
                ["Tessera:KeyEncryptionKeyFile"] = Path.Combine(Directory, "kek"),
                ["Tessera:AdminKeyFile"] = Path.Combine(Directory, "admin"),
                ["Tessera:DevelopmentMode"] = "false",
                ["Tessera:SeedDemo"] = "false",
                ["Tessera:RateLimitPerSecond"] = "100000",
            });
            Quiet(builder);
        });
        await _tokenService.StartAsync();
        var secret = await RegisterAsync(_tokenService.Services);

        _api = SampleApiHost.Create([], configure: builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = ApiAddress, ["issuer"] = Issuer });
            Quiet(builder);
        });
        await _api.StartAsync();

        _bff = SampleBffHost.Create([], configure: builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["urls"] = BffAddress,
                ["authority"] = Issuer,
                ["client-id"] = ClientId,
                [SampleBffSettings.SecretVariable] = secret,
                ["api"] = ApiAddress,
                ["audience"] = Audience,
                ["data"] = Path.Combine(Directory, "bff"),
            });
            builder.Services.Configure<TesseraBffOptions>(o => o.RefreshBeforeExpiry = TimeSpan.FromMinutes(5));
            Quiet(builder);
        });
        await _bff.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var app in new[] { _bff, _api, _tokenService })
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<string> RegisterAsync(IServiceProvider services)
    {
        var database = services.GetRequiredService<SqliteDatabase>();
        var hashingKey = await new SqliteSettings(database).GetOrCreateSecretHashingKeyAsync();
        var secret = ClientSecrets.Generate();
        await services.GetRequiredService<IClientStore>().AddAsync(new ClientRegistration
        {
            ClientId = ClientId,
            Type = ClientType.Web,
            SecretHash = ClientSecrets.Hash(secret, hashingKey),
            GrantTypes = [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken],
            Audiences = [Audience],
            Scopes = ["orders:read"],
            RedirectUris = [BffAddress + "/bff/callback"],
            AccessTokenLifetime = TimeSpan.FromMinutes(2),
            FirstParty = true,
        });
        await services.GetRequiredService<SqliteUserStore>().AddAsync(new UserAccount
        {
            UserId = SqliteUserStore.NewUserId(),
            Username = Username,
            PasswordHash = UserPasswords.Hash(Password),
            CreatedAt = TimeProvider.System.GetUtcNow(),
            PasswordChangedAt = TimeProvider.System.GetUtcNow(),
        });
        return secret;
    }

    private static void Quiet(WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(LogCapture.Instance);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
