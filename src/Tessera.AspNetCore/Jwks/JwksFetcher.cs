using System.Net;
using System.Text.Json;
using Tessera.Jose;
using Tessera.Keys;

namespace Tessera.AspNetCore.Jwks;

/// <summary>One fetched and accepted key set.</summary>
internal sealed record FetchedKeys(Uri JwksUri, JsonWebKeySet Keys, TimeSpan? MaxAge, IReadOnlyList<SkippedKey> Skipped);

/// <summary>
/// The HTTP half of the JWKS client: discovery, then the JWK Set, each read with a size bound. Throws
/// <see cref="JwksFetchException"/> for refused answers; the caller bounds the time and classifies transport errors.
/// </summary>
internal sealed class JwksFetcher
{
    private const string OpenIdConfiguration = "/.well-known/openid-configuration";
    private const string OAuthMetadata = "/.well-known/oauth-authorization-server";

    private readonly Func<HttpClient> _httpClient;
    private readonly Uri? _jwksUri;
    private readonly string? _issuer;
    private readonly Uri[] _metadataAddresses;
    private readonly JwsAlgorithm[] _allowed;
    private readonly int _maxResponseBytes;
    private readonly bool _requireHttps;

    public JwksFetcher(JwksClientOptions options, Func<HttpClient> httpClient)
    {
        _httpClient = httpClient;
        _jwksUri = options.JwksUri;
        _issuer = options.Issuer;
        _allowed = [.. options.AllowedAlgorithms];
        _maxResponseBytes = options.MaxResponseBytes;
        _requireHttps = options.RequireHttps;
        _metadataAddresses = options.JwksUri is not null ? []
            : options.MetadataAddress is not null ? [options.MetadataAddress]
            : WellKnownAddresses(options.Issuer!);
    }

    /// <summary>What the logs name as the source: the JWK Set URL, or the issuer whose discovery finds it.</summary>
    public string Source => _jwksUri?.ToString() ?? _issuer!;

    public async Task<FetchedKeys> FetchAsync(CancellationToken cancellationToken)
    {
        var jwksUri = _jwksUri ?? await DiscoverAsync(cancellationToken).ConfigureAwait(false);
        var (body, maxAge) = await GetAsync(jwksUri, "JWK Set", "application/jwk-set+json, application/json", cancellationToken).ConfigureAwait(false);
        var skipped = new List<SkippedKey>();
        var keys = JwksDocumentReader.Read(body, _allowed, skipped);
        return new FetchedKeys(jwksUri, keys, maxAge, skipped);
    }

    /// <summary>The OpenID Connect discovery URL, then the RFC 8414 one (the well-known segment goes before the issuer's path).</summary>
    internal static Uri[] WellKnownAddresses(string issuer)
    {
        var uri = new Uri(issuer, UriKind.Absolute);
        var path = uri.AbsolutePath.TrimEnd('/');
        var authority = uri.GetLeftPart(UriPartial.Authority);
        return
        [
            new Uri(authority + path + OpenIdConfiguration),
            new Uri(authority + OAuthMetadata + path),
        ];
    }

    private async Task<Uri> DiscoverAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; ; i++)
        {
            var address = _metadataAddresses[i];
            ReadOnlyMemory<byte> body;
            try
            {
                (body, _) = await GetAsync(address, "discovery document", "application/json", cancellationToken).ConfigureAwait(false);
            }
            catch (JwksFetchException e) when (e.NotFound && i + 1 < _metadataAddresses.Length)
            {
                continue;
            }

            return ReadJwksUri(body, address);
        }
    }

    private Uri ReadJwksUri(ReadOnlyMemory<byte> body, Uri address)
    {
        using var document = JwksDocumentReader.Parse(body, "discovery document");
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JwksFetchException(JwksFailure.Malformed, $"The discovery document at {address} is not a JSON object.");
        }

        var issuer = root.TryGetProperty("issuer", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
        if (!string.Equals(issuer, _issuer, StringComparison.Ordinal))
        {
            throw new JwksFetchException(
                JwksFailure.WrongIssuer,
                $"The discovery document at {address} names issuer '{Shorten(issuer)}', not the configured '{_issuer}'. " +
                "Set Issuer to exactly the value the issuer publishes (trailing slash included), or fix the issuer's metadata.");
        }

        var text = root.TryGetProperty("jwks_uri", out var j) && j.ValueKind == JsonValueKind.String ? j.GetString() : null;
        if (text is null || !Uri.TryCreate(text, UriKind.Absolute, out var jwksUri) || (jwksUri.Scheme != Uri.UriSchemeHttps && jwksUri.Scheme != Uri.UriSchemeHttp))
        {
            throw new JwksFetchException(JwksFailure.Malformed, $"The discovery document at {address} has no absolute http(s) \"jwks_uri\".");
        }

        if (_requireHttps && !JwksClientOptionsValidator.IsAllowedScheme(jwksUri))
        {
            throw new JwksFetchException(JwksFailure.InsecureUri, $"The discovery document at {address} names a plain-HTTP jwks_uri ({jwksUri}); only https is accepted.");
        }

        return jwksUri;
    }

    private async Task<(ReadOnlyMemory<byte> Body, TimeSpan? MaxAge)> GetAsync(Uri uri, string what, string accept, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.ParseAdd(accept);
        using var response = await _httpClient()
            .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new JwksFetchException(
                JwksFailure.HttpStatus,
                $"The {what} request to {uri} was answered {(int)response.StatusCode} {response.ReasonPhrase}; 200 was expected.")
            {
                NotFound = response.StatusCode == HttpStatusCode.NotFound,
            };
        }

        if (response.Content.Headers.ContentLength is { } declared && declared > _maxResponseBytes)
        {
            throw TooLarge(what, uri, $"{declared} bytes (its Content-Length)");
        }

        var buffer = new byte[_maxResponseBytes + 1];
        var length = 0;
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }
        }

        if (length > _maxResponseBytes)
        {
            throw TooLarge(what, uri, $"over {_maxResponseBytes} bytes");
        }

        return (buffer.AsMemory(0, length), MaxAgeOf(response));
    }

    private JwksFetchException TooLarge(string what, Uri uri, string size) =>
        new(JwksFailure.TooLarge, $"The {what} at {uri} is {size}, more than MaxResponseBytes ({_maxResponseBytes}) allows; the rest was not read. Raise MaxResponseBytes if the set is really that large.");

    private static TimeSpan? MaxAgeOf(HttpResponseMessage response)
    {
        var cacheControl = response.Headers.CacheControl;
        if (cacheControl is null)
        {
            return null;
        }

        if (cacheControl.NoStore || cacheControl.NoCache)
        {
            return TimeSpan.Zero;
        }

        return cacheControl.MaxAge;
    }

    private static string Shorten(string? value) => value is null ? "(none)" : value.Length <= 200 ? value : string.Concat(value.AsSpan(0, 200), "…");
}
