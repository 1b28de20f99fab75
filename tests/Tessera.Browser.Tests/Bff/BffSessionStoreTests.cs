using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Time.Testing;
using Tessera.AspNetCore.Bff;

namespace Tessera.Browser.Tests.Bff;

/// <summary>One conformance suite, run against every session store.</summary>
public abstract class BffSessionStoreTests : IDisposable
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    protected abstract IBffSessionStore Store { get; }

    [Fact]
    public async Task SetThenGet_ReturnsThePayload()
    {
        await Store.SetAsync("k1", [1, 2, 3], Time.GetUtcNow().AddHours(1));

        Assert.Equal([1, 2, 3], await Store.GetAsync("k1"));
    }

    [Fact]
    public async Task Set_Twice_ReplacesThePayload()
    {
        await Store.SetAsync("k2", [1], Time.GetUtcNow().AddHours(1));
        await Store.SetAsync("k2", [2], Time.GetUtcNow().AddHours(1));

        Assert.Equal([2], await Store.GetAsync("k2"));
    }

    [Fact]
    public async Task Remove_ThenGet_ReturnsNull()
    {
        await Store.SetAsync("k3", [1], Time.GetUtcNow().AddHours(1));
        await Store.RemoveAsync("k3");
        await Store.RemoveAsync("absent");

        Assert.Null(await Store.GetAsync("k3"));
    }

    [Fact]
    public async Task Get_AfterExpiry_ReturnsNull()
    {
        await Store.SetAsync("k4", [1], Time.GetUtcNow().AddMinutes(5));
        Time.Advance(TimeSpan.FromMinutes(6));

        Assert.Null(await Store.GetAsync("k4"));
    }

    public virtual void Dispose() => GC.SuppressFinalize(this);
}

public sealed class SqliteBffSessionStoreTests : BffSessionStoreTests
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "tessera-bff-" + Guid.NewGuid().ToString("N") + ".db");
    private readonly SqliteBffSessionStore _store;

    public SqliteBffSessionStoreTests() => _store = new SqliteBffSessionStore(_path, Time);

    protected override IBffSessionStore Store => _store;

    public override void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }

        base.Dispose();
    }
}

public sealed class DistributedCacheBffSessionStoreTests : BffSessionStoreTests
{
    private readonly ClockedCache _cache;

    public DistributedCacheBffSessionStoreTests() => _cache = new ClockedCache(Time);

    protected override IBffSessionStore Store => new DistributedCacheBffSessionStore(_cache);

    [Fact]
    public async Task Set_UsesAPrefixedKeyAndAbsoluteExpiry()
    {
        var expires = Time.GetUtcNow().AddMinutes(3);
        await Store.SetAsync("k5", [1], expires);

        Assert.Equal(expires, _cache.Expiry["tessera-bff:k5"]);
    }

    /// <summary>An in-memory cache on the test's clock (MemoryDistributedCache reads the system clock).</summary>
    private sealed class ClockedCache(TimeProvider time) : IDistributedCache
    {
        private readonly Dictionary<string, byte[]> _values = [];

        public Dictionary<string, DateTimeOffset> Expiry { get; } = [];

        public byte[]? Get(string key) => _values.TryGetValue(key, out var v) && Expiry[key] > time.GetUtcNow() ? v : null;

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromResult(Get(key));

        public void Refresh(string key)
        {
        }

        public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

        public void Remove(string key)
        {
            _values.Remove(key);
            Expiry.Remove(key);
        }

        public Task RemoveAsync(string key, CancellationToken token = default)
        {
            Remove(key);
            return Task.CompletedTask;
        }

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
        {
            _values[key] = value;
            Expiry[key] = options.AbsoluteExpiration ?? DateTimeOffset.MaxValue;
        }

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            Set(key, value, options);
            return Task.CompletedTask;
        }
    }
}
