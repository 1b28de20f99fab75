using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Jose;

namespace Tessera.Keys;

internal sealed class HmacKeyMaterial(byte[] secret) : KeyMaterial
{
    private readonly byte[] _secret = secret;

    public override KeyType KeyType => KeyType.Oct;

    public override bool HasPrivateKey => true;

    public override int KeySizeBits => _secret.Length * 8;

    public override bool Verify(JwsAlgorithm algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != algorithm.SignatureSize)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[64];
        var written = Mac(algorithm, data, expected);
        return CryptographicOperations.FixedTimeEquals(expected[..written], signature);
    }

    public override int Sign(JwsAlgorithm algorithm, ReadOnlySpan<byte> data, Span<byte> destination) =>
        Mac(algorithm, data, destination);

    private int Mac(JwsAlgorithm algorithm, ReadOnlySpan<byte> data, Span<byte> destination) => algorithm.SignatureSize switch
    {
        32 => HMACSHA256.HashData(_secret, data, destination),
        48 => HMACSHA384.HashData(_secret, data, destination),
        64 => HMACSHA512.HashData(_secret, data, destination),
        _ => throw new CryptographicException("Not an HMAC algorithm."),
    };

    public override void WriteThumbprintMembers(Utf8JsonWriter writer)
    {
        WriteBase64Url(writer, "k", _secret);
        writer.WriteString("kty", "oct");
    }

    // A symmetric key has no public part: its only member is the secret.
    public override void WritePublicMembers(Utf8JsonWriter writer)
    {
    }

    public override void WritePrivateMembers(Utf8JsonWriter writer) => WriteBase64Url(writer, "k", _secret);

    public override KeyMaterial PublicOnly() =>
        throw new InvalidOperationException("A symmetric key has no public part; it must never be published.");
}
