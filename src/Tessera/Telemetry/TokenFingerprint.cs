using System.Security.Cryptography;
using System.Text;
using Tessera.Jose;

namespace Tessera.Telemetry;

/// <summary>
/// How logs refer to a token without containing it: the first 12 base64url characters (72 bits) of the
/// SHA-256 of the token text. Enough to correlate log lines; useless for replaying the token.
/// </summary>
public static class TokenFingerprint
{
    /// <summary>The fingerprint of <paramref name="token"/>.</summary>
    public static string Of(ReadOnlySpan<char> token)
    {
        Span<byte> hash = stackalloc byte[32];
        var max = Math.Min(token.Length, 64 * 1024);
        var bytes = Encoding.UTF8.GetBytes(token[..max].ToArray());
        SHA256.HashData(bytes, hash);
        return Base64Url.Encode(hash[..9]);
    }
}
