using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Jose;

namespace Tessera.Keys;

internal sealed class EcKeyMaterial : KeyMaterial
{
    private readonly ECDsa _ecdsa;
    private readonly ECParameters _public;

    public EcKeyMaterial(ECDsa ecdsa, string curve, bool hasPrivateKey)
    {
        _ecdsa = ecdsa;
        Curve = curve;
        HasPrivateKey = hasPrivateKey;
        _public = ecdsa.ExportParameters(false);
        KeySizeBits = ecdsa.KeySize;
    }

    public string Curve { get; }

    public override KeyType KeyType => KeyType.EC;

    public override bool HasPrivateKey { get; }

    public override int KeySizeBits { get; }

    public override bool Verify(JwsAlgorithm algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        // Only the fixed-length R||S form (RFC 7518 §3.4); DER is refused by length. r = 0 or s = 0
        // is refused here as well as by the backend (CVE-2022-21449).
        if (signature.Length != algorithm.SignatureSize)
        {
            return false;
        }

        var half = signature.Length / 2;
        if (signature[..half].IndexOfAnyExcept((byte)0) < 0 || signature[half..].IndexOfAnyExcept((byte)0) < 0)
        {
            return false;
        }

        return _ecdsa.VerifyData(data, signature, algorithm.Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public override int Sign(JwsAlgorithm algorithm, ReadOnlySpan<byte> data, Span<byte> destination) =>
        _ecdsa.SignData(data, destination, algorithm.Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public override void WriteThumbprintMembers(Utf8JsonWriter writer)
    {
        writer.WriteString("crv", Curve);
        writer.WriteString("kty", "EC");
        WriteBase64Url(writer, "x", _public.Q.X);
        WriteBase64Url(writer, "y", _public.Q.Y);
    }

    public override void WritePublicMembers(Utf8JsonWriter writer)
    {
        writer.WriteString("crv", Curve);
        WriteBase64Url(writer, "x", _public.Q.X);
        WriteBase64Url(writer, "y", _public.Q.Y);
    }

    public override void WritePrivateMembers(Utf8JsonWriter writer)
    {
        var p = _ecdsa.ExportParameters(true);
        try
        {
            WriteBase64Url(writer, "d", p.D);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(p.D);
        }
    }

    public override KeyMaterial PublicOnly() => new EcKeyMaterial(ECDsa.Create(_public), Curve, hasPrivateKey: false);

    internal static ECCurve CurveFor(string curve) => curve switch
    {
        "P-256" => ECCurve.NamedCurves.nistP256,
        "P-384" => ECCurve.NamedCurves.nistP384,
        "P-521" => ECCurve.NamedCurves.nistP521,
        _ => throw new KeyRejectedException($"Unsupported EC curve '{curve}'. Use P-256 (ES256), P-384 (ES384) or P-521 (ES512)."),
    };

    internal static int CoordinateSize(string curve) => curve switch
    {
        "P-256" => 32,
        "P-384" => 48,
        "P-521" => 66,
        _ => 0,
    };
}
