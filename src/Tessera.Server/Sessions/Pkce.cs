using System.Security.Cryptography;
using System.Text;
using Tessera.Jose;

namespace Tessera.Server.Sessions;

/// <summary>PKCE (RFC 7636) with S256 only: <c>plain</c> would let anyone who sees the request redeem the code.</summary>
internal static class Pkce
{
    public const string S256 = "S256";

    private static readonly System.Buffers.SearchValues<char> Unreserved =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~");

    /// <summary>True for an S256 challenge: base64url of a SHA-256, 43 characters.</summary>
    public static bool IsChallenge(string? value) => OpaqueSecrets.IsWellFormed(value);

    /// <summary>The S256 challenge of <paramref name="verifier"/>, or null when it is not 43–128 unreserved characters (RFC 7636 §4.1).</summary>
    public static string? ChallengeOf(string? verifier)
    {
        if (verifier is not { Length: >= 43 and <= 128 } || verifier.AsSpan().ContainsAnyExcept(Unreserved))
        {
            return null;
        }

        return Base64Url.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
    }
}
