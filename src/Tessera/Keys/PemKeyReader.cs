using System.Formats.Asn1;
using System.Security.Cryptography;
using NSec.Cryptography;
using Tessera.Jose;

namespace Tessera.Keys;

/// <summary>Reads PEM keys: SPKI (<c>PUBLIC KEY</c>), PKCS#8 (<c>PRIVATE KEY</c>), PKCS#1 RSA and SEC1 EC.</summary>
internal static class PemKeyReader
{
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";
    private const string Ed25519Oid = "1.3.101.112";

    public static JsonWebKey Read(string pem, IReadOnlyCollection<JwsAlgorithm>? allowed, string? kid)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new KeyRejectedException("No PEM block found. Expect '-----BEGIN PUBLIC KEY-----' (SPKI) or '-----BEGIN PRIVATE KEY-----' (PKCS#8).");
        }

        var label = pem[fields.Label];
        var der = Convert.FromBase64String(pem[fields.Base64Data]);
        try
        {
            return label switch
            {
                "PUBLIC KEY" => FromAlgorithmIdentifier(SpkiAlgorithm(der), der, isPrivate: false, allowed, kid),
                "PRIVATE KEY" => FromAlgorithmIdentifier(Pkcs8Algorithm(der), der, isPrivate: true, allowed, kid),
                "RSA PUBLIC KEY" => Rsa(r => r.ImportRSAPublicKey(der, out _), isPrivate: false, allowed, kid),
                "RSA PRIVATE KEY" => Rsa(r => r.ImportRSAPrivateKey(der, out _), isPrivate: true, allowed, kid),
                "EC PRIVATE KEY" => Ec(e => e.ImportECPrivateKey(der, out _), isPrivate: true, allowed, kid),
                "ENCRYPTED PRIVATE KEY" => throw new KeyRejectedException("The PEM private key is encrypted; decrypt it first (openssl pkcs8 -in key.pem -out plain.pem)."),
                "CERTIFICATE" => throw new KeyRejectedException("The PEM is a certificate; extract its public key (openssl x509 -pubkey -noout -in cert.pem)."),
                _ => throw new KeyRejectedException($"Unsupported PEM label '{label}'. Use PUBLIC KEY, PRIVATE KEY, RSA PUBLIC KEY, RSA PRIVATE KEY or EC PRIVATE KEY."),
            };
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException or FormatException)
        {
            throw new KeyRejectedException($"The PEM '{label}' block could not be read as a key: {e.Message}", e);
        }
    }

    private static JsonWebKey FromAlgorithmIdentifier(string oid, byte[] der, bool isPrivate, IReadOnlyCollection<JwsAlgorithm>? allowed, string? kid) => oid switch
    {
        RsaOid => Rsa(r => Import(r, der, isPrivate), isPrivate, allowed, kid),
        EcOid => Ec(e => Import(e, der, isPrivate), isPrivate, allowed, kid),
        Ed25519Oid => Ed25519(der, isPrivate, allowed, kid),
        _ => throw new KeyRejectedException($"Unsupported key algorithm (OID {oid}). Use an RSA, EC P-256/P-384/P-521 or Ed25519 key."),
    };

    private static void Import(AsymmetricAlgorithm key, byte[] der, bool isPrivate)
    {
        if (isPrivate)
        {
            key.ImportPkcs8PrivateKey(der, out _);
        }
        else
        {
            key.ImportSubjectPublicKeyInfo(der, out _);
        }
    }

    private static JsonWebKey Rsa(Action<RSA> import, bool isPrivate, IReadOnlyCollection<JwsAlgorithm>? allowed, string? kid)
    {
        using var rsa = RSA.Create();
        import(rsa);
        var algorithm = JwkReader.Bind(KeyType.Rsa, null, null, allowed, kid);
        return new JsonWebKey(KeyChecks.Rsa(rsa.ExportParameters(isPrivate), algorithm), algorithm, kid);
    }

    private static JsonWebKey Ec(Action<ECDsa> import, bool isPrivate, IReadOnlyCollection<JwsAlgorithm>? allowed, string? kid)
    {
        using var ecdsa = ECDsa.Create();
        import(ecdsa);
        var parameters = ecdsa.ExportParameters(isPrivate);
        var curve = parameters.Curve.Oid.Value switch
        {
            "1.2.840.10045.3.1.7" => "P-256",
            "1.3.132.0.34" => "P-384",
            "1.3.132.0.35" => "P-521",
            _ => throw new KeyRejectedException("Unsupported EC curve. Use P-256 (ES256), P-384 (ES384) or P-521 (ES512)."),
        };
        var algorithm = JwkReader.Bind(KeyType.EC, curve, null, allowed, kid);
        return new JsonWebKey(KeyChecks.Ec(parameters, curve, algorithm), algorithm, kid);
    }

    private static JsonWebKey Ed25519(byte[] der, bool isPrivate, IReadOnlyCollection<JwsAlgorithm>? allowed, string? kid)
    {
        var ed25519 = SignatureAlgorithm.Ed25519;
        Ed25519KeyMaterial material;
        if (isPrivate)
        {
            using var key = Key.Import(ed25519, der, KeyBlobFormat.PkixPrivateKey, Ed25519KeyMaterial.Exportable);
            material = KeyChecks.Ed25519(key.PublicKey.Export(KeyBlobFormat.RawPublicKey), key.Export(KeyBlobFormat.RawPrivateKey));
        }
        else
        {
            var publicKey = PublicKey.Import(ed25519, der, KeyBlobFormat.PkixPublicKey);
            material = KeyChecks.Ed25519(publicKey.Export(KeyBlobFormat.RawPublicKey), null);
        }

        var algorithm = JwkReader.Bind(KeyType.Okp, "Ed25519", null, allowed, kid);
        return new JsonWebKey(material, algorithm, kid);
    }

    private static string SpkiAlgorithm(byte[] der)
    {
        var spki = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        return spki.ReadSequence().ReadObjectIdentifier();
    }

    private static string Pkcs8Algorithm(byte[] der)
    {
        var info = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        _ = info.ReadInteger();
        return info.ReadSequence().ReadObjectIdentifier();
    }
}
