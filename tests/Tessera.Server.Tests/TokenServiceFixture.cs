using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Clients;
using Tessera.Server.Endpoints;
using Tessera.Server.Hosting;

namespace Tessera.Server.Tests;

/// <summary>
/// A real token service on 127.0.0.1 (a free port chosen once) over a real SQLite file in a temporary directory.
/// <see cref="RestartAsync"/> stops it and starts a new one on the same database.
/// </summary>
public sealed class TokenServiceFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "tessera-server-tests", Guid.NewGuid().ToString("N"));

    public string DatabasePath => Path.Combine(DataDirectory, "tessera.db");

    public string AdminKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public Uri BaseAddress { get; private set; } = null!;

    public string Issuer => BaseAddress.ToString().TrimEnd('/');

    public IServiceProvider Services => _app!.Services;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>Extra configuration for the next start (e.g. <c>Tessera:RateLimitPerSecond</c>).</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>One loopback port for the fixture's life, so the issuer (the bound address) survives restarts.</summary>
    private int Port { get; } = FreePort();

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        await File.WriteAllTextAsync(Path.Combine(DataDirectory, "kek"), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        await File.WriteAllTextAsync(Path.Combine(DataDirectory, "admin"), AdminKey);
        await StartAsync();
    }

    public async Task StartAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{Port}",
            ["Tessera:DatabasePath"] = DatabasePath,
            ["Tessera:KeyEncryptionKeyFile"] = Path.Combine(DataDirectory, "kek"),
            ["Tessera:AdminKeyFile"] = Path.Combine(DataDirectory, "admin"),
            ["Tessera:DevelopmentMode"] = "false",
            ["Tessera:SeedDemo"] = "false",
            ["Tessera:RateLimitPerSecond"] = "10000",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        _app = ServerHost.Create([], builder => builder.Configuration.AddInMemoryCollection(settings));
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Http = new HttpClient { BaseAddress = BaseAddress };
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public async Task StopAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Registers a client directly in the store; returns its secret for confidential clients without JWKS.</summary>
    public async Task<string?> AddClientAsync(ClientRegistration client)
    {
        string? secret = null;
        if (client.IsConfidential && client.Jwks is null)
        {
            secret = ClientSecrets.Generate();
            client = client with { SecretHash = ClientSecrets.Hash(secret, Services.GetRequiredService<SecretHashingKey>().Value) };
        }

        Assert.True(await Services.GetRequiredService<IClientStore>().AddAsync(client));
        return secret;
    }

    /// <summary>POSTs a form with client_secret_basic credentials.</summary>
    public async Task<(int Status, JsonElement Body)> PostFormAsync(string path, string? clientId, string? secret, params (string Name, string Value)[] fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))) };
        if (clientId is not null && secret is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
