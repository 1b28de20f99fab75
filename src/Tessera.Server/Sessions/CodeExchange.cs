using System.Security.Cryptography;
using Tessera.Clients;
using Tessera.Jose;
using Tessera.Server.Endpoints;
using Tessera.Storage.Sqlite.Sessions;
using Tessera.Telemetry;

namespace Tessera.Server.Sessions;

/// <summary>
/// <c>grant_type=authorization_code</c>: the code is spent on first presentation; it must be unexpired (60 s), the
/// client's, with the exact redirect URI and a PKCE verifier matching the S256 challenge. Success creates a family
/// (with a first refresh token for web and native clients). A second presentation revokes that family and denies
/// every token issued from it.
/// </summary>
internal sealed class CodeExchange(
    SqliteAuthorizationCodeStore codes,
    SqliteRefreshTokenStore families,
    UserTokenIssuer tokens,
    FamilyRevocations reuse,
    UserSessionOptions options,
    Cutoffs cutoffs,
    SessionMetrics metrics,
    TimeProvider time,
    ILogger<CodeExchange> logger)
{
    public async Task<GrantOutcome> ExchangeAsync(ClientRegistration client, IFormCollection form, CancellationToken cancellationToken)
    {
        var code = ClientAuthenticator.Single(form, "code");
        if (!OpaqueSecrets.IsWellFormed(code))
        {
            return GrantOutcome.Refused(OAuthError.InvalidGrant("The authorization code is not valid."));
        }

        var now = time.GetUtcNow();
        var lifetime = options.For(client.Type);
        var refreshToken = lifetime is not null && client.Allows(GrantTypes.RefreshToken) ? OpaqueSecrets.New() : null;
        var plan = new FamilyPlan(
            "fam_" + Base64Url.Encode(RandomNumberGenerator.GetBytes(16)),
            now + (lifetime?.Absolute ?? TimeSpan.FromHours(1)),
            refreshToken is null ? null : OpaqueSecrets.Hash(refreshToken),
            now + (lifetime?.Idle ?? TimeSpan.Zero));
        var redemption = await codes.RedeemAsync(
            OpaqueSecrets.Hash(code!),
            client.ClientId,
            ClientAuthenticator.Single(form, "redirect_uri"),
            Pkce.ChallengeOf(ClientAuthenticator.Single(form, "code_verifier")),
            plan,
            now,
            c => cutoffs.After(c.CreatedAt, c.UserId, c.Tenant, c.ClientId) is not null,
            cancellationToken);

        switch (redemption.Status)
        {
            case CodeRedemptionStatus.Reused:
                metrics.CodeReused(ClientRules.Name(client.Type));
                if (redemption.Family is { } revoked)
                {
                    SessionLog.CodeReused(logger, client.ClientId, revoked.Id, redemption.TokensToDeny.Count);
                    await PublishAsync(revoked, redemption);
                }

                return GrantOutcome.Refused(OAuthError.InvalidGrant(redemption.Problem!));
            case CodeRedemptionStatus.Refused:
                return GrantOutcome.Refused(OAuthError.InvalidGrant(redemption.Problem!));
        }

        var family = redemption.Family!;
        var issued = await tokens.IssueAsync(client, family, family.Scopes, redemption.Code!.Nonce, cancellationToken);
        if (!await families.AttachTokensAsync(family.Id, UserTokenIssuer.Records(issued, family.UserId), time.GetUtcNow(), cancellationToken))
        {
            // The code was presented again between redemption and now: nothing issued may leave.
            return GrantOutcome.Refused(OAuthError.InvalidGrant("The authorization code was used twice; the tokens issued from it are revoked."));
        }

        SessionLog.Refreshed(logger, family.Id, client.ClientId, "created", refreshToken is null ? "-" : TokenFingerprint.Of(refreshToken));
        return new GrantOutcome(issued, refreshToken, null);
    }

    // The family is already revoked in the database; publishing the denials must not be lost to a cancelled request.
    private async Task PublishAsync(RefreshFamily family, CodeRedemption redemption)
    {
        try
        {
            await reuse.PublishAsync("code_reused", family, redemption.TokensToDeny, CancellationToken.None);
        }
#pragma warning disable CA1031 // The refusal stands whatever happens to the feed; the failure is logged.
        catch (Exception e)
#pragma warning restore CA1031
        {
            SessionLog.ReusePublishFailed(logger, "authorization code", family.Id, e);
        }
    }
}
