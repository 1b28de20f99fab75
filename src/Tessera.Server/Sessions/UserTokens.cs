using Tessera.Tokens;

namespace Tessera.Server.Sessions;

/// <summary>The JWTs of one user token response.</summary>
/// <param name="Access">The access token.</param>
/// <param name="Id">The ID token, when <c>openid</c> was granted.</param>
/// <param name="Scopes">The scopes granted with them.</param>
internal sealed record UserTokens(IssuedToken Access, IssuedToken? Id, IReadOnlyList<string> Scopes);
