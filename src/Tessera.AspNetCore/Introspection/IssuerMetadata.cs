using System.Text.Json;

namespace Tessera.AspNetCore.Introspection;

/// <summary>Reads one endpoint URL from an issuer's discovery document, refusing a document for another issuer.</summary>
internal static class IssuerMetadata
{
    private const int MaxBytes = 64 * 1024;

    public static async Task<Uri> ReadEndpointAsync(HttpClient http, string issuer, string member, bool requireHttps, CancellationToken cancellationToken)
    {
        var address = new Uri(issuer.TrimEnd('/') + "/.well-known/openid-configuration");
        using var response = await http.GetAsync(address, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"discovery answered HTTP {(int)response.StatusCode}");
        }

        if (response.Content.Headers.ContentLength > MaxBytes)
        {
            throw new HttpRequestException("the discovery document is too large");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxBytes + 1];
        var read = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
        {
            read += n;
            if (read > MaxBytes)
            {
                throw new HttpRequestException("the discovery document is too large");
            }
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, read));
            var root = document.RootElement;
            if (!root.TryGetProperty("issuer", out var iss) || iss.ValueKind != JsonValueKind.String || iss.GetString() != issuer.TrimEnd('/'))
            {
                throw new HttpRequestException("the discovery document is for another issuer");
            }

            if (!root.TryGetProperty(member, out var value) || value.ValueKind != JsonValueKind.String
                || !Uri.TryCreate(value.GetString(), UriKind.Absolute, out var endpoint))
            {
                throw new HttpRequestException($"the discovery document has no {member}");
            }

            if (requireHttps && !HttpsPolicy.IsAcceptable(endpoint))
            {
                throw new HttpRequestException($"the discovery document's {member} is not https");
            }

            return endpoint;
        }
        catch (JsonException)
        {
            throw new HttpRequestException("the discovery document is not JSON");
        }
    }
}
