using Microsoft.AspNetCore.Antiforgery;
using static Tessera.Server.Login.HtmlPage;

namespace Tessera.Server.Login;

/// <summary>The pages of the sign-in UI. Each form carries the antiforgery token; errors are announced (<c>role="alert"</c>) and tied to their inputs.</summary>
internal static class LoginPages
{
    public static HtmlPage SignIn(AntiforgeryTokenSet antiforgery, string returnUrl, string? clientId, string? username, string? error, int status = StatusCodes.Status200OK)
    {
        var invalid = error is null ? "" : " aria-invalid=\"true\" aria-describedby=\"error\"";
        return new HtmlPage("Sign in", $"""
            <h1>Sign in</h1>
            {(clientId is null ? "" : $"<p class=\"muted\">to continue to <strong>{E(clientId)}</strong></p>")}
            {(error is null ? "" : $"<p id=\"error\" class=\"error\" role=\"alert\">{E(error)}</p>")}
            <form method="post" action="/login">
            {Token(antiforgery)}
            <input type="hidden" name="return" value="{E(returnUrl)}">
            <label for="username">User name</label>
            <input id="username" name="username" type="text" value="{E(username)}" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="64"{invalid}{(username is null ? " autofocus" : "")}>
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256"{invalid}{(username is null ? "" : " autofocus")}>
            <button type="submit">Sign in</button>
            </form>
            """, status);
    }

    public static HtmlPage Consent(AntiforgeryTokenSet antiforgery, string request, string clientId, IReadOnlyList<string> scopes)
    {
        var items = scopes.Count == 0 ? "<li>sign you in</li>" : string.Concat(scopes.Select(s => $"<li>{E(s == "openid" ? "know who you are (sign you in)" : s)}</li>"));
        return new HtmlPage("Allow access", $"""
            <h1>Allow access?</h1>
            <p><strong>{E(clientId)}</strong> asks to:</p>
            <ul>{items}</ul>
            <form method="post" action="/connect/authorize">
            {Token(antiforgery)}
            <input type="hidden" name="request" value="{E(request)}">
            <button type="submit" name="decision" value="allow">Allow</button>
            <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
            </form>
            """);
    }

    public static HtmlPage ConfirmSignOut(AntiforgeryTokenSet antiforgery, IReadOnlyDictionary<string, string> carried) => new("Sign out", $"""
        <h1>Sign out?</h1>
        <p>You will be signed out of Tessera, and the apps you signed in to through this session lose their refresh tokens.</p>
        <form method="post" action="/connect/logout">
        {Token(antiforgery)}
        {string.Concat(carried.Select(p => $"<input type=\"hidden\" name=\"{E(p.Key)}\" value=\"{E(p.Value)}\">"))}
        <button type="submit">Sign out</button>
        </form>
        """);

    public static HtmlPage SignedOut() => new("Signed out", """
        <h1>You are signed out</h1>
        <p><a href="/account">Sign in again</a></p>
        """);

    public static HtmlPage Account(AntiforgeryTokenSet antiforgery, string username, string subject, string? tenant, DateTimeOffset authenticatedAt) => new("Your account", $"""
        <h1>Signed in as {E(username)}</h1>
        <p class="muted">Subject <code>{E(subject)}</code>{(tenant is null ? "" : $", tenant <code>{E(tenant)}</code>")}; signed in at {E(authenticatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture))}.</p>
        <p>Apps registered with this token service sign you in here without asking for your password again until you sign out.</p>
        <form method="post" action="/connect/logout">
        {Token(antiforgery)}
        <button type="submit">Sign out</button>
        </form>
        """);

    public static HtmlPage Error(string title, string message, int status) => new(title, $"""
        <h1>{E(title)}</h1>
        <p role="alert">{E(message)}</p>
        """, status);

    private static string Token(AntiforgeryTokenSet antiforgery) =>
        $"<input type=\"hidden\" name=\"{E(antiforgery.FormFieldName)}\" value=\"{E(antiforgery.RequestToken)}\">";
}
