using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Tessera.AspNetCore.Bff;

/// <summary>
/// Session ids, cookies and protected payloads. The cookie carries 256 random bits; the store key is their SHA-256, so
/// the store cannot be replayed as cookies; the payload is encrypted and authenticated with Data Protection.
/// </summary>
internal sealed class BffSessions(IBffSessionStore store, IDataProtectionProvider protection, IOptions<TesseraBffOptions> options, TimeProvider time)
{
    private readonly IDataProtector _protector = protection.CreateProtector(TesseraBffDefaults.DataProtectionPurpose, "session");
    private readonly IDataProtector _loginProtector = protection.CreateProtector(TesseraBffDefaults.DataProtectionPurpose, "login");
    private readonly SemaphoreSlim[] _refreshGates = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    public TesseraBffOptions Options => options.Value;

    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Base64Url(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    public async Task<(string Id, BffSession Session)?> CurrentAsync(HttpContext context)
    {
        if (context.Request.Cookies[TesseraBffDefaults.SessionCookieName] is not { Length: > 0 and <= 128 } id)
        {
            return null;
        }

        return await LoadAsync(id, context.RequestAborted).ConfigureAwait(false) is { } session ? (id, session) : null;
    }

    public async Task<BffSession?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var payload = await store.GetAsync(Key(id), cancellationToken).ConfigureAwait(false);
        if (payload is null)
        {
            return null;
        }

        try
        {
            var session = JsonSerializer.Deserialize<BffSession>(_protector.Unprotect(payload));
            return session is not null && session.ExpiresAt > time.GetUtcNow() ? session : null;
        }
        catch (CryptographicException)
        {
            return null; // keys rotated away or a tampered row: the user signs in again
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public Task SaveAsync(string id, BffSession session, CancellationToken cancellationToken) =>
        store.SetAsync(Key(id), _protector.Protect(JsonSerializer.SerializeToUtf8Bytes(session)), session.ExpiresAt, cancellationToken);

    public async Task EndAsync(HttpContext context, string id)
    {
        await store.RemoveAsync(Key(id), CancellationToken.None).ConfigureAwait(false);
        context.Response.Cookies.Delete(TesseraBffDefaults.SessionCookieName, CookieOptions(SameSiteMode.Strict));
    }

    /// <summary>
    /// One refresh at a time per session on this node, so parallel API calls do not spend the refresh token twice. A
    /// fixed set of gates chosen by the session id: bounded memory, and sessions rarely share one.
    /// </summary>
    public SemaphoreSlim RefreshGate(string id) => _refreshGates[(int)((uint)StringComparer.Ordinal.GetHashCode(id) % (uint)_refreshGates.Length)];

    public void IssueCookie(HttpContext context, string id, DateTimeOffset expiresAt)
    {
        var cookie = CookieOptions(SameSiteMode.Strict);
        cookie.Expires = expiresAt;
        context.Response.Cookies.Append(TesseraBffDefaults.SessionCookieName, id, cookie);
    }

    public void IssueLoginCookie(HttpContext context, BffLoginState state)
    {
        // Lax, not Strict: the callback arrives as a top-level navigation from the token service, which may be another site.
        var cookie = CookieOptions(SameSiteMode.Lax);
        cookie.Expires = state.ExpiresAt;
        var value = Base64Url(_loginProtector.Protect(JsonSerializer.SerializeToUtf8Bytes(state)));
        context.Response.Cookies.Append(TesseraBffDefaults.LoginCookieName, value, cookie);
    }

    public BffLoginState? TakeLoginState(HttpContext context)
    {
        var value = context.Request.Cookies[TesseraBffDefaults.LoginCookieName];
        context.Response.Cookies.Delete(TesseraBffDefaults.LoginCookieName, CookieOptions(SameSiteMode.Lax));
        if (value is not { Length: > 0 and <= 4096 })
        {
            return null;
        }

        try
        {
            var state = JsonSerializer.Deserialize<BffLoginState>(_loginProtector.Unprotect(System.Buffers.Text.Base64Url.DecodeFromChars(value)));
            return state is not null && state.ExpiresAt > time.GetUtcNow() ? state : null;
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    private static CookieOptions CookieOptions(SameSiteMode sameSite) => new()
    {
        HttpOnly = true,
        Secure = true, // required by the __Host- prefix; browsers accept it on http://localhost and http://127.0.0.1 too
        SameSite = sameSite,
        Path = "/",
        IsEssential = true,
    };

    private static string Key(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
}
