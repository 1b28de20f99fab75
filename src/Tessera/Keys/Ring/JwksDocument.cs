using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Jose;

namespace Tessera.Keys.Ring;

/// <summary>
/// The JWK Set a token service publishes: the public members of every published ring key (<c>kty</c>,
/// <c>kid</c>, <c>use: sig</c>, <c>alg</c>), with the HTTP validators to serve it. Immutable.
/// </summary>
public sealed class JwksDocument
{
    private JwksDocument(string json, string etag, TimeSpan maxAge)
    {
        Json = json;
        ETag = etag;
        MaxAge = maxAge;
    }

    /// <summary>The JWK Set JSON (<c>{"keys":[…]}</c>); never contains a private member.</summary>
    public string Json { get; }

    /// <summary>A strong entity tag (quoted) derived from <see cref="Json"/>: equal documents have equal tags in every process.</summary>
    public string ETag { get; }

    /// <summary>How long a verifier may cache the document: the policy's <see cref="RotationPolicy.JwksCacheLifetime"/>.</summary>
    public TimeSpan MaxAge { get; }

    /// <summary>The <c>Cache-Control</c> header value to serve with the document.</summary>
    public string CacheControl => $"public, max-age={(long)MaxAge.TotalSeconds}";

    internal static JwksDocument Create(IEnumerable<JsonWebKey> keys, TimeSpan maxAge)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var key in keys)
            {
                key.WriteJwk(writer, includePrivate: false);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var hash = SHA256.HashData(buffer.WrittenSpan);
        var etag = "\"" + Base64Url.Encode(hash.AsSpan(0, 16)) + "\"";
        return new JwksDocument(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), etag, maxAge);
    }
}
