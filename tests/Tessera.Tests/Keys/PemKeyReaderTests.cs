using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Keys;

/// <summary>PEM import: SPKI, PKCS#8 and PKCS#1 for RSA; SPKI, PKCS#8 and SEC1 for EC; SPKI and PKCS#8 for Ed25519.</summary>
public class PemKeyReaderTests
{
    private static readonly Lazy<RSA> Rsa = new(() => RSA.Create(2048));
    private static readonly Lazy<ECDsa> Ec = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP384));
    private static readonly Lazy<NSec.Cryptography.Key> Ed = new(() =>
        NSec.Cryptography.Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    // family, format → whether the PEM holds a private key.
    public static TheoryData<string, string, bool> Formats => new()
    {
        { "RSA", "SPKI", false },
        { "RSA", "PKCS#8", true },
        { "RSA", "PKCS#1 public", false },
        { "RSA", "PKCS#1 private", true },
        { "EC", "SPKI", false },
        { "EC", "PKCS#8", true },
        { "EC", "SEC1", true },
        { "Ed25519", "SPKI", false },
        { "Ed25519", "PKCS#8", true },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void FromPem_SupportedFormat_LoadsTheSameKeyInEveryFormat(string family, string format, bool isPrivate)
    {
        var algorithm = family switch { "RSA" => JwsAlgorithm.PS256, "EC" => JwsAlgorithm.ES384, _ => JwsAlgorithm.EdDSA };

        var key = JsonWebKey.FromPem(Pem(family, format), algorithm);
        var spki = JsonWebKey.FromPem(Pem(family, "SPKI"), algorithm);

        Assert.Same(algorithm, key.Algorithm);
        Assert.Equal(isPrivate, key.HasPrivateKey);
        Assert.Equal(spki.Thumbprint, key.Thumbprint);
        Assert.Equal(key.Thumbprint, key.Kid);
        if (isPrivate)
        {
            // A private PEM signs tokens that the public SPKI verifies.
            VerificationAssert.Valid(TestKeys.VerifierFor(spki).Verify(TestTokens.Sign(key)));
        }
    }

    [Fact]
    public void FromPem_KidAndSurroundingText_AreHonoured()
    {
        var pem = "# the service's signing key\n" + Pem("EC", "SPKI") + "\ntrailing notes\n";

        var key = JsonWebKey.FromPem(pem, kid: "ec-2025");

        Assert.Equal("ec-2025", key.Kid);
        Assert.Same(JwsAlgorithm.ES384, key.Algorithm);
    }

    [Fact]
    public void FromPem_RsaWithoutAlgorithm_ThrowsAskingForOne()
    {
        var e = Assert.Throws<KeyRejectedException>(() => JsonWebKey.FromPem(Pem("RSA", "SPKI")));

        Assert.Contains("name the one algorithm", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no PEM here", "No PEM block found")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "could not be read as a key")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----", "could not be read as a key")]
    [InlineData("-----BEGIN RSA PUBLIC KEY-----\nMAA=\n-----END RSA PUBLIC KEY-----", "could not be read as a key")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----", "Unsupported PEM label")]
    [InlineData("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----", "decrypt it first")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "extract its public key")]
    public void FromPem_UnusablePem_ThrowsKeyRejectedNamingTheFix(string pem, string fix)
    {
        var e = Assert.Throws<KeyRejectedException>(() => JsonWebKey.FromPem(pem, JwsAlgorithm.RS256));

        Assert.Contains(fix, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPem_WeakRsaKey_ThrowsNamingTheSize()
    {
        using var weak = RSA.Create(1024);

        var e = Assert.Throws<KeyRejectedException>(() => JsonWebKey.FromPem(weak.ExportSubjectPublicKeyInfoPem(), JwsAlgorithm.RS256));

        Assert.Contains("2048 bits or more", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPem_UnsupportedCurveOrKeyAlgorithm_ThrowsNamingWhatIsSupported()
    {
        using var secp256k1 = ECDsa.Create(ECCurve.CreateFromValue("1.3.132.0.10"));
        using var x25519 = NSec.Cryptography.Key.Create(KeyAgreementAlgorithm.X25519);
        var x25519Pem = Encoding.ASCII.GetString(x25519.PublicKey.Export(KeyBlobFormat.PkixPublicKeyText));

        var curve = Assert.Throws<KeyRejectedException>(() => JsonWebKey.FromPem(secp256k1.ExportSubjectPublicKeyInfoPem()));
        var algorithm = Assert.Throws<KeyRejectedException>(() => JsonWebKey.FromPem(x25519Pem));

        Assert.Contains("P-256 (ES256), P-384 (ES384) or P-521 (ES512)", curve.Message, StringComparison.Ordinal);
        Assert.Contains("Ed25519", algorithm.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPem_EcKeyWithTheWrongAlgorithm_ThrowsNamingTheMatchingOne()
    {
        var e = Assert.Throws<KeyRejectedException>(() => JsonWebKey.FromPem(Pem("EC", "SPKI"), JwsAlgorithm.ES256));

        Assert.Contains("ES384", e.Message, StringComparison.Ordinal);
    }

    private static string Pem(string family, string format) => (family, format) switch
    {
        ("RSA", "SPKI") => Rsa.Value.ExportSubjectPublicKeyInfoPem(),
        ("RSA", "PKCS#8") => Rsa.Value.ExportPkcs8PrivateKeyPem(),
        ("RSA", "PKCS#1 public") => Rsa.Value.ExportRSAPublicKeyPem(),
        ("RSA", "PKCS#1 private") => Rsa.Value.ExportRSAPrivateKeyPem(),
        ("EC", "SPKI") => Ec.Value.ExportSubjectPublicKeyInfoPem(),
        ("EC", "PKCS#8") => Ec.Value.ExportPkcs8PrivateKeyPem(),
        ("EC", "SEC1") => Ec.Value.ExportECPrivateKeyPem(),
        ("Ed25519", "SPKI") => Encoding.ASCII.GetString(Ed.Value.PublicKey.Export(KeyBlobFormat.PkixPublicKeyText)),
        ("Ed25519", "PKCS#8") => Encoding.ASCII.GetString(Ed.Value.Export(KeyBlobFormat.PkixPrivateKeyText)),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
