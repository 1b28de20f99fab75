using Microsoft.Extensions.DependencyInjection;
using Tessera.Clients;
using Tessera.Storage.Sqlite.Users;

namespace Tessera.Server.Tests.Sessions;

/// <summary>
/// A real token service (<see cref="TokenServiceFixture"/>) set up for user sign-in: the per-address sign-in throttle
/// lifted for the test run, a long grace window unless a test asks otherwise, and helpers to add users and clients.
/// </summary>
public sealed class SessionServer : IAsyncLifetime
{
    public const string Audience = "api://orders";
    public const string Scope = "orders:read";

    public SessionServer()
        : this(new Dictionary<string, string?>())
    {
    }

    internal SessionServer(Dictionary<string, string?> settings)
    {
        // A port fixed before start: the issuer (and so discovery, iss, the ID tokens) names it, and a restart keeps it.
        Server.Settings["urls"] = $"http://127.0.0.1:{FreeLoopbackPort()}";
        Server.Settings["Tessera:Sessions:SignInAttemptsPerMinute"] = "100000";
        Server.Settings["Tessera:Sessions:RefreshGraceWindow"] = "00:00:30";
        foreach (var (key, value) in settings)
        {
            Server.Settings[key] = value;
        }
    }

    public TokenServiceFixture Server { get; } = new();

    public string Issuer => Server.Issuer;

    public Task InitializeAsync() => Server.InitializeAsync();

    public Task DisposeAsync() => Server.DisposeAsync();

    public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Adds a user with a random name and password; returns them with the subject id.</summary>
    public async Task<TestUser> AddUserAsync(string? tenant = null)
    {
        var user = new TestUser(Unique("user"), "pass-" + Guid.NewGuid().ToString("N"), SqliteUserStore.NewUserId(), tenant);
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        Assert.True(await Server.Services.GetRequiredService<SqliteUserStore>().AddAsync(new UserAccount
        {
            UserId = user.Subject,
            Username = user.Username,
            Tenant = tenant,
            PasswordHash = UserPasswords.Hash(user.Password),
            CreatedAt = now,
            PasswordChangedAt = now,
        }));
        return user;
    }

    /// <summary>Registers a client for user sign-in: web (confidential, with a secret), native or browser (public).</summary>
    public async Task<TestClient> AddClientAsync(ClientType type, bool firstParty = true, string? redirectUri = null)
    {
        var id = Unique(ClientRules.Name(type));
        var redirect = redirectUri ?? $"http://127.0.0.1:{Random.Shared.Next(20000, 60000)}/callback";
        var secret = await Server.AddClientAsync(new ClientRegistration
        {
            ClientId = id,
            Type = type,
            GrantTypes = ClientRules.DefaultGrantTypes(type),
            Audiences = [Audience],
            Scopes = [Scope],
            RedirectUris = [redirect],
            FirstParty = firstParty,
        });
        return new TestClient(id, secret, redirect, type);
    }

    public Browser NewBrowser() => new(Server.BaseAddress);

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record TestUser(string Username, string Password, string Subject, string? Tenant);

public sealed record TestClient(string Id, string? Secret, string RedirectUri, ClientType Type);
