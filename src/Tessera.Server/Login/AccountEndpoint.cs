using Microsoft.AspNetCore.Antiforgery;
using Tessera.Server.Sessions;
using Tessera.Storage.Sqlite.Users;

namespace Tessera.Server.Login;

/// <summary><c>GET /account</c> (and <c>/</c>): who is signed in at the token service, with a sign-out button; otherwise the sign-in page.</summary>
internal sealed class AccountEndpoint(SignInSessions sessions, SqliteUserStore users, IAntiforgery antiforgery)
{
    public async Task<IResult> GetAsync(HttpContext context)
    {
        var session = await sessions.CurrentAsync(context);
        var user = session is null ? null : await users.FindByIdAsync(session.UserId, context.RequestAborted);
        if (session is null || user is null)
        {
            return Results.Redirect(LoginEndpoint.Path + "?return=" + Uri.EscapeDataString(ReturnUrl.Account));
        }

        return LoginPages.Account(antiforgery.GetAndStoreTokens(context), user.Username, user.UserId, user.Tenant, session.AuthenticatedAt);
    }
}
