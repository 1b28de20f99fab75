using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Bff;

/// <summary><c>GET user</c>: the ID token's claims, never a token. <c>POST logout</c>: revokes the refresh token and ends the session.</summary>
internal sealed class BffUserEndpoints(BffSessions sessions, BffTokenClient tokens, ILogger<BffUserEndpoints> logger)
{
    public async Task<IResult> UserAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        return await sessions.CurrentAsync(context) is { } current
            ? Results.Json(current.Session.UserClaims)
            : Results.Unauthorized();
    }

    public async Task<IResult> LogoutAsync(HttpContext context)
    {
        if (await sessions.CurrentAsync(context) is not { } current)
        {
            await sessions.EndAsync(context, context.Request.Cookies[TesseraBffDefaults.SessionCookieName] ?? string.Empty);
            return Results.NoContent();
        }

        // The session ends here whatever the token service answers; revocation makes the refresh token useless elsewhere too.
        await sessions.EndAsync(context, current.Id);
        var revoked = false;
        try
        {
            if (current.Session.RefreshToken is { } refreshToken)
            {
                revoked = await tokens.RevokeAsync(refreshToken, "refresh_token", CancellationToken.None);
            }

            await tokens.RevokeAsync(current.Session.AccessToken, "access_token", CancellationToken.None);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            LoggingExtensions.Unreachable(logger, "revocation_endpoint", e.GetType().Name);
        }

        LoggingExtensions.LoggedOut(logger, revoked);
        return Results.NoContent();
    }
}
