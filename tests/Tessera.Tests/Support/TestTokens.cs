using System.Text;
using Tessera.Jose;
using Tessera.Keys;

namespace Tessera.Tests.Support;

/// <summary>Builds and takes apart compact tokens for tests, including ones no honest signer would produce.</summary>
internal static class TestTokens
{
    public const string Payload = """{"sub":"alice","iss":"https://id.example","aud":"api://orders","exp":4102444800}""";

    public static byte[] PayloadBytes => Encoding.UTF8.GetBytes(Payload);

    public static string B64(string text) => Base64Url.Encode(Encoding.UTF8.GetBytes(text));

    public static string B64(byte[] bytes) => Base64Url.Encode(bytes);

    /// <summary>A token with exactly this header JSON, signed by <paramref name="key"/>.</summary>
    public static string SignWithHeader(JsonWebKey key, string headerJson, string? payload = null) =>
        JwsWriter.SignWithHeader(key, Encoding.UTF8.GetBytes(headerJson), Encoding.UTF8.GetBytes(payload ?? Payload));

    /// <summary>The usual token of <paramref name="key"/>: alg, kid and typ JWT.</summary>
    public static string Sign(JsonWebKey key, string? payload = null) =>
        JwsWriter.Sign(key, Encoding.UTF8.GetBytes(payload ?? Payload), "JWT");

    /// <summary>Header and payload segments with a signature segment made of <paramref name="signature"/>.</summary>
    public static string Unsigned(string headerJson, string signatureSegment = "", string? payload = null) =>
        $"{B64(headerJson)}.{B64(payload ?? Payload)}.{signatureSegment}";

    public static string[] Segments(string token) => token.Split('.');

    public static byte[] SignatureBytes(string token) => Base64Url.DecodeOrNull(Segments(token)[2])!;

    public static string WithSignature(string token, byte[] signature)
    {
        var parts = Segments(token);
        return $"{parts[0]}.{parts[1]}.{Base64Url.Encode(signature)}";
    }

    /// <summary>HMAC-SHA-256 over the signing input with a raw secret, as an attacker holding public material would.</summary>
    public static string HmacForge(byte[] secret, string headerJson, string? payload = null)
    {
        var signingInput = $"{B64(headerJson)}.{B64(payload ?? Payload)}";
        var mac = System.Security.Cryptography.HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Base64Url.Encode(mac)}";
    }
}
