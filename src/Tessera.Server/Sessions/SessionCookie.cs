using Tessera.Server.Endpoints;

namespace Tessera.Server.Sessions;

/// <summary>
/// The token service's own sign-in cookie: HttpOnly, SameSite=Lax (sent on the top-level navigation from a client to
/// the authorization endpoint, never on cross-site subrequests), host-only, path /, no expiry (the server ends the
/// session). With an https issuer it is <c>__Host-tessera-session</c> and Secure; on a plain-http loopback issuer,
/// where some browsers drop Secure cookies, it is <c>tessera-session</c> without Secure.
/// </summary>
internal sealed class SessionCookie(ServerProfiles profiles)
{
    public bool Secure => profiles.Issuer.StartsWith("https://", StringComparison.Ordinal);

    public string Name => Secure ? "__Host-tessera-session" : "tessera-session";

    /// <summary>The cookie's secret, if the request carries a well-formed one.</summary>
    public string? Read(HttpContext context) =>
        context.Request.Cookies.TryGetValue(Name, out var value) && OpaqueSecrets.IsWellFormed(value) ? value : null;

    public void Write(HttpContext context, string secret) => context.Response.Cookies.Append(Name, secret, Options());

    public void Clear(HttpContext context) => context.Response.Cookies.Delete(Name, Options());

    private CookieOptions Options() => new()
    {
        HttpOnly = true,
        Secure = Secure,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        IsEssential = true,
    };
}
