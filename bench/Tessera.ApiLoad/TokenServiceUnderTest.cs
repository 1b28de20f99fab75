using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Clients;
using Tessera.Server.Hosting;
using Tessera.Storage.Sqlite;
using Tessera.Storage.Sqlite.Settings;

namespace Tessera.ApiLoad;

/// <summary>The real token service on a loopback port over a temporary SQLite file, with the clients the load needs.</summary>
internal sealed class TokenServiceUnderTest : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;

    private TokenServiceUnderTest(WebApplication app, string directory, string issuer)
    {
        _app = app;
        _directory = directory;
        Issuer = issuer;
    }

    public string Issuer { get; }

    public static async Task<TokenServiceUnderTest> StartAsync(int port)
    {
        var directory = Path.Combine(Path.GetTempPath(), "tessera-apiload", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "kek"), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        await File.WriteAllTextAsync(Path.Combine(directory, "admin"), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        var issuer = $"http://127.0.0.1:{port}";
        var app = ServerHost.Create([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["urls"] = issuer,
                ["Tessera:Issuer"] = issuer,
                ["Tessera:DatabasePath"] = Path.Combine(directory, "tessera.db"),
                ["Tessera:KeyEncryptionKeyFile"] = Path.Combine(directory, "kek"),
                ["Tessera:AdminKeyFile"] = Path.Combine(directory, "admin"),
                ["Tessera:DevelopmentMode"] = "false",
                ["Tessera:SeedDemo"] = "false",
            });
            builder.Logging.ClearProviders();
        });
        await app.StartAsync();
        return new TokenServiceUnderTest(app, directory, issuer);
    }

    /// <summary>Registers a confidential client and returns its secret.</summary>
    public async Task<string> AddClientAsync(ClientRegistration client)
    {
        var secret = ClientSecrets.Generate();
        var key = await new SqliteSettings(_app.Services.GetRequiredService<SqliteDatabase>()).GetOrCreateSecretHashingKeyAsync();
        if (!await _app.Services.GetRequiredService<IClientStore>().AddAsync(client with { SecretHash = ClientSecrets.Hash(secret, key) }))
        {
            throw new InvalidOperationException($"client {client.ClientId} exists");
        }

        return secret;
    }

    public async Task<string> ServiceTokenAsync(string clientId, string secret)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Issuer) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("access_token").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
