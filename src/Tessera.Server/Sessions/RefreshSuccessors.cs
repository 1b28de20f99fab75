using System.Security.Cryptography;
using System.Text;
using Tessera.Jose;
using Tessera.Server.Endpoints;

namespace Tessera.Server.Sessions;

/// <summary>
/// Derives a refresh token's successor from the token itself under a server key (HMAC-SHA-256). A retry within the
/// grace window presents the same token and so receives the same successor, although only hashes are stored; without
/// the key and the presented token, the successor cannot be computed.
/// </summary>
internal sealed class RefreshSuccessors
{
    private static readonly byte[] Info = Encoding.ASCII.GetBytes("tessera refresh-token successor v1");

    private readonly byte[] _key;

    public RefreshSuccessors(SecretHashingKey serverKey)
    {
        // A key of its own, derived from the database's server key: client secrets and successors never share one.
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, serverKey.Value, 32, salt: null, info: Info);
    }

    /// <summary>The successor of <paramref name="token"/> (a well-formed opaque secret).</summary>
    public string Of(string token) => Base64Url.Encode(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(token)));
}
