using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tessera.Jose;

namespace Tessera.Cli.Tests.Support;

/// <summary>Builds JWS compact tokens from literal JSON, so tests control every byte of the header and payload.</summary>
internal static class TokenBuilder
{
    /// <summary>Seconds since the epoch of <see cref="CliRunner.Now"/> plus <paramref name="offset"/>.</summary>
    public static long At(TimeSpan offset) => (CliRunner.Now + offset).ToUnixTimeSeconds();

    public static string Json(object value) => JsonSerializer.Serialize(value);

    public static string Segment(string json) => Base64Url.Encode(Encoding.UTF8.GetBytes(json));

    public static string Unsigned(string header, string payload) => $"{Segment(header)}.{Segment(payload)}.";

    public static string Hs256(string header, string payload, string secret) => Hmac(header, payload, Encoding.UTF8.GetBytes(secret));

    public static string Hmac(string header, string payload, byte[] secret)
    {
        var input = $"{Segment(header)}.{Segment(payload)}";
        return $"{input}.{Base64Url.Encode(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)))}";
    }

    public static string Es256(string header, string payload, ECDsa key)
    {
        var input = $"{Segment(header)}.{Segment(payload)}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{input}.{Base64Url.Encode(signature)}";
    }
}
