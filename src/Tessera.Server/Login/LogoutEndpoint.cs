using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.WebUtilities;
using Tessera.Clients;
using Tessera.Keys.Ring;
using Tessera.Server.Endpoints;
using Tessera.Server.Sessions;
using Tessera.Tokens;

namespace Tessera.Server.Login;

/// <summary>
/// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0) at <c>/connect/logout</c>. With a valid
/// <c>id_token_hint</c> the session it names (<c>sid</c>) ends at once; without one the user confirms with a form
/// (<c>POST</c>, antiforgery), so a link on another site cannot sign anyone out. Ending a session revokes the refresh
/// families that came from it. <c>post_logout_redirect_uri</c> must be one of the client's registered redirect URIs,
/// exactly; <c>state</c> goes back with it.
/// </summary>
internal sealed class LogoutEndpoint(
    SignInSessions sessions,
    IClientStore clients,
    ServerProfiles profiles,
    KeyRing ring,
    TokenValidator validator,
    IAntiforgery antiforgery,
    ILogger<LogoutEndpoint> logger)
{
    public const string Path = "/connect/logout";

    public async Task<IResult> GetAsync(HttpContext context)
    {
        var query = context.Request.Query;
        string? Param(string name) => query.TryGetValue(name, out var v) && v.Count == 1 && !string.IsNullOrEmpty(v[0]) ? v[0] : null;
        var hint = Param("id_token_hint") is { } text ? await ValidateHintAsync(text, context.RequestAborted) : null;
        var clientId = Param("client_id") ?? hint?.Audiences.FirstOrDefault();
        if (hint is not null && clientId is not null && !hint.Audiences.Contains(clientId, StringComparer.Ordinal))
        {
            return LoginPages.Error("Cannot sign out", "client_id is not the audience of id_token_hint.", StatusCodes.Status400BadRequest);
        }

        var (redirect, problem) = await RedirectAsync(clientId, Param("post_logout_redirect_uri"), context.RequestAborted);
        if (problem is not null)
        {
            return LoginPages.Error("Cannot sign out", problem, StatusCodes.Status400BadRequest);
        }

        if (hint is null)
        {
            var carried = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in new[] { "client_id", "post_logout_redirect_uri", "state" })
            {
                if (Param(name) is { } value)
                {
                    carried[name] = value;
                }
            }

            return LoginPages.ConfirmSignOut(antiforgery.GetAndStoreTokens(context), carried);
        }

        if (hint.GetString("sid") is { } sid)
        {
            await EndAsync(sid, context.RequestAborted);
        }

        if (await sessions.CurrentAsync(context) is { } current && current.UserId == hint.Subject)
        {
            await EndAsync(current.Id, context.RequestAborted);
        }

        sessions.ClearCookie(context);
        return Finish(redirect, Param("state"));
    }

    public async Task<IResult> PostAsync(HttpContext context)
    {
        if (await PostedForm.ReadAsync(context) is not { } form || !await antiforgery.IsRequestValidAsync(context))
        {
            return LoginPages.Error("Try again", "The form expired or did not come from this site. Reload the page and sign out again.", StatusCodes.Status400BadRequest);
        }

        var (redirect, problem) = await RedirectAsync(PostedForm.Single(form, "client_id"), PostedForm.Single(form, "post_logout_redirect_uri"), context.RequestAborted);
        if (problem is not null)
        {
            return LoginPages.Error("Cannot sign out", problem, StatusCodes.Status400BadRequest);
        }

        if (await sessions.CurrentAsync(context) is { } current)
        {
            await EndAsync(current.Id, context.RequestAborted);
        }

        sessions.ClearCookie(context);
        return Finish(redirect, PostedForm.Single(form, "state"));
    }

    private async Task EndAsync(string sessionId, CancellationToken cancellationToken)
    {
        var families = await sessions.EndAsync(sessionId, "logout", cancellationToken);
        if (families >= 0)
        {
            SessionLog.SessionEnded(logger, sessionId, "logout", families);
        }
    }

    private async Task<TokenClaims?> ValidateHintAsync(string hint, CancellationToken cancellationToken)
    {
        await ring.GetJwksAsync(cancellationToken);
        var keys = ring.Current.PublishedKeySet;
        var result = keys is null ? null : validator.Validate(hint, profiles.Id, keys);
        if (result is { IsValid: true })
        {
            return result.Claims;
        }

        SessionLog.LogoutHintRefused(logger, result?.ReasonCode ?? "no keys");
        return null;
    }

    /// <summary>The validated post-logout redirect URI (null for none), or the problem with it.</summary>
    private async Task<(string? Uri, string? Problem)> RedirectAsync(string? clientId, string? uri, CancellationToken cancellationToken)
    {
        if (uri is null)
        {
            return (null, null);
        }

        var client = clientId is { Length: <= ClientRules.MaxIdentifierLength } ? await clients.FindAsync(clientId, cancellationToken) : null;
        return client is not null && client.RedirectUris.Contains(uri, StringComparer.Ordinal)
            ? (uri, null)
            : (null, "post_logout_redirect_uri must be one of the client's registered redirect URIs, and the client must be named (client_id or id_token_hint).");
    }

    private static IResult Finish(string? redirect, string? state)
    {
        if (redirect is null)
        {
            return LoginPages.SignedOut();
        }

        return Results.Redirect(state is null ? redirect : QueryHelpers.AddQueryString(redirect, "state", state));
    }
}
