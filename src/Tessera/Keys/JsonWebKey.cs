using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Jose;

namespace Tessera.Keys;

/// <summary>
/// A signing or verification key bound to exactly one algorithm, with a <c>kid</c>. Immutable and
/// safe to share between threads. Load one with <see cref="FromJwk(string, JwsAlgorithm?)"/>,
/// <see cref="FromPem"/>, <see cref="FromSecret"/> or <see cref="Generate"/>; each refuses weak or
/// inconsistent keys with a <see cref="KeyRejectedException"/> whose message names the fix.
/// </summary>
public sealed class JsonWebKey
{
    /// <summary>The longest <c>kid</c> Tessera accepts, in characters.</summary>
    public const int MaxKidLength = 256;

    internal JsonWebKey(KeyMaterial material, JwsAlgorithm algorithm, string? kid)
    {
        Material = material;
        Algorithm = algorithm;
        Thumbprint = ComputeThumbprint(material);
        Kid = kid ?? Thumbprint;
        if (Kid.Length is 0 or > MaxKidLength)
        {
            throw new KeyRejectedException($"The kid must be 1 to {MaxKidLength} characters; omit it to use the RFC 7638 thumbprint.");
        }
    }

    internal KeyMaterial Material { get; }

    /// <summary>The key identifier: the one given when loaded, else the RFC 7638 thumbprint.</summary>
    public string Kid { get; }

    /// <summary>The one algorithm this key signs or verifies with.</summary>
    public JwsAlgorithm Algorithm { get; }

    /// <summary>The JWK key type.</summary>
    public KeyType KeyType => Material.KeyType;

    /// <summary>True for HMAC secrets.</summary>
    public bool IsSymmetric => Material.KeyType == KeyType.Oct;

    /// <summary>True when the key can sign (always true for HMAC).</summary>
    public bool HasPrivateKey => Material.HasPrivateKey;

    /// <summary>Key size in bits (RSA modulus, HMAC secret, curve).</summary>
    public int KeySizeBits => Material.KeySizeBits;

    /// <summary>The RFC 7638 JWK thumbprint (SHA-256, base64url).</summary>
    public string Thumbprint { get; }

    /// <summary>Loads a JWK (RFC 7517). The algorithm comes from its <c>alg</c>, else from <paramref name="algorithm"/>,
    /// else from the curve when the curve admits only one.</summary>
    public static JsonWebKey FromJwk(string json, JwsAlgorithm? algorithm = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JwkReader.ParseDocument(json);
        return JwkReader.Read(document.RootElement, algorithm is null ? null : [algorithm]);
    }

    /// <summary>Loads a JWK already parsed as JSON.</summary>
    public static JsonWebKey FromJwk(JsonElement jwk, JwsAlgorithm? algorithm = null) =>
        JwkReader.Read(jwk, algorithm is null ? null : [algorithm]);

    /// <summary>Loads a PEM key: SPKI public key, PKCS#8 private key, or PKCS#1 RSA public or private key.</summary>
    public static JsonWebKey FromPem(string pem, JwsAlgorithm? algorithm = null, string? kid = null) =>
        PemKeyReader.Read(pem, algorithm is null ? null : [algorithm], kid);

    /// <summary>Wraps an HMAC secret; it must be at least as long as the hash output.</summary>
    public static JsonWebKey FromSecret(ReadOnlySpan<byte> secret, JwsAlgorithm algorithm, string? kid = null)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        return new JsonWebKey(KeyChecks.Hmac(secret.ToArray(), algorithm), algorithm, kid);
    }

    /// <summary>Generates a new key for <paramref name="algorithm"/> (RSA keys are 2048 bits unless <paramref name="rsaKeyBits"/> says more).</summary>
    public static JsonWebKey Generate(JwsAlgorithm algorithm, string? kid = null, int rsaKeyBits = 2048)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        KeyMaterial material = algorithm.KeyType switch
        {
            KeyType.Oct => new HmacKeyMaterial(RandomNumberGenerator.GetBytes(algorithm.SignatureSize)),
            KeyType.Rsa => new RsaKeyMaterial(RSA.Create(Math.Max(rsaKeyBits, algorithm.MinimumKeyBits)), hasPrivateKey: true),
            KeyType.EC => new EcKeyMaterial(ECDsa.Create(EcKeyMaterial.CurveFor(algorithm.Curve!)), algorithm.Curve!, hasPrivateKey: true),
            KeyType.Okp => Ed25519Generate(),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
        };
        return new JsonWebKey(material, algorithm, kid);
    }

    private static Ed25519KeyMaterial Ed25519Generate()
    {
        var key = NSec.Cryptography.Key.Create(NSec.Cryptography.SignatureAlgorithm.Ed25519, Ed25519KeyMaterial.Exportable);
        return new Ed25519KeyMaterial(key.PublicKey, key);
    }

    /// <summary>The same key without its private part. Symmetric keys have none and throw.</summary>
    public JsonWebKey ToPublicKey() =>
        HasPrivateKey ? new JsonWebKey(Material.PublicOnly(), Algorithm, Kid) : this;

    /// <summary>The public JWK (<c>kty</c>, <c>kid</c>, <c>use</c>, <c>alg</c> and public members only).
    /// Throws for symmetric keys, which must never be published.</summary>
    public string ToPublicJwk() => Write(includePrivate: false);

    /// <summary>The JWK with its private members. Handle the result as a secret.</summary>
    public string ToPrivateJwkUnsafe() => Write(includePrivate: true);

    internal void WriteJwk(Utf8JsonWriter writer, bool includePrivate)
    {
        if (IsSymmetric && !includePrivate)
        {
            throw new InvalidOperationException($"Key '{Kid}' is symmetric; a public JWK Set must not contain it.");
        }

        writer.WriteStartObject();
        writer.WriteString("kty", KeyMaterial.KeyTypeName(KeyType));
        writer.WriteString("kid", Kid);
        writer.WriteString("use", "sig");
        writer.WriteString("alg", Algorithm.Name);
        Material.WritePublicMembers(writer);
        if (includePrivate)
        {
            Material.WritePrivateMembers(writer);
        }

        writer.WriteEndObject();
    }

    private string Write(bool includePrivate)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteJwk(writer, includePrivate);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    internal bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) => Material.Verify(Algorithm, data, signature);

    internal int SignatureSize => Material.SignatureSize(Algorithm);

    internal int Sign(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (!HasPrivateKey)
        {
            throw new InvalidOperationException($"Key '{Kid}' is a public key and cannot sign.");
        }

        return Material.Sign(Algorithm, data, destination);
    }

    private static string ComputeThumbprint(KeyMaterial material)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            material.WriteThumbprintMembers(writer);
            writer.WriteEndObject();
        }

        return Base64Url.Encode(SHA256.HashData(buffer.WrittenSpan));
    }

    /// <inheritdoc />
    public override string ToString() => $"{Algorithm.Name} key {Kid}";
}
