namespace Tessera.AspNetCore.Bff;

/// <summary>Names the BFF uses on the wire: its cookies, the anti-CSRF header and the HTTP client.</summary>
public static class TesseraBffDefaults
{
    /// <summary>The session cookie. The <c>__Host-</c> prefix makes the browser insist on Secure, Path=/ and no Domain.</summary>
    public const string SessionCookieName = "__Host-tessera-bff";

    /// <summary>The short-lived cookie that binds a login (state, nonce, PKCE verifier) to the browser that started it.</summary>
    public const string LoginCookieName = "__Host-tessera-bff-login";

    /// <summary>
    /// The anti-CSRF header every state-changing or data-reading BFF call must carry. A cross-site form or image cannot
    /// send a custom header, and a cross-site <c>fetch</c> that tries needs a CORS preflight the BFF never grants.
    /// </summary>
    public const string AntiCsrfHeaderName = "X-CSRF";

    /// <summary>The value the anti-CSRF header must have.</summary>
    public const string AntiCsrfHeaderValue = "1";

    /// <summary>The named <see cref="HttpClient"/> for the token service and the API.</summary>
    public const string HttpClientName = "Tessera.Bff";

    /// <summary>The Data Protection purpose of tokens at rest and of the login cookie.</summary>
    public const string DataProtectionPurpose = "Tessera.Bff.v1";
}
