namespace Tessera.AspNetCore.Bff;

/// <summary>
/// Where the BFF keeps sessions. It only ever sees a key (a hash of the session cookie, not the cookie) and a payload
/// already protected with ASP.NET Core Data Protection, so a leaked store yields neither cookies nor tokens.
/// </summary>
public interface IBffSessionStore
{
    /// <summary>The payload stored under <paramref name="key"/>, or null when absent or expired.</summary>
    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores or replaces the payload under <paramref name="key"/> until <paramref name="expiresAt"/>.</summary>
    Task SetAsync(string key, byte[] payload, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Removes the session (no error when absent).</summary>
    Task RemoveAsync(string key, CancellationToken cancellationToken = default);
}
