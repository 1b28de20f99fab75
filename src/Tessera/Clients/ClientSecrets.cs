using System.Security.Cryptography;
using System.Text;
using Tessera.Jose;

namespace Tessera.Clients;

/// <summary>
/// Client secrets are 256-bit random values the server generates, so a fast keyed hash (HMAC-SHA-256 under a
/// server-held key) protects them as well as a slow password hash would, at a tiny fraction of the cost.
/// Comparison is constant-time. User passwords keep a slow hash; this is not for them.
/// </summary>
public static class ClientSecrets
{
    /// <summary>Bytes of randomness in a generated secret.</summary>
    public const int SecretBytes = 32;

    /// <summary>Bytes in a stored hash (HMAC-SHA-256).</summary>
    public const int HashBytes = HMACSHA256.HashSizeInBytes;

    /// <summary>A new secret: 256 random bits, base64url.</summary>
    public static string Generate() => Base64Url.Encode(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>The keyed hash stored instead of the secret.</summary>
    public static byte[] Hash(string secret, ReadOnlySpan<byte> hashingKey)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Span<byte> utf8 = stackalloc byte[Math.Min(Encoding.UTF8.GetMaxByteCount(secret.Length), 1024)];
        var length = Encoding.UTF8.GetByteCount(secret) <= utf8.Length ? Encoding.UTF8.GetBytes(secret, utf8) : -1;
        return length < 0 ? HMACSHA256.HashData(hashingKey, Encoding.UTF8.GetBytes(secret)) : HMACSHA256.HashData(hashingKey, utf8[..length]);
    }

    /// <summary>True when <paramref name="presented"/> hashes to <paramref name="storedHash"/>; constant-time.</summary>
    public static bool Verify(string presented, byte[]? storedHash, ReadOnlySpan<byte> hashingKey)
    {
        if (storedHash is null || presented is null || presented.Length > 512)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Hash(presented, hashingKey), storedHash);
    }
}
