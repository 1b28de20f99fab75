using Microsoft.AspNetCore.WebUtilities;

namespace Tessera.Server.Login;

/// <summary>Where the sign-in page sends the browser afterwards: only back to the authorization endpoint or the account page, never elsewhere.</summary>
internal static class ReturnUrl
{
    public const string Account = "/account";
    public const int MaxLength = 8192;

    /// <summary><paramref name="value"/> when it is a local address the sign-in may return to; else the account page.</summary>
    public static string Safe(string? value) =>
        value is { Length: <= MaxLength }
        && (value == Account || value.StartsWith(AuthorizeEndpoint.Path + "?", StringComparison.Ordinal))
        && !value.Any(c => char.IsControl(c) || c == '\\')
            ? value
            : Account;

    /// <summary>The client the sign-in is for, to name it on the page.</summary>
    public static string? ClientId(string returnUrl)
    {
        var query = returnUrl.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? null
            : QueryHelpers.ParseQuery(returnUrl[query..]).TryGetValue("client_id", out var id) && id.Count == 1 && id[0]!.Length <= 255 ? id[0] : null;
    }
}
