using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Tessera.Clients;
using Tessera.Server.Endpoints;
using Tessera.Server.Sessions;
using Tessera.Storage.Sqlite.Sessions;
using Tessera.Telemetry;

namespace Tessera.Server.Login;

/// <summary>
/// <c>GET /connect/authorize</c>: checks the request, sends the browser to sign in when it has no (fresh enough) session,
/// asks third-party clients for consent (<c>POST /connect/authorize</c> answers it), then redirects to the exact
/// redirect URI with a one-use, 60-second code bound to the client, that URI and the PKCE challenge — always with
/// <c>state</c> and <c>iss</c> (RFC 9207). First-party clients skip consent.
/// </summary>
internal sealed class AuthorizeEndpoint(
    IClientStore clients,
    SignInSessions sessions,
    SqliteAuthorizationCodeStore codes,
    ServerProfiles profiles,
    IAntiforgery antiforgery,
    TimeProvider time,
    ILogger<AuthorizeEndpoint> logger)
{
    public const string Path = "/connect/authorize";

    /// <summary>How long a code may be redeemed.</summary>
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromSeconds(60);

    public Task<IResult> GetAsync(HttpContext context) =>
        ContinueAsync(context, context.Request.Query, context.Request.QueryString.Value?.TrimStart('?') ?? string.Empty, decision: null);

    /// <summary>The consent form's answer: the original request travels in the form, checked again from scratch.</summary>
    public async Task<IResult> PostAsync(HttpContext context)
    {
        if (await PostedForm.ReadAsync(context) is not { } form || !await antiforgery.IsRequestValidAsync(context))
        {
            return LoginPages.Error("Try again", "The form expired or did not come from this site. Go back to the app and sign in again.", StatusCodes.Status400BadRequest);
        }

        var request = PostedForm.Single(form, "request") ?? string.Empty;
        return await ContinueAsync(context, QueryHelpers.ParseQuery(request), request, PostedForm.Single(form, "decision") ?? "deny");
    }

    private async Task<IResult> ContinueAsync(HttpContext context, IEnumerable<KeyValuePair<string, StringValues>> query, string queryText, string? decision)
    {
        var parsed = await AuthorizationRequestReader.ReadAsync(query, clients, context.RequestAborted);
        if (parsed.PageError is { } message)
        {
            SessionLog.AuthorizationRefused(logger, "-", "invalid_request");
            return LoginPages.Error("Cannot sign in", message, StatusCodes.Status400BadRequest);
        }

        if (parsed.ClientError is { } error)
        {
            return Refuse(context, error);
        }

        var request = parsed.Request!;
        var session = await sessions.CurrentAsync(context);
        var reauthenticate = decision is null
            && (request.PromptLogin || (request.MaxAge is { } maxAge && session is not null && time.GetUtcNow() - session.AuthenticatedAt > maxAge));
        if (session is null || reauthenticate)
        {
            if (request.PromptNone)
            {
                return Refuse(context, Error(request, "login_required", "The user is not signed in."));
            }

            // Back here after signing in, without the parameters that asked for it (the new sign-in satisfies them).
            var again = QueryHelpers.ParseQuery(queryText).Where(p => p.Key is not ("prompt" or "max_age"));
            var returnUrl = QueryHelpers.AddQueryString(Path, again.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v))));
            return Results.Redirect("/login?return=" + Uri.EscapeDataString(returnUrl));
        }

        if (!request.Client.FirstParty)
        {
            if (decision is null)
            {
                return request.PromptNone
                    ? Refuse(context, Error(request, "consent_required", "The user has not allowed this client."))
                    : LoginPages.Consent(antiforgery.GetAndStoreTokens(context), queryText, request.Client.ClientId, request.Scopes);
            }

            if (decision != "allow")
            {
                return Refuse(context, Error(request, "access_denied", "The user denied the request."));
            }
        }

        var code = OpaqueSecrets.New();
        var now = time.GetUtcNow();
        await codes.AddAsync(OpaqueSecrets.Hash(code), new AuthorizationCodeGrant
        {
            ClientId = request.Client.ClientId,
            RedirectUri = request.RedirectUri,
            CodeChallenge = request.CodeChallenge,
            UserId = session.UserId,
            Tenant = session.Tenant,
            SessionId = session.Id,
            Scopes = request.Scopes,
            Audiences = request.Audiences,
            Nonce = request.Nonce,
            AuthenticatedAt = session.AuthenticatedAt,
            CreatedAt = now,
            ExpiresAt = now + CodeLifetime,
        }, context.RequestAborted);
        SessionLog.CodeIssued(logger, request.Client.ClientId, session.Id, TokenFingerprint.Of(code));
        return RedirectToClient(context, request.RedirectUri, [new("code", code), new("state", request.State)]);
    }

    private static AuthorizationError Error(AuthorizationRequest request, string error, string description) =>
        new(request.Client, request.RedirectUri, request.State, error, description);

    private IResult Refuse(HttpContext context, AuthorizationError error)
    {
        SessionLog.AuthorizationRefused(logger, error.Client.ClientId, error.Error);
        return RedirectToClient(context, error.RedirectUri, [new("error", error.Error), new("error_description", error.Description), new("state", error.State)]);
    }

    private IResult RedirectToClient(HttpContext context, string redirectUri, List<KeyValuePair<string, string?>> parameters)
    {
        parameters.RemoveAll(p => p.Value is null);
        parameters.Add(new("iss", profiles.Issuer));
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, parameters));
    }
}
