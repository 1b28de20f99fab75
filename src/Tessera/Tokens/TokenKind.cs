namespace Tessera.Tokens;

/// <summary>
/// What a token is for. Each kind has its own <c>typ</c>, lifetime, audience and revocation rules, and a
/// token of one kind is never accepted as another.
/// </summary>
public enum TokenKind
{
    /// <summary>An OAuth access token for a user (RFC 9068, <c>typ</c> <c>at+jwt</c>).</summary>
    Access,
    /// <summary>An OpenID Connect ID token: proof of authentication for the client, never for an API.</summary>
    Id,
    /// <summary>A machine-to-machine access token with no end user (<c>typ</c> <c>service+jwt</c>).</summary>
    Service,
    /// <summary>An opaque refresh token; never a JWT, stored hashed by the token service.</summary>
    Refresh,
    /// <summary>A client's proof of identity at the token service (RFC 7523 <c>private_key_jwt</c>); <c>iss</c> and <c>sub</c> are the client.</summary>
    ClientAssertion,
    /// <summary>A Security Event Token (RFC 8417, <c>typ</c> <c>secevent+jwt</c>) on the revocation feed; it has no <c>exp</c>.</summary>
    SecurityEvent,
}
