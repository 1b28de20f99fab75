using System.Security.Cryptography;
using System.Text;
using Tessera.Jose;

namespace Tessera.Server.Sessions;

/// <summary>
/// The server's opaque secrets — refresh tokens, authorization codes, session cookies: 256 random bits as 43 base64url
/// characters, stored only as their SHA-256 (they cannot be guessed, so a slow hash would add nothing).
/// </summary>
internal static class OpaqueSecrets
{
    /// <summary>Characters in a secret: 32 bytes of base64url without padding.</summary>
    public const int Length = 43;

    /// <summary>A new secret.</summary>
    public static string New() => Base64Url.Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary>True when <paramref name="value"/> has the shape of a secret; checked before any lookup.</summary>
    public static bool IsWellFormed(string? value) =>
        value is { Length: Length } && !value.AsSpan().ContainsAnyExcept(Base64UrlAlphabet);

    /// <summary>The hash stored instead of the secret.</summary>
    public static byte[] Hash(string value) => SHA256.HashData(Encoding.ASCII.GetBytes(value));

    private static readonly System.Buffers.SearchValues<char> Base64UrlAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
}
