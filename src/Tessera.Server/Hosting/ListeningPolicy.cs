using System.Net;

namespace Tessera.Server.Hosting;

/// <summary>Plain HTTP only on loopback; elsewhere HTTPS, or an explicitly trusted TLS-terminating proxy.</summary>
internal static class ListeningPolicy
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Null when the URLs are acceptable, else the reason with the fix.</summary>
    public static string? Check(IEnumerable<string> urls, bool trustedProxy)
    {
        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            {
                return $"The listening URL '{url}' is not a URL. Use e.g. --urls http://127.0.0.1:5080.";
            }

            if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri.Host) && !trustedProxy)
            {
                return $"Refusing to serve tokens over plain HTTP on '{url}', which is not a loopback address. " +
                       "Listen on https://, or on 127.0.0.1 behind a TLS-terminating proxy, or set Tessera:TrustedProxy=true if a proxy you control terminates TLS.";
            }
        }

        return null;
    }

    public static bool IsLoopback(string host) =>
        host is "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
