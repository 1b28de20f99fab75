namespace Tessera.Clients;

/// <summary>The client registry.</summary>
public interface IClientStore
{
    /// <summary>The client, or null.</summary>
    Task<ClientRegistration?> FindAsync(string clientId, CancellationToken cancellationToken = default);

    /// <summary>Every client, ordered by id.</summary>
    Task<IReadOnlyList<ClientRegistration>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a client; false when the id is taken. Stores check it with <see cref="ClientRules.Validate"/> first.</summary>
    Task<bool> AddAsync(ClientRegistration client, CancellationToken cancellationToken = default);

    /// <summary>Removes a client; false when there was none.</summary>
    Task<bool> RemoveAsync(string clientId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a client assertion's <c>jti</c> until it expires; false when it was already seen (a replay).
    /// Call it only for an assertion whose signature and claims were accepted, and pass the last instant it could be
    /// accepted (its <c>exp</c> plus the validator's clock skew), so the record outlives every copy of the assertion.
    /// </summary>
    Task<bool> TryUseAssertionAsync(string clientId, string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);
}
