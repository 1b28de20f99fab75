using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Jose;

namespace Tessera.Keys;

internal sealed class RsaKeyMaterial : KeyMaterial
{
    private readonly RSA _rsa;
    private readonly RSAParameters _public;

    public RsaKeyMaterial(RSA rsa, bool hasPrivateKey)
    {
        _rsa = rsa;
        HasPrivateKey = hasPrivateKey;
        _public = rsa.ExportParameters(false);
        KeySizeBits = rsa.KeySize;
    }

    public override KeyType KeyType => KeyType.Rsa;

    public override bool HasPrivateKey { get; }

    public override int KeySizeBits { get; }

    public override int SignatureSize(JwsAlgorithm algorithm) => (KeySizeBits + 7) / 8;

    public override bool Verify(JwsAlgorithm algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == SignatureSize(algorithm)
        && _rsa.VerifyData(data, signature, algorithm.Hash, Padding(algorithm));

    public override int Sign(JwsAlgorithm algorithm, ReadOnlySpan<byte> data, Span<byte> destination) =>
        _rsa.SignData(data, destination, algorithm.Hash, Padding(algorithm));

    private static RSASignaturePadding Padding(JwsAlgorithm algorithm) =>
        algorithm.IsPss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;

    public override void WriteThumbprintMembers(Utf8JsonWriter writer)
    {
        WriteBase64Url(writer, "e", _public.Exponent);
        writer.WriteString("kty", "RSA");
        WriteBase64Url(writer, "n", _public.Modulus);
    }

    public override void WritePublicMembers(Utf8JsonWriter writer)
    {
        WriteBase64Url(writer, "n", _public.Modulus);
        WriteBase64Url(writer, "e", _public.Exponent);
    }

    public override void WritePrivateMembers(Utf8JsonWriter writer)
    {
        var p = _rsa.ExportParameters(true);
        try
        {
            WriteBase64Url(writer, "d", p.D);
            WriteBase64Url(writer, "p", p.P);
            WriteBase64Url(writer, "q", p.Q);
            WriteBase64Url(writer, "dp", p.DP);
            WriteBase64Url(writer, "dq", p.DQ);
            WriteBase64Url(writer, "qi", p.InverseQ);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(p.D);
            CryptographicOperations.ZeroMemory(p.P);
            CryptographicOperations.ZeroMemory(p.Q);
            CryptographicOperations.ZeroMemory(p.DP);
            CryptographicOperations.ZeroMemory(p.DQ);
            CryptographicOperations.ZeroMemory(p.InverseQ);
        }
    }

    public override KeyMaterial PublicOnly()
    {
        var rsa = RSA.Create();
        rsa.ImportParameters(_public);
        return new RsaKeyMaterial(rsa, hasPrivateKey: false);
    }
}
