using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Tessera.Jose;

/// <summary>The JWK key type an algorithm needs.</summary>
public enum KeyType
{
    /// <summary><c>oct</c>: a symmetric secret (HMAC).</summary>
    Oct,
    /// <summary><c>RSA</c>.</summary>
    Rsa,
    /// <summary><c>EC</c>: a NIST prime curve.</summary>
    EC,
    /// <summary><c>OKP</c>: an octet key pair (Ed25519).</summary>
    Okp,
}

/// <summary>
/// A JWS signature algorithm. <see cref="All"/> is the one table of what Tessera supports; nothing else
/// enumerates algorithms. <c>none</c> is not, and can never be, in it.
/// </summary>
public sealed class JwsAlgorithm
{
    /// <summary>HMAC with SHA-256.</summary>
    public static readonly JwsAlgorithm HS256 = new("HS256", KeyType.Oct, null, HashAlgorithmName.SHA256, 256, 32);
    /// <summary>HMAC with SHA-384.</summary>
    public static readonly JwsAlgorithm HS384 = new("HS384", KeyType.Oct, null, HashAlgorithmName.SHA384, 384, 48);
    /// <summary>HMAC with SHA-512.</summary>
    public static readonly JwsAlgorithm HS512 = new("HS512", KeyType.Oct, null, HashAlgorithmName.SHA512, 512, 64);
    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256.</summary>
    public static readonly JwsAlgorithm RS256 = new("RS256", KeyType.Rsa, null, HashAlgorithmName.SHA256, 2048, 0);
    /// <summary>RSASSA-PKCS1-v1_5 with SHA-384.</summary>
    public static readonly JwsAlgorithm RS384 = new("RS384", KeyType.Rsa, null, HashAlgorithmName.SHA384, 2048, 0);
    /// <summary>RSASSA-PKCS1-v1_5 with SHA-512.</summary>
    public static readonly JwsAlgorithm RS512 = new("RS512", KeyType.Rsa, null, HashAlgorithmName.SHA512, 2048, 0);
    /// <summary>RSASSA-PSS with SHA-256 and MGF1 with SHA-256.</summary>
    public static readonly JwsAlgorithm PS256 = new("PS256", KeyType.Rsa, null, HashAlgorithmName.SHA256, 2048, 0);
    /// <summary>RSASSA-PSS with SHA-384 and MGF1 with SHA-384.</summary>
    public static readonly JwsAlgorithm PS384 = new("PS384", KeyType.Rsa, null, HashAlgorithmName.SHA384, 2048, 0);
    /// <summary>RSASSA-PSS with SHA-512 and MGF1 with SHA-512.</summary>
    public static readonly JwsAlgorithm PS512 = new("PS512", KeyType.Rsa, null, HashAlgorithmName.SHA512, 2048, 0);
    /// <summary>ECDSA on P-256 with SHA-256.</summary>
    public static readonly JwsAlgorithm ES256 = new("ES256", KeyType.EC, "P-256", HashAlgorithmName.SHA256, 256, 64);
    /// <summary>ECDSA on P-384 with SHA-384.</summary>
    public static readonly JwsAlgorithm ES384 = new("ES384", KeyType.EC, "P-384", HashAlgorithmName.SHA384, 384, 96);
    /// <summary>ECDSA on P-521 with SHA-512.</summary>
    public static readonly JwsAlgorithm ES512 = new("ES512", KeyType.EC, "P-521", HashAlgorithmName.SHA512, 521, 132);
    /// <summary>EdDSA with Ed25519 (RFC 8037); the fully-specified name <c>Ed25519</c> is accepted as the same algorithm.</summary>
    public static readonly JwsAlgorithm EdDSA = new("EdDSA", KeyType.Okp, "Ed25519", default, 256, 64);

    /// <summary>The fully-specified name of <see cref="EdDSA"/> with Ed25519.</summary>
    public const string Ed25519Name = "Ed25519";

    /// <summary>Every supported algorithm.</summary>
    public static IReadOnlyList<JwsAlgorithm> All => Table;

    private static readonly JwsAlgorithm[] Table =
        [HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA];

    private JwsAlgorithm(string name, KeyType keyType, string? curve, HashAlgorithmName hash, int minimumKeyBits, int signatureSize)
    {
        Name = name;
        KeyType = keyType;
        Curve = curve;
        Hash = hash;
        MinimumKeyBits = minimumKeyBits;
        SignatureSize = signatureSize;
    }

    /// <summary>The registered <c>alg</c> name.</summary>
    public string Name { get; }

    /// <summary>The key type this algorithm needs.</summary>
    public KeyType KeyType { get; }

    /// <summary>The curve for EC and OKP algorithms.</summary>
    public string? Curve { get; }

    /// <summary>The digest (unused by EdDSA).</summary>
    public HashAlgorithmName Hash { get; }

    /// <summary>Minimum key size in bits: the RSA modulus, the HMAC secret, or the curve size.</summary>
    public int MinimumKeyBits { get; }

    /// <summary>Fixed signature size in bytes; 0 for RSA, whose signatures are as long as the modulus.</summary>
    public int SignatureSize { get; }

    /// <summary>True for HMAC.</summary>
    public bool IsSymmetric => KeyType == KeyType.Oct;

    internal bool IsPss => KeyType == KeyType.Rsa && Name[0] == 'P';

    /// <summary>Finds an algorithm by its exact, case-sensitive name.</summary>
    public static bool TryGet(string? name, [NotNullWhen(true)] out JwsAlgorithm? algorithm)
    {
        algorithm = name is null ? null : Find(name.AsSpan());
        return algorithm is not null;
    }

    /// <summary>Finds an algorithm by its exact name, or throws with the list of supported names.</summary>
    public static JwsAlgorithm Get(string name) =>
        TryGet(name, out var algorithm)
            ? algorithm
            : throw new ArgumentException(
                $"Unsupported algorithm '{name}'. Use one of: {string.Join(", ", All.Select(a => a.Name))}.", nameof(name));

    internal static JwsAlgorithm? Find(ReadOnlySpan<char> name)
    {
        foreach (var algorithm in Table)
        {
            if (name.SequenceEqual(algorithm.Name))
            {
                return algorithm;
            }
        }

        return name.SequenceEqual(Ed25519Name) ? EdDSA : null;
    }

    internal static JwsAlgorithm? Find(ReadOnlySpan<byte> utf8Name)
    {
        // Every algorithm name is ASCII and at most 7 bytes.
        if (utf8Name.Length is < 5 or > 7)
        {
            return null;
        }

        Span<char> chars = stackalloc char[7];
        for (var i = 0; i < utf8Name.Length; i++)
        {
            chars[i] = (char)utf8Name[i];
        }

        return Find(chars[..utf8Name.Length]);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
