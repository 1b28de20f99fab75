using Tessera.Jose;
using Tessera.Storage.Sqlite.Sessions;
using Tessera.Storage.Sqlite.Users;

namespace Tessera.Server.Sessions;

/// <summary>
/// The browser's sign-in at the token service: started by a correct password, named by the session cookie, ended by
/// sign-out, expiry, or a revocation trigger that forces re-authentication.
/// </summary>
internal sealed class SignInSessions(
    SqliteSignInSessionStore store, SessionCookie cookie, UserSessionOptions options, Cutoffs cutoffs, TriggerEnforcer enforcer, TimeProvider time)
{
    /// <summary>The active session of this browser, if any.</summary>
    public async Task<SignInSession?> CurrentAsync(HttpContext context)
    {
        if (cookie.Read(context) is not { } secret)
        {
            return null;
        }

        var hash = OpaqueSecrets.Hash(secret);
        var session = await store.FindActiveAsync(hash, time.GetUtcNow(), context.RequestAborted);
        if (session is not null && cutoffs.After(session.AuthenticatedAt, session.UserId, session.Tenant) is { } cutoff)
        {
            // A trigger was applied after this sign-in: make sure its session actions are enforced before trusting it.
            await enforcer.CatchUpAsync(context.RequestAborted, cutoff);
            session = await store.FindActiveAsync(hash, time.GetUtcNow(), context.RequestAborted);
        }

        return session;
    }

    /// <summary>Starts a session for <paramref name="user"/> and sets its cookie; a previous session of this browser is ended.</summary>
    public async Task<SignInSession> StartAsync(HttpContext context, UserAccount user)
    {
        var now = time.GetUtcNow();
        if (await CurrentAsync(context) is { } previous)
        {
            // Replaced, not signed out: the apps that signed in through it keep their refresh tokens.
            await store.EndAsync(previous.Id, "replaced", now, revokeFamilies: false, context.RequestAborted);
        }

        var secret = OpaqueSecrets.New();
        var session = new SignInSession("sid_" + Base64Url.Encode(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)), user.UserId, user.Tenant, now, now + options.SignInLifetime);
        await store.AddAsync(session, OpaqueSecrets.Hash(secret), context.RequestAborted);
        cookie.Write(context, secret);
        return session;
    }

    /// <summary>Ends a session and revokes the refresh families that came from it; the number revoked, or -1 when it was not active.</summary>
    public Task<int> EndAsync(string sessionId, string reason, CancellationToken cancellationToken) =>
        store.EndAsync(sessionId, reason, time.GetUtcNow(), revokeFamilies: true, cancellationToken);

    public void ClearCookie(HttpContext context) => cookie.Clear(context);
}
