using System.Buffers;
using System.Text;
using System.Text.Json;
using Tessera.Keys;

namespace Tessera.Jose;

/// <summary>Produces JWS compact tokens. The header always names the key's own algorithm and <c>kid</c>.</summary>
internal static class JwsWriter
{
    /// <summary>Signs <paramref name="payload"/> with a header of <c>alg</c>, <c>kid</c> and, when given, <c>typ</c>.</summary>
    public static string Sign(JsonWebKey key, ReadOnlySpan<byte> payload, string? type)
    {
        var header = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(header, CompactJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("alg"u8, key.Algorithm.Name);
            writer.WriteString("kid"u8, key.Kid);
            if (type is not null)
            {
                writer.WriteString("typ"u8, type);
            }

            writer.WriteEndObject();
        }

        return SignWithHeader(key, header.WrittenSpan, payload);
    }

    /// <summary>Signs with exactly the header bytes given (used to reproduce published test vectors byte for byte).</summary>
    public static string SignWithHeader(JsonWebKey key, ReadOnlySpan<byte> headerJson, ReadOnlySpan<byte> payload)
    {
        var headerLength = Base64Url.GetEncodedLength(headerJson.Length);
        var payloadLength = Base64Url.GetEncodedLength(payload.Length);
        var signatureSize = key.SignatureSize;
        var total = headerLength + 1 + payloadLength + 1 + Base64Url.GetEncodedLength(signatureSize);
        var buffer = ArrayPool<byte>.Shared.Rent(total + signatureSize);
        try
        {
            var span = buffer.AsSpan();
            Base64Url.Encode(headerJson, span);
            span[headerLength] = (byte)'.';
            Base64Url.Encode(payload, span[(headerLength + 1)..]);
            var signingInputLength = headerLength + 1 + payloadLength;
            span[signingInputLength] = (byte)'.';
            var signature = span[total..(total + signatureSize)];
            var signed = key.Sign(span[..signingInputLength], signature);
            var encoded = Base64Url.Encode(signature[..signed], span[(signingInputLength + 1)..]);
            return Encoding.ASCII.GetString(span[..(signingInputLength + 1 + encoded)]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }
}
