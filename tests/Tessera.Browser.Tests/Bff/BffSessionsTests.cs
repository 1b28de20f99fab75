using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tessera.AspNetCore.Bff;

namespace Tessera.Browser.Tests.Bff;

public sealed class BffSessionsTests
{
    private const string AccessToken = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c3JfMSJ9.c2ln";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingStore _store = new();

    private BffSessions Create(IDataProtectionProvider? protection = null) => new(
        _store,
        protection ?? new EphemeralDataProtectionProvider(),
        Options.Create(new TesseraBffOptions()),
        _time);

    private BffSession Session() => new()
    {
        AccessToken = AccessToken,
        AccessTokenExpiresAt = _time.GetUtcNow().AddMinutes(5),
        RefreshToken = "refresh-secret-value",
        IdToken = "eyJ.id.token",
        UserClaims = JsonSerializer.SerializeToElement(new { sub = "usr_1" }),
        CreatedAt = _time.GetUtcNow(),
        ExpiresAt = _time.GetUtcNow().AddHours(8),
    };

    [Fact]
    public async Task Save_StoresNeitherTheSessionIdNorTheTokens()
    {
        var sessions = Create();
        var id = BffSessions.NewSecret();

        await sessions.SaveAsync(id, Session(), CancellationToken.None);

        var (key, payload) = Assert.Single(_store.Rows);
        Assert.NotEqual(id, key);
        Assert.DoesNotContain(id, key, StringComparison.Ordinal);
        var text = Encoding.UTF8.GetString(payload);
        Assert.DoesNotContain("eyJ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("refresh-secret-value", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_RoundTripsTheSession()
    {
        var sessions = Create();
        var id = BffSessions.NewSecret();
        await sessions.SaveAsync(id, Session(), CancellationToken.None);

        var loaded = await sessions.LoadAsync(id, CancellationToken.None);

        Assert.Equal(AccessToken, loaded!.AccessToken);
        Assert.Equal("refresh-secret-value", loaded.RefreshToken);
    }

    [Fact]
    public async Task Load_TamperedPayload_ReturnsNull()
    {
        var sessions = Create();
        var id = BffSessions.NewSecret();
        await sessions.SaveAsync(id, Session(), CancellationToken.None);
        var key = _store.Rows.Keys.Single();
        _store.Rows[key][^1] ^= 1;

        Assert.Null(await sessions.LoadAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Load_WithOtherKeys_ReturnsNull()
    {
        var id = BffSessions.NewSecret();
        await Create().SaveAsync(id, Session(), CancellationToken.None);

        Assert.Null(await Create(new EphemeralDataProtectionProvider()).LoadAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Load_AfterSessionLifetime_ReturnsNull()
    {
        var sessions = Create();
        var id = BffSessions.NewSecret();
        await sessions.SaveAsync(id, Session(), CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(8) + TimeSpan.FromSeconds(1));

        Assert.Null(await sessions.LoadAsync(id, CancellationToken.None));
    }

    [Fact]
    public void NewSecret_Is256RandomBits() =>
        Assert.Equal(43, BffSessions.NewSecret().Length);

    [Fact]
    public void AddTesseraBff_UseDistributedCache_UsesTheRegisteredCache()
    {
        var services = new ServiceCollection().AddLogging().AddDistributedMemoryCache();
        services.AddTesseraBff(o => Complete(o).UseDistributedCache = true);

        using var provider = services.BuildServiceProvider();

        Assert.IsType<DistributedCacheBffSessionStore>(provider.GetRequiredService<IBffSessionStore>());
    }

    [Fact]
    public void AddTesseraBff_UseDistributedCacheWithoutCache_SaysWhatToAdd()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddTesseraBff(o => Complete(o).UseDistributedCache = true);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IBffSessionStore>());
        Assert.Contains("IDistributedCache", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTesseraBff_MissingSettings_FailValidationWithEachFix()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddTesseraBff(o => o.Authority = "https://id.example.com");
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TesseraBffOptions>>().Value);
        Assert.Contains(error.Failures, f => f.Contains("ClientSecret", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("ApiBaseAddress", StringComparison.Ordinal));
    }

    private static TesseraBffOptions Complete(TesseraBffOptions o)
    {
        o.Authority = "https://id.example.com";
        o.ClientId = "portal";
        o.ClientSecret = "s3cret";
        o.ApiAudience = "api://orders";
        o.ApiBaseAddress = new Uri("https://orders.example.com/");
        return o;
    }

    private sealed class RecordingStore : IBffSessionStore
    {
        public Dictionary<string, byte[]> Rows { get; } = [];

        public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) =>
            Task.FromResult(Rows.TryGetValue(key, out var v) ? v : null);

        public Task SetAsync(string key, byte[] payload, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
        {
            Rows[key] = payload;
            return Task.CompletedTask;
        }

        public Task RemoveAsync(string key, CancellationToken cancellationToken = default)
        {
            Rows.Remove(key);
            return Task.CompletedTask;
        }
    }
}
