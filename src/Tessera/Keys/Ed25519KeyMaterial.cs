using System.Text.Json;
using NSec.Cryptography;
using Tessera.Jose;

namespace Tessera.Keys;

internal sealed class Ed25519KeyMaterial : KeyMaterial
{
    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;

    private readonly PublicKey _publicKey;
    private readonly Key? _privateKey;
    private readonly byte[] _publicBytes;

    public Ed25519KeyMaterial(PublicKey publicKey, Key? privateKey)
    {
        _publicKey = publicKey;
        _privateKey = privateKey;
        _publicBytes = publicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    public override KeyType KeyType => KeyType.Okp;

    public override bool HasPrivateKey => _privateKey is not null;

    public override int KeySizeBits => 256;

    public override bool Verify(JwsAlgorithm algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == Ed25519.SignatureSize && Ed25519.Verify(_publicKey, data, signature);

    public override int Sign(JwsAlgorithm algorithm, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (_privateKey is null)
        {
            throw new InvalidOperationException("This Ed25519 key has no private part and cannot sign.");
        }

        Ed25519.Sign(_privateKey, data, destination[..Ed25519.SignatureSize]);
        return Ed25519.SignatureSize;
    }

    public override void WriteThumbprintMembers(Utf8JsonWriter writer)
    {
        writer.WriteString("crv", "Ed25519");
        writer.WriteString("kty", "OKP");
        WriteBase64Url(writer, "x", _publicBytes);
    }

    public override void WritePublicMembers(Utf8JsonWriter writer)
    {
        writer.WriteString("crv", "Ed25519");
        WriteBase64Url(writer, "x", _publicBytes);
    }

    public override void WritePrivateMembers(Utf8JsonWriter writer)
    {
        if (_privateKey is not null)
        {
            WriteBase64Url(writer, "d", _privateKey.Export(KeyBlobFormat.RawPrivateKey));
        }
    }

    public override KeyMaterial PublicOnly() => new Ed25519KeyMaterial(_publicKey, null);

    internal static KeyCreationParameters Exportable => new() { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
}
