using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tessera.Telemetry;

namespace Tessera.AspNetCore.Bff;

/// <summary>
/// The session's access token, refreshed server-side with the refresh token shortly before it expires. One refresh
/// at a time per session: a second caller waits and takes the new token, so a rotated refresh token is never spent
/// twice (which the token service would treat as reuse and answer by revoking the whole family).
/// </summary>
internal sealed class BffAccessTokens(BffSessions sessions, BffTokenClient tokens, BffMetrics metrics, TimeProvider time, ILogger<BffAccessTokens> logger)
{
    /// <summary>A usable access token, or null when the session has ended (the caller answers 401).</summary>
    public async Task<string?> GetAsync(HttpContext context, string id, BffSession session)
    {
        if (IsFresh(session))
        {
            return session.AccessToken;
        }

        var gate = sessions.RefreshGate(id);
        await gate.WaitAsync(context.RequestAborted);
        try
        {
            var current = await sessions.LoadAsync(id, context.RequestAborted);
            if (current is null)
            {
                return null;
            }

            if (IsFresh(current))
            {
                return current.AccessToken;
            }

            if (current.RefreshToken is not { } refreshToken)
            {
                return current.AccessTokenExpiresAt > time.GetUtcNow() ? current.AccessToken : await EndAsync(context, id);
            }

            // Not cancelled with the request: a refresh once sent must be stored, or its successor is lost.
            var response = await tokens.RefreshAsync(refreshToken, CancellationToken.None);
            if (response is null)
            {
                LoggingExtensions.RefreshRefused(logger, TokenFingerprint.Of(refreshToken));
                metrics.Refreshed(success: false);
                return await EndAsync(context, id);
            }

            await sessions.SaveAsync(id, current with
            {
                AccessToken = response.AccessToken,
                AccessTokenExpiresAt = response.ExpiresAt,
                RefreshToken = response.RefreshToken ?? refreshToken,
            }, CancellationToken.None);
            LoggingExtensions.Refreshed(logger, TokenFingerprint.Of(response.AccessToken));
            metrics.Refreshed(success: true);
            return response.AccessToken;
        }
        finally
        {
            gate.Release();
        }
    }

    private bool IsFresh(BffSession session) =>
        session.AccessTokenExpiresAt - sessions.Options.RefreshBeforeExpiry > time.GetUtcNow();

    private async Task<string?> EndAsync(HttpContext context, string id)
    {
        await sessions.EndAsync(context, id);
        return null;
    }
}
