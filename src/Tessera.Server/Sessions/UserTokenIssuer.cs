using System.Text.Json;
using Tessera.Clients;
using Tessera.Keys.Ring;
using Tessera.Revocation;
using Tessera.Server.Endpoints;
using Tessera.Server.Revocation;
using Tessera.Storage.Sqlite.Sessions;
using Tessera.Tokens;

namespace Tessera.Server.Sessions;

/// <summary>
/// Issues a user's tokens from a family, by the server's profiles: an access token (RFC 9068) for the family's APIs and
/// scopes, and with <c>openid</c> an ID token for the client (<c>aud</c> the client alone, <c>nonce</c>,
/// <c>auth_time</c>, <c>sid</c>). No personal data: the subject is the user's random id.
/// </summary>
internal sealed class UserTokenIssuer(ServerProfiles profiles, KeyRing ring, TokenIssuer issuer, IssuedTokenRecorder recorder, ServerMetrics metrics)
{
    public const string OpenIdScope = "openid";

    public async Task<UserTokens> IssueAsync(ClientRegistration client, RefreshFamily family, IReadOnlyList<string> scopes, string? nonce, CancellationToken cancellationToken)
    {
        var key = await ring.GetSigningKeyAsync(cancellationToken: cancellationToken);
        var access = issuer.Issue(profiles.Access, key, new TokenDescriptor
        {
            Subject = family.UserId,
            ClientId = client.ClientId,
            Audiences = family.Audiences,
            Scopes = [.. scopes.Where(s => s != OpenIdScope)],
            Tenant = family.Tenant,
            Lifetime = client.AccessTokenLifetime,
        });
        if (!scopes.Contains(OpenIdScope, StringComparer.Ordinal))
        {
            return new UserTokens(access, null, scopes);
        }

        var claims = new Dictionary<string, JsonElement>();
        if (family.SessionId is { } sid)
        {
            claims["sid"] = JsonSerializer.SerializeToElement(sid);
        }

        var id = issuer.Issue(profiles.Id, key, new TokenDescriptor
        {
            Subject = family.UserId,
            Audiences = [client.ClientId], // the only audience, so no azp (OpenID Connect Core §2)
            Nonce = nonce,
            AuthenticatedAt = family.AuthenticatedAt,
            Tenant = family.Tenant,
            Claims = claims,
        });
        return new UserTokens(access, id, scopes);
    }

    /// <summary>The issued JWTs as the family records them, so a reuse can deny them.</summary>
    public static IReadOnlyList<DeniedToken> Records(UserTokens tokens, string subject) =>
        tokens.Id is { } id
            ? [new(tokens.Access.TokenId, tokens.Access.ExpiresAt, subject), new(id.TokenId, id.ExpiresAt, subject)]
            : [new(tokens.Access.TokenId, tokens.Access.ExpiresAt, subject)];

    /// <summary>Records tokens that are about to be handed out (for account-compromise denial) and counts them.</summary>
    public async Task RecordAsync(UserTokens tokens, string grantType, bool refreshIssued, CancellationToken cancellationToken)
    {
        await recorder.RecordAsync(tokens.Access, cancellationToken);
        metrics.TokenIssued(TokenKind.Access, grantType);
        if (tokens.Id is { } id)
        {
            await recorder.RecordAsync(id, cancellationToken);
            metrics.TokenIssued(TokenKind.Id, grantType);
        }

        if (refreshIssued)
        {
            metrics.TokenIssued(TokenKind.Refresh, grantType);
        }
    }
}
