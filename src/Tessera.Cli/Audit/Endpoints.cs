using System.Net;

namespace Tessera.Cli.Audit;

/// <summary>Which URLs are acceptable endpoints and which may be fetched: HTTPS, or plain HTTP on loopback only.</summary>
internal static class Endpoints
{
    /// <summary>True for <c>localhost</c>, <c>*.localhost</c>, 127.0.0.0/8 and ::1.</summary>
    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback
        || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || uri.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>True when the URL is HTTPS, or HTTP on a loopback host (development).</summary>
    public static bool IsSecure(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri));

    /// <summary>Parses an absolute http(s) URL, or returns null.</summary>
    public static Uri? Parse(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? uri : null;
}
