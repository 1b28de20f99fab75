using System.Text.Json;
using Tessera.Jose;

namespace Tessera.Keys;

/// <summary>The cryptographic half of a <see cref="JsonWebKey"/>: one backend object, used for one algorithm.</summary>
internal abstract class KeyMaterial
{
    public abstract KeyType KeyType { get; }

    public abstract bool HasPrivateKey { get; }

    /// <summary>Modulus bits for RSA, secret bits for HMAC, curve bits for EC and OKP.</summary>
    public abstract int KeySizeBits { get; }

    /// <summary>The signature length this key produces for <paramref name="algorithm"/>.</summary>
    public virtual int SignatureSize(JwsAlgorithm algorithm) => algorithm.SignatureSize;

    public abstract bool Verify(JwsAlgorithm algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);

    public abstract int Sign(JwsAlgorithm algorithm, ReadOnlySpan<byte> data, Span<byte> destination);

    /// <summary>Writes the members RFC 7638 requires for the thumbprint, in lexicographic order.</summary>
    public abstract void WriteThumbprintMembers(Utf8JsonWriter writer);

    /// <summary>Writes the public members (everything except <c>kty</c>, which the caller writes).</summary>
    public abstract void WritePublicMembers(Utf8JsonWriter writer);

    /// <summary>Writes the private members after the public ones.</summary>
    public abstract void WritePrivateMembers(Utf8JsonWriter writer);

    public abstract KeyMaterial PublicOnly();

    internal static string KeyTypeName(KeyType keyType) => keyType switch
    {
        KeyType.Oct => "oct",
        KeyType.Rsa => "RSA",
        KeyType.EC => "EC",
        KeyType.Okp => "OKP",
        _ => throw new ArgumentOutOfRangeException(nameof(keyType)),
    };

    protected static void WriteBase64Url(Utf8JsonWriter writer, string name, ReadOnlySpan<byte> value) =>
        writer.WriteString(name, Base64Url.Encode(value));
}
