using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Tessera.Cli.Audit;

/// <summary>A document fetched for <c>tessera audit</c>, or why it could not be.</summary>
/// <param name="Url">The URL finally read (after redirects).</param>
/// <param name="Text">The body, or null on failure.</param>
/// <param name="Error">Why the fetch failed, or null.</param>
internal sealed record Fetched(Uri Url, string? Text, string? Error);

/// <summary>
/// Fetches discovery documents and JWK Sets, and only when the user passed a URL. Bounded: a timeout per
/// document (connect, headers and body), at most <see cref="MaxBytes"/> of body, at most
/// <see cref="MaxRedirects"/> redirects, and only HTTPS (plain HTTP only between loopback addresses).
/// No cookies, no credentials, no decompression.
/// </summary>
internal sealed class DocumentFetcher : IDisposable
{
    public const int MaxBytes = 1024 * 1024;
    public const int MaxRedirects = 3;

    private readonly HttpClient _client;
    private readonly TimeSpan _timeout;

    public DocumentFetcher(TimeSpan timeout)
    {
        _timeout = timeout;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = timeout,
            MaxResponseHeadersLength = 64,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = MaxBytes };
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("tessera-audit", Output.ToolInfo.Version));
    }

    /// <summary>GETs <paramref name="url"/>, following safe redirects; never throws for network or HTTP failures.</summary>
    public Fetched Get(Uri url) => GetAsync(url).GetAwaiter().GetResult();

    private async Task<Fetched> GetAsync(Uri url)
    {
        if (!Endpoints.IsSecure(url))
        {
            return new Fetched(url, null, $"{url} is not HTTPS; only https:// URLs are fetched (http:// only on loopback)");
        }

        using var timeout = new CancellationTokenSource(_timeout);
        var current = url;
        try
        {
            for (var hop = 0; ; hop++)
            {
                using var response = await _client.GetAsync(current, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                if (IsRedirect(response.StatusCode))
                {
                    var location = response.Headers.Location;
                    if (location is null || hop == MaxRedirects)
                    {
                        return new Fetched(current, null, location is null ? "a redirect without a Location" : $"more than {MaxRedirects} redirects");
                    }

                    var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                    if (!(next.Scheme == Uri.UriSchemeHttps || (Endpoints.IsLoopback(current) && current.Scheme == Uri.UriSchemeHttp && Endpoints.IsSecure(next))))
                    {
                        return new Fetched(current, null, $"it redirects to {next}, which is not HTTPS; the redirect was not followed");
                    }

                    current = next;
                    continue;
                }

                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return new Fetched(current, null, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                }

                if (response.Content.Headers.ContentLength > MaxBytes)
                {
                    return new Fetched(current, null, $"the response is larger than {MaxBytes} bytes");
                }

                var body = await ReadBounded(response.Content, timeout.Token).ConfigureAwait(false);
                return body is null
                    ? new Fetched(current, null, $"the response is larger than {MaxBytes} bytes")
                    : new Fetched(current, body, null);
            }
        }
        catch (OperationCanceledException)
        {
            return new Fetched(current, null, $"no complete answer within {_timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            return new Fetched(current, null, e.Message);
        }
    }

    private static async Task<string?> ReadBounded(HttpContent content, CancellationToken cancel)
    {
        var stream = await content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxBytes + 1];
            var total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(total), cancel).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > MaxBytes)
                {
                    return null;
                }
            }

            return Encoding.UTF8.GetString(buffer, 0, total);
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    public void Dispose() => _client.Dispose();
}
