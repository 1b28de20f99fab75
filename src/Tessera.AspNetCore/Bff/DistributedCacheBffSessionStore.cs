using Microsoft.Extensions.Caching.Distributed;

namespace Tessera.AspNetCore.Bff;

/// <summary>Sessions in an <see cref="IDistributedCache"/> (Redis, SQL Server, …), shared by several BFF nodes.</summary>
public sealed class DistributedCacheBffSessionStore(IDistributedCache cache) : IBffSessionStore
{
    private const string Prefix = "tessera-bff:";

    /// <inheritdoc />
    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        cache.GetAsync(Prefix + key, cancellationToken);

    /// <inheritdoc />
    public Task SetAsync(string key, byte[] payload, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
        cache.SetAsync(Prefix + key, payload, new DistributedCacheEntryOptions { AbsoluteExpiration = expiresAt }, cancellationToken);

    /// <inheritdoc />
    public Task RemoveAsync(string key, CancellationToken cancellationToken = default) =>
        cache.RemoveAsync(Prefix + key, cancellationToken);
}
