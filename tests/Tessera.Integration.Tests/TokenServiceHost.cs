using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Clients;
using Tessera.Jose;
using Tessera.Keys.Ring;
using Tessera.Server.Hosting;
using Tessera.Storage.Sqlite;
using Tessera.Storage.Sqlite.Settings;
using Tessera.Tokens;

namespace Tessera.Integration.Tests;

/// <summary>
/// The real token service, in-process on a fixed loopback port (so it can be stopped and started again at the same
/// address) over a SQLite file in a temporary directory; its logs go to <see cref="LogCapture"/>. Helpers register
/// clients, obtain service tokens, mint user access and ID tokens with the service's own signing key (the service has
/// no user login yet), and pull revocation triggers.
/// </summary>
public sealed class TokenServiceHost : IAsyncDisposable
{
    private WebApplication? _app;

    private TokenServiceHost(int port)
    {
        Port = port;
        Issuer = $"http://127.0.0.1:{port}";
        Http = new HttpClient { BaseAddress = new Uri(Issuer) };
    }

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "tessera-integration", Guid.NewGuid().ToString("N"));

    public string AdminKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public int Port { get; }

    public string Issuer { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app!.Services;

    public bool IsRunning => _app is not null;

    public static async Task<TokenServiceHost> StartAsync()
    {
        var host = new TokenServiceHost(FreePort());
        Directory.CreateDirectory(host.DataDirectory);
        await File.WriteAllTextAsync(Path.Combine(host.DataDirectory, "kek"), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        await File.WriteAllTextAsync(Path.Combine(host.DataDirectory, "admin"), host.AdminKey);
        await host.StartAgainAsync();
        return host;
    }

    public async Task StartAgainAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = Issuer,
            ["Tessera:Issuer"] = Issuer,
            ["Tessera:DatabasePath"] = Path.Combine(DataDirectory, "tessera.db"),
            ["Tessera:KeyEncryptionKeyFile"] = Path.Combine(DataDirectory, "kek"),
            ["Tessera:AdminKeyFile"] = Path.Combine(DataDirectory, "admin"),
            ["Tessera:DevelopmentMode"] = "false",
            ["Tessera:SeedDemo"] = "false",
            ["Tessera:RateLimitPerSecond"] = "100000",
        };
        _app = ServerHost.Create([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(LogCapture.Instance);
        });
        await _app.StartAsync();
    }

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Registers a client in the service's store; returns its secret for confidential clients.</summary>
    public async Task<string> AddClientAsync(ClientRegistration client)
    {
        var secret = ClientSecrets.Generate();
        var hashingKey = await new SqliteSettings(Services.GetRequiredService<SqliteDatabase>()).GetOrCreateSecretHashingKeyAsync();
        Assert.True(await Services.GetRequiredService<IClientStore>().AddAsync(client with { SecretHash = ClientSecrets.Hash(secret, hashingKey) }));
        return secret;
    }

    /// <summary>A service client for <paramref name="audience"/> with <paramref name="scopes"/>; returns its secret.</summary>
    public Task<string> AddServiceClientAsync(string clientId, string audience, params string[] scopes) => AddClientAsync(new ClientRegistration
    {
        ClientId = clientId,
        Type = ClientType.Service,
        GrantTypes = [GrantTypes.ClientCredentials],
        Audiences = [audience],
        Scopes = scopes,
    });

    /// <summary>A resource-server client (introspection and the revocation feed), as the demo's <c>sample-api</c>; returns its secret.</summary>
    public Task<string> AddResourceServerClientAsync(string clientId) => AddClientAsync(new ClientRegistration
    {
        ClientId = clientId,
        Type = ClientType.Service,
        GrantTypes = [GrantTypes.RevocationFeed],
    });

    /// <summary>A service token from the token endpoint (client_credentials).</summary>
    public async Task<string> ServiceTokenAsync(string clientId, string secret, string? scope = null)
    {
        var fields = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (scope is not null)
        {
            fields.Add(new("scope", scope));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Authorization = Basic(clientId, secret);
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"token endpoint: {(int)response.StatusCode}");
        using var document = JsonDocument.Parse(body);
        return LogCapture.Instance.Token(document.RootElement.GetProperty("access_token").GetString()!);
    }

    /// <summary>A user's access token signed with the service's current key, as its user flows will issue them; <paramref name="clock"/> stamps it.</summary>
    public async Task<string> UserAccessTokenAsync(string subject, string audience, string scope, string clientId = "web-front", TimeProvider? clock = null)
    {
        var key = await Services.GetRequiredService<KeyRing>().GetSigningKeyAsync();
        var issued = new TokenIssuer(clock ?? TimeProvider.System).Issue(Profile(TokenKind.Access), key, new TokenDescriptor
        {
            Subject = subject,
            ClientId = clientId,
            Audiences = [audience],
            Scopes = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        });
        return LogCapture.Instance.Token(issued.Token);
    }

    /// <summary>An OpenID Connect ID token for <paramref name="clientId"/>, signed with the service's current key.</summary>
    public async Task<string> IdTokenAsync(string subject, string clientId)
    {
        var key = await Services.GetRequiredService<KeyRing>().GetSigningKeyAsync();
        var issued = new TokenIssuer().Issue(Profile(TokenKind.Id), key, new TokenDescriptor { Subject = subject, Audiences = [clientId] });
        return LogCapture.Instance.Token(issued.Token);
    }

    /// <summary>The <c>kid</c> of the service's current signing key.</summary>
    public async Task<string> SigningKidAsync() => (await Services.GetRequiredService<KeyRing>().GetSigningKeyAsync()).Kid;

    /// <summary>Pulls a revocation trigger (<c>password_reset</c>, …) for a subject at <c>POST /admin/triggers</c>.</summary>
    public async Task TriggerAsync(string @event, string subject)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/triggers")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { @event, subject }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>RFC 7009: the client revokes a token issued to it.</summary>
    public async Task RevokeAsync(string clientId, string secret, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/revoke") { Content = new FormUrlEncodedContent([new("token", token)]) };
        request.Headers.Authorization = Basic(clientId, secret);
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private TokenProfile Profile(TokenKind kind)
    {
        var options = new TokenProfileOptions();
        options.Issuers.Add(Issuer);
        options.Audiences.Add("any");
        options.AllowedAlgorithms.Add(JwsAlgorithm.ES256);
        return TokenProfile.Create(kind, options);
    }

    private static AuthenticationHeaderValue Basic(string id, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(id)}:{Uri.EscapeDataString(secret)}")));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
