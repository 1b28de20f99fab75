using Microsoft.AspNetCore.Antiforgery;
using Tessera.Server.Sessions;
using Tessera.Storage.Sqlite.Users;

namespace Tessera.Server.Login;

/// <summary>
/// <c>GET /login</c> shows the sign-in form; <c>POST /login</c> checks it: the antiforgery token, the per-address
/// throttle, then the password against its slow hash. Wrong passwords count toward a lockout; every failure gets the
/// same answer, so the page does not tell which user names exist. Success starts a new session (a new cookie) and
/// returns to the authorization request.
/// </summary>
internal sealed class LoginEndpoint(
    SqliteUserStore users,
    SignInSessions sessions,
    LoginThrottle throttle,
    IAntiforgery antiforgery,
    UserSessionOptions options,
    SessionMetrics metrics,
    TimeProvider time,
    ILogger<LoginEndpoint> logger)
{
    public const string Path = "/login";

    private const string Failed = "The user name or password is wrong, or the account is locked for a while after repeated failures.";

    public IResult Get(HttpContext context)
    {
        var returnUrl = ReturnUrl.Safe(context.Request.Query["return"].Count == 1 ? context.Request.Query["return"][0] : null);
        return LoginPages.SignIn(antiforgery.GetAndStoreTokens(context), returnUrl, ReturnUrl.ClientId(returnUrl), null, null);
    }

    public async Task<IResult> PostAsync(HttpContext context)
    {
        if (await PostedForm.ReadAsync(context) is not { } form)
        {
            return LoginPages.Error("Cannot sign in", "Send the sign-in form.", StatusCodes.Status400BadRequest);
        }

        var returnUrl = ReturnUrl.Safe(PostedForm.Single(form, "return"));
        var username = PostedForm.Single(form, "username");
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        IResult Again(string error, int status) =>
            LoginPages.SignIn(antiforgery.GetAndStoreTokens(context), returnUrl, ReturnUrl.ClientId(returnUrl), username is { Length: <= UserRules.MaxUsernameLength } ? username : null, error, status);

        if (!await antiforgery.IsRequestValidAsync(context))
        {
            SessionLog.SignInFailed(logger, address, "antiforgery");
            return Again("The form expired. Enter your user name and password again.", StatusCodes.Status400BadRequest);
        }

        if (!throttle.TryAcquire(address))
        {
            metrics.SignIn("throttled");
            SessionLog.SignInFailed(logger, address, "throttled");
            context.Response.Headers.RetryAfter = "60";
            return Again("Too many sign-in attempts from your network. Wait a minute, then try again.", StatusCodes.Status429TooManyRequests);
        }

        var password = PostedForm.Single(form, "password");
        if (username is null || password is null || UserRules.UsernameProblem(username) is not null)
        {
            UserPasswords.Verify(null, password ?? string.Empty);
            metrics.SignIn("failure");
            SessionLog.SignInFailed(logger, address, "malformed");
            return Again(Failed, StatusCodes.Status401Unauthorized);
        }

        var now = time.GetUtcNow();
        var user = await users.FindByUsernameAsync(username, context.RequestAborted);
        var locked = user is not null && user.IsLockedAt(now);
        var check = UserPasswords.Verify(locked ? null : user?.PasswordHash, password);
        if (check == PasswordCheck.Failed || user is null)
        {
            await FailedAsync(user, locked, address, now, context.RequestAborted);
            return Again(Failed, StatusCodes.Status401Unauthorized);
        }

        await users.RecordSignInAsync(user.UserId, now, check == PasswordCheck.SucceededRehashNeeded ? UserPasswords.Hash(password) : null, context.RequestAborted);
        var session = await sessions.StartAsync(context, user);
        metrics.SignIn("success");
        SessionLog.SignedIn(logger, user.UserId, session.Id);
        context.Response.Headers.Location = returnUrl;
        context.Response.Headers.CacheControl = "no-store";
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    private async Task FailedAsync(UserAccount? user, bool locked, string address, DateTimeOffset now, CancellationToken cancellationToken)
    {
        metrics.SignIn(locked ? "locked" : "failure");
        SessionLog.SignInFailed(logger, address, locked ? "locked" : user is null ? "unknown user" : "wrong password");
        if (user is null || locked)
        {
            return;
        }

        var updated = await users.RecordFailedSignInAsync(user.UserId, now, options.MaxFailedSignIns, options.LockoutDuration, cancellationToken);
        if (updated?.LockedUntil is { } until && updated.IsLockedAt(now))
        {
            SessionLog.LockedOut(logger, user.UserId, until, updated.FailedSignIns);
        }
    }
}
