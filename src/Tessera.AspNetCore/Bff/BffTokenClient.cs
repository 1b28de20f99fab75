using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Introspection;

namespace Tessera.AspNetCore.Bff;

/// <summary>
/// The BFF's calls to the token service as a confidential client: discovery (cached), the code exchange, refresh and
/// revocation. Client authentication is HTTP Basic with the form-encoded id and secret (RFC 6749 §2.3.1).
/// </summary>
internal sealed class BffTokenClient(IHttpClientFactory http, IOptions<TesseraBffOptions> options, TimeProvider time)
{
    private const int MaxResponseBytes = 64 * 1024;
    private readonly SemaphoreSlim _metadataGate = new(1, 1);
    private BffIssuerMetadata? _metadata;
    private DateTimeOffset _metadataExpires;

    /// <summary>The token service's endpoints, from its discovery document (cached for 15 minutes).</summary>
    public async Task<BffIssuerMetadata> MetadataAsync(CancellationToken cancellationToken)
    {
        if (_metadata is { } cached && time.GetUtcNow() < _metadataExpires)
        {
            return cached;
        }

        await _metadataGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_metadata is { } again && time.GetUtcNow() < _metadataExpires)
            {
                return again;
            }

            var issuer = options.Value.Authority!.TrimEnd('/');
            using var client = Client();
            using var response = await client.GetAsync(new Uri(issuer + "/.well-known/openid-configuration"), cancellationToken).ConfigureAwait(false);
            using var document = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false)
                ?? throw new HttpRequestException($"discovery answered HTTP {(int)response.StatusCode}");
            var root = document.RootElement;
            if (String(root, "issuer") != issuer)
            {
                throw new HttpRequestException("the discovery document is for another issuer");
            }

            _metadata = new BffIssuerMetadata(
                issuer,
                Endpoint(root, "authorization_endpoint") ?? throw new HttpRequestException("the discovery document has no authorization_endpoint"),
                Endpoint(root, "token_endpoint") ?? throw new HttpRequestException("the discovery document has no token_endpoint"),
                Endpoint(root, "revocation_endpoint"));
            _metadataExpires = time.GetUtcNow().AddMinutes(15);
            return _metadata;
        }
        finally
        {
            _metadataGate.Release();
        }
    }

    /// <summary>The tokens for a code; null when the token service refused it. Throws when it could not answer.</summary>
    public async Task<BffTokenResponse?> ExchangeCodeAsync(string code, string redirectUri, string verifier, CancellationToken cancellationToken) =>
        await PostTokenAsync(
            [new("grant_type", "authorization_code"), new("code", code), new("redirect_uri", redirectUri), new("code_verifier", verifier)],
            cancellationToken).ConfigureAwait(false);

    /// <summary>The rotated tokens; null when the token service refused the refresh token (the session is over). Throws when it could not answer.</summary>
    public async Task<BffTokenResponse?> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        await PostTokenAsync([new("grant_type", "refresh_token"), new("refresh_token", refreshToken)], cancellationToken).ConfigureAwait(false);

    /// <summary>Revokes a token at the RFC 7009 endpoint when the token service has one; true when it answered 200.</summary>
    public async Task<bool> RevokeAsync(string token, string hint, CancellationToken cancellationToken)
    {
        var metadata = await MetadataAsync(cancellationToken).ConfigureAwait(false);
        if (metadata.RevocationEndpoint is not { } endpoint)
        {
            return false;
        }

        using var client = Client();
        using var request = Authenticated(endpoint, [new("token", token), new("token_type_hint", hint)]);
        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode;
    }

    private async Task<BffTokenResponse?> PostTokenAsync(List<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        var metadata = await MetadataAsync(cancellationToken).ConfigureAwait(false);
        using var client = Client();
        using var request = Authenticated(metadata.TokenEndpoint, form);
        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode >= 500 || response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
        {
            // The token service is unwell, not refusing: the caller answers 502 and keeps the session.
            throw new HttpRequestException($"the token endpoint answered HTTP {(int)response.StatusCode}", null, response.StatusCode);
        }

        using var document = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return null;
        }

        var root = document.RootElement;
        if (String(root, "access_token") is not { } access || !string.Equals(String(root, "token_type"), "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var expiresIn = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) && seconds > 0 ? seconds : 60;
        return new BffTokenResponse(access, time.GetUtcNow().AddSeconds(expiresIn), String(root, "refresh_token"), String(root, "id_token"));
    }

    private HttpRequestMessage Authenticated(Uri endpoint, IEnumerable<KeyValuePair<string, string>> form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(form) };
        var credentials = Uri.EscapeDataString(options.Value.ClientId!) + ":" + Uri.EscapeDataString(options.Value.ClientSecret!);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return request;
    }

    private HttpClient Client()
    {
        var client = http.CreateClient(TesseraBffDefaults.HttpClientName);
        client.Timeout = options.Value.Timeout;
        return client;
    }

    private static async Task<JsonDocument?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            return null;
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (bytes.Length > MaxResponseBytes)
        {
            return null;
        }

        try
        {
            var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Uri? Endpoint(JsonElement root, string name) =>
        String(root, name) is { } text && Uri.TryCreate(text, UriKind.Absolute, out var uri) && HttpsPolicy.IsAcceptable(uri) ? uri : null;
}
