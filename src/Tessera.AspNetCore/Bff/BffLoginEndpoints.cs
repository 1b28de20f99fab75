using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Tessera.Telemetry;

namespace Tessera.AspNetCore.Bff;

/// <summary>
/// <c>GET login</c> starts the authorization code flow (PKCE S256, state, nonce, all bound to the browser by a protected
/// cookie); <c>GET callback</c> checks state and the RFC 9207 <c>iss</c>, exchanges the code with the client secret,
/// validates the ID token, stores the tokens server-side and gives the browser only the session cookie.
/// </summary>
internal sealed class BffLoginEndpoints(BffSessions sessions, BffTokenClient tokens, BffIdTokenValidator idTokens, BffMetrics metrics, TimeProvider time, ILogger<BffLoginEndpoints> logger)
{
    public async Task<IResult> LoginAsync(HttpContext context, string prefix)
    {
        var options = sessions.Options;
        BffIssuerMetadata metadata;
        try
        {
            metadata = await tokens.MetadataAsync(context.RequestAborted);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            LoggingExtensions.Unreachable(logger, "discovery", e.GetType().Name);
            return Results.Text("The sign-in service cannot be reached. Try again in a moment.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status502BadGateway);
        }

        var verifier = BffSessions.NewSecret();
        var state = new BffLoginState
        {
            State = BffSessions.NewSecret(),
            Nonce = BffSessions.NewSecret(),
            CodeVerifier = verifier,
            RedirectUri = Origin(context, options) + prefix + "/callback",
            ReturnUrl = LocalUrl(context.Request.Query["returnUrl"]) ?? "/",
            ExpiresAt = time.GetUtcNow() + options.LoginTimeout,
        };
        sessions.IssueLoginCookie(context, state);
        var scopes = options.Scopes.Contains("openid") ? options.Scopes : ["openid", .. options.Scopes];
        var url = QueryHelpers.AddQueryString(metadata.AuthorizationEndpoint.AbsoluteUri, new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = options.ClientId,
            ["redirect_uri"] = state.RedirectUri,
            ["scope"] = string.Join(' ', scopes),
            ["state"] = state.State,
            ["nonce"] = state.Nonce,
            ["code_challenge"] = BffSessions.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
            ["resource"] = options.ApiAudience,
        });
        context.Response.Headers.CacheControl = "no-store";
        return Results.Redirect(url);
    }

    public async Task<IResult> CallbackAsync(HttpContext context)
    {
        try
        {
            return await CompleteAsync(context);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            LoggingExtensions.Unreachable(logger, "token_service", e.GetType().Name);
            return Refuse("token_service_unreachable", "The sign-in service cannot be reached. Start again in a moment.", StatusCodes.Status502BadGateway);
        }
    }

    private async Task<IResult> CompleteAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var login = sessions.TakeLoginState(context);
        if (login is null)
        {
            return Refuse("no_login_in_progress", "This sign-in expired or was started in another browser. Start again.");
        }

        if (query["state"].Count != 1 || !FixedEquals(query["state"].ToString(), login.State))
        {
            return Refuse("state_mismatch", "This sign-in response does not belong to the sign-in this browser started. Start again.");
        }

        var metadata = await tokens.MetadataAsync(context.RequestAborted);
        if (query["iss"].Count != 1 || query["iss"].ToString() != metadata.Issuer)
        {
            // RFC 9207: a response without, or with another, issuer may come from a mix-up attack.
            return Refuse("issuer_mismatch", "The sign-in response did not come from the expected sign-in service. Start again.");
        }

        if (query["error"].Count > 0)
        {
            return Refuse("authorization_error", "Sign-in was not completed (" + Printable(query["error"].ToString()) + "). Start again.");
        }

        if (query["code"] is not [{ Length: > 0 and <= 512 } code])
        {
            return Refuse("missing_code", "The sign-in response carries no code. Start again.");
        }

        var response = await tokens.ExchangeCodeAsync(code, login.RedirectUri, login.CodeVerifier, context.RequestAborted);
        if (response is null || response.IdToken is null)
        {
            return Refuse("code_exchange_failed", "The sign-in service did not accept the sign-in. Start again.", StatusCodes.Status502BadGateway);
        }

        var (claims, reason) = await idTokens.ValidateAsync(response.IdToken, login.Nonce, context.RequestAborted);
        if (claims is null)
        {
            LoggingExtensions.IdTokenRejected(logger, reason ?? "unknown", TokenFingerprint.Of(response.IdToken));
            return Refuse("id_token_invalid", "The sign-in service's answer could not be verified. Start again.", StatusCodes.Status502BadGateway);
        }

        // A fresh random id for every sign-in (no session fixation); any previous session of this browser ends.
        if (await sessions.CurrentAsync(context) is { } previous)
        {
            await sessions.EndAsync(context, previous.Id);
        }

        var now = time.GetUtcNow();
        var id = BffSessions.NewSecret();
        var session = new BffSession
        {
            AccessToken = response.AccessToken,
            AccessTokenExpiresAt = response.ExpiresAt,
            RefreshToken = response.RefreshToken,
            IdToken = response.IdToken,
            UserClaims = claims.Value,
            CreatedAt = now,
            ExpiresAt = now + sessions.Options.SessionLifetime,
        };
        await sessions.SaveAsync(id, session, context.RequestAborted);
        sessions.IssueCookie(context, id, session.ExpiresAt);
        LoggingExtensions.SessionStarted(logger, TokenFingerprint.Of(response.AccessToken));
        metrics.LoggedIn(null);

        // A page that moves on by itself: that navigation starts on this site, so the SameSite=Strict cookie goes along
        // even when the sign-in service is another site (a 302 would continue its cross-site redirect chain).
        var target = WebUtility.HtmlEncode(login.ReturnUrl);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        return Results.Content(
            $"<!doctype html><meta charset=utf-8><meta http-equiv=refresh content=\"0;url={target}\"><title>Signed in</title><a href=\"{target}\">Continue</a>",
            "text/html; charset=utf-8");
    }

    private IResult Refuse(string reason, string message, int status = StatusCodes.Status400BadRequest)
    {
        LoggingExtensions.CallbackRefused(logger, reason);
        metrics.LoggedIn(reason);
        return Results.Text(message, "text/plain; charset=utf-8", statusCode: status);
    }

    private static string Origin(HttpContext context, TesseraBffOptions options) =>
        options.PublicOrigin is { } origin
            ? origin.AbsoluteUri.TrimEnd('/')
            : $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";

    /// <summary>Only a path on this site: never <c>//host</c> or <c>/\host</c>, which browsers treat as another site.</summary>
    internal static string? LocalUrl(string? url) =>
        url is { Length: > 0 and <= 2048 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
            && !url.Any(char.IsControl)
            ? url
            : null;

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static string Printable(string value) =>
        new([.. value.Take(64).Where(c => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_')]);
}
