using Tessera.Storage.Sqlite.Sessions;

namespace Tessera.Server.Sessions;

/// <summary>
/// RFC 7009 for refresh tokens, for the revocation endpoint to call with a token that is not a JWT: the client's own
/// refresh token revokes its whole family (RFC 7009 §2.1: and the access tokens of the same grant), published like a
/// reuse under the event <c>rfc7009</c>. Anything else — malformed, unknown, another client's — changes nothing.
/// </summary>
internal sealed class RefreshTokenRevocation(SqliteRefreshTokenStore store, FamilyRevocations publisher, TimeProvider time, ILogger<RefreshTokenRevocation> logger)
{
    /// <summary>True when <paramref name="token"/> was a refresh token of <paramref name="clientId"/> and its family is now revoked.</summary>
    public async Task<bool> TryRevokeAsync(string token, string clientId, CancellationToken cancellationToken)
    {
        if (!OpaqueSecrets.IsWellFormed(token))
        {
            return false;
        }

        var revoked = await store.RevokeByTokenAsync(OpaqueSecrets.Hash(token), clientId, "rfc7009", time.GetUtcNow(), cancellationToken);
        if (revoked is not { } result)
        {
            return false;
        }

        SessionLog.Refreshed(logger, result.Family.Id, clientId, "revoked by the client (RFC 7009)", Telemetry.TokenFingerprint.Of(token));
        await publisher.PublishAsync("rfc7009", result.Family, result.TokensToDeny, CancellationToken.None, "client:" + clientId);
        return true;
    }
}
