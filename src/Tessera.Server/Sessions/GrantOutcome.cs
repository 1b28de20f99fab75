using Tessera.Server.Endpoints;

namespace Tessera.Server.Sessions;

/// <summary>What a user grant produced: tokens (and the refresh token to hand out), or the one error to answer with.</summary>
internal sealed record GrantOutcome(UserTokens? Tokens, string? RefreshToken, OAuthError? Error)
{
    public static GrantOutcome Refused(OAuthError error) => new(null, null, error);
}
