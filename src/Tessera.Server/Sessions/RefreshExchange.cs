using Tessera.Clients;
using Tessera.Server.Endpoints;
using Tessera.Storage.Sqlite.Sessions;
using Tessera.Telemetry;

namespace Tessera.Server.Sessions;

/// <summary>
/// <c>grant_type=refresh_token</c>: rotation on every use. The current token is spent and its successor issued; the
/// immediate predecessor presented again within the grace window gets that same successor (idempotent retries); any
/// other spent token is reuse — the family is revoked, its tokens denied, an event goes on the feed and
/// <c>tessera.refresh.reuse_detected</c> counts it. Browser clients never get here: they receive no refresh tokens.
/// </summary>
internal sealed class RefreshExchange(
    SqliteRefreshTokenStore store,
    RefreshSuccessors successors,
    UserTokenIssuer tokens,
    FamilyRevocations reuse,
    Cutoffs cutoffs,
    UserSessionOptions options,
    SessionMetrics metrics,
    TimeProvider time,
    ILogger<RefreshExchange> logger)
{
    public async Task<GrantOutcome> ExchangeAsync(ClientRegistration client, IFormCollection form, CancellationToken cancellationToken)
    {
        var clientType = ClientRules.Name(client.Type);
        if (options.For(client.Type) is not { } lifetime)
        {
            return GrantOutcome.Refused(OAuthError.UnauthorizedClient("Browser apps never receive refresh tokens; use a backend for frontend (a web client)."));
        }

        var presented = ClientAuthenticator.Single(form, "refresh_token");
        if (!OpaqueSecrets.IsWellFormed(presented))
        {
            metrics.Refresh("refused", clientType);
            return GrantOutcome.Refused(OAuthError.InvalidGrant("The refresh token is not valid."));
        }

        var successor = successors.Of(presented!);
        var rotation = await store.RotateAsync(
            OpaqueSecrets.Hash(presented!), OpaqueSecrets.Hash(successor), client.ClientId, time.GetUtcNow(), options.RefreshGraceWindow, lifetime.Idle, IsCutOff, cancellationToken);
        var fingerprint = TokenFingerprint.Of(presented);
        switch (rotation.Status)
        {
            case RefreshRotationStatus.Reused:
                metrics.Refresh("reused", clientType);
                metrics.RefreshReused(clientType);
                SessionLog.RefreshReused(logger, rotation.Family!.Id, client.ClientId, rotation.TokensToDeny.Count, fingerprint);
                await PublishAsync(rotation);
                return GrantOutcome.Refused(OAuthError.InvalidGrant(rotation.Problem!));
            case RefreshRotationStatus.CutOff:
                metrics.Refresh("cut_off", clientType);
                SessionLog.Refreshed(logger, rotation.Family!.Id, client.ClientId, "cut off by a revocation trigger", fingerprint);
                return GrantOutcome.Refused(OAuthError.InvalidGrant(rotation.Problem!));
            case RefreshRotationStatus.Refused:
                metrics.Refresh("refused", clientType);
                return GrantOutcome.Refused(OAuthError.InvalidGrant(rotation.Problem!));
        }

        var family = rotation.Family!;
        var (scopes, scopeError) = Narrow(form, family.Scopes);
        if (scopeError is not null)
        {
            return GrantOutcome.Refused(scopeError);
        }

        var issued = await tokens.IssueAsync(client, family, scopes, nonce: null, cancellationToken);
        if (!await store.AttachTokensAsync(family.Id, UserTokenIssuer.Records(issued, family.UserId), time.GetUtcNow(), cancellationToken))
        {
            metrics.Refresh("refused", clientType);
            return GrantOutcome.Refused(OAuthError.InvalidGrant("The refresh token's family was revoked; sign in again."));
        }

        var result = rotation.Status == RefreshRotationStatus.Rotated ? "rotated" : "retried";
        metrics.Refresh(result, clientType);
        SessionLog.Refreshed(logger, family.Id, client.ClientId, result, fingerprint);
        return new GrantOutcome(issued, successor, null);
    }

    /// <summary>A family created before a subject, tenant or client cut-off is revoked by it (a trigger not yet enforced on sessions).</summary>
    private bool IsCutOff(RefreshFamily family) => cutoffs.After(family.CreatedAt, family.UserId, family.Tenant, family.ClientId) is not null;

    /// <summary>RFC 6749 §6: a refresh may ask for fewer scopes than were granted, never more.</summary>
    private static (IReadOnlyList<string> Scopes, OAuthError? Error) Narrow(IFormCollection form, IReadOnlyList<string> granted)
    {
        if (ClientAuthenticator.Single(form, "scope") is not { } text)
        {
            return (granted, null);
        }

        var requested = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        return requested.All(s => granted.Contains(s, StringComparer.Ordinal))
            ? (requested, null)
            : ([], OAuthError.InvalidScope("A refresh may only ask for scopes that were granted."));
    }

    private async Task PublishAsync(RefreshRotation rotation)
    {
        try
        {
            await reuse.PublishAsync("refresh_reused", rotation.Family!, rotation.TokensToDeny, CancellationToken.None);
        }
#pragma warning disable CA1031 // The refusal stands whatever happens to the feed; the failure is logged.
        catch (Exception e)
#pragma warning restore CA1031
        {
            SessionLog.ReusePublishFailed(logger, "refresh token", rotation.Family!.Id, e);
        }
    }
}
