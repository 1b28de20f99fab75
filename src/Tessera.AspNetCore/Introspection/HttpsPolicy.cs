using System.Net;

namespace Tessera.AspNetCore.Introspection;

/// <summary>Plain HTTP only to loopback: elsewhere anyone on the path could answer for the token service.</summary>
internal static class HttpsPolicy
{
    public static bool IsAcceptable(Uri? uri) =>
        uri is not null && uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri.Host)));

    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
