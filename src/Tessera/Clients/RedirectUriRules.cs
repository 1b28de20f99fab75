using System.Net;

namespace Tessera.Clients;

/// <summary>
/// Redirect URIs are matched exactly and must not leak the code: https, http only to the loopback address
/// (RFC 8252 §7.3), or for native apps a private-use scheme named after a domain (RFC 8252 §7.1); no fragment,
/// wildcard or user information.
/// </summary>
internal static class RedirectUriRules
{
    /// <summary>Null when <paramref name="value"/> is acceptable for a client of <paramref name="type"/>; else the rest of a sentence saying the fix.</summary>
    public static string? Problem(string value, ClientType type)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "is empty. Give the full URI the app receives the code at, such as https://app.example.com/callback.";
        }

        if (value.Contains('#', StringComparison.Ordinal))
        {
            return "has a fragment, which redirect URIs must not have (RFC 6749 §3.1.2). Remove the part from '#'.";
        }

        if (value.Contains('*', StringComparison.Ordinal))
        {
            return "has a wildcard. Redirect URIs are matched exactly; register each URI in full.";
        }

        if (value.Length > ClientRules.MaxRedirectUriLength || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            || !Uri.TryCreate(value, UriKind.Absolute, out var uri) || !value.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase))
        {
            return "is not an absolute URI. Give the full URI the app receives the code at, such as https://app.example.com/callback.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "carries a user name or password. Remove the part before '@'.";
        }

        switch (uri.Scheme)
        {
            case "https":
                return uri.Host.Length > 0 ? null : "has no host. Give the full URI, such as https://app.example.com/callback.";
            case "http":
                if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address))
                {
                    return null;
                }

                return uri.IsLoopback
                    ? "uses http with the name localhost, which may resolve elsewhere. Use the loopback address instead, such as http://127.0.0.1:PORT/callback (RFC 8252 §8.3)."
                    : "uses http on a host other than the loopback address; the code would cross the network in clear. Use https, or http://127.0.0.1:PORT/… for an app on this machine.";
            default:
                // RFC 8252 §7.1: a native app may claim a private-use scheme named after a domain it owns, in reverse order.
                if (type is ClientType.Native && uri.Scheme.Contains('.', StringComparison.Ordinal))
                {
                    return null;
                }

                return type is ClientType.Native
                    ? $"uses scheme '{uri.Scheme}'. Use https, http://127.0.0.1:PORT/…, or a private-use scheme named after a domain you own in reverse order, such as com.example.app:/callback."
                    : $"uses scheme '{uri.Scheme}'. Use https (or http://127.0.0.1:PORT/… on this machine).";
        }
    }
}
