using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using Tessera.Jose;
using Tessera.Keys;

namespace Tessera.Benchmarks;

/// <summary>
/// One algorithm's keys and token, shared by every library in a benchmark. The keys are made once with
/// the .NET (or NSec) primitives and handed to each library in its own form, so every library verifies
/// the very same token, signed by Tessera, with the very same key.
/// </summary>
internal sealed class AlgorithmFixture : IDisposable
{
    /// <summary>A typical access token's claims (exp is in 2030, so JWT.Net's exp check passes).</summary>
    public const string PayloadJson =
        """{"iss":"https://id.example.com","sub":"5f0c2a8e-43b1-4c6e-9d0a-7b2e1f3c4d5a","aud":"https://api.example.com","exp":1900000000,"nbf":1764000000,"iat":1764000000,"jti":"b1946ac92492d2347c6235b4d2611184","scope":"orders:read orders:write","client_id":"web-app"}""";

    public const string AccessTokenType = "at+jwt";

    public AlgorithmFixture(string name)
    {
        Name = name;
        Algorithm = JwsAlgorithm.Get(name);
        Payload = Encoding.UTF8.GetBytes(PayloadJson);

        switch (Algorithm.KeyType)
        {
            case KeyType.Oct:
                Secret = RandomNumberGenerator.GetBytes(32);
                TesseraSigningKey = JsonWebKey.FromSecret(Secret, Algorithm);
                TesseraVerificationKey = TesseraSigningKey;
                break;
            case KeyType.Rsa:
                RsaPrivate = RSA.Create(2048);
                RsaPublic = RSA.Create();
                RsaPublic.ImportSubjectPublicKeyInfo(RsaPrivate.ExportSubjectPublicKeyInfo(), out _);
                TesseraSigningKey = JsonWebKey.FromPem(RsaPrivate.ExportPkcs8PrivateKeyPem(), Algorithm);
                TesseraVerificationKey = JsonWebKey.FromPem(RsaPrivate.ExportSubjectPublicKeyInfoPem(), Algorithm);
                break;
            case KeyType.EC:
                EcPrivate = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                EcPublic = ECDsa.Create();
                EcPublic.ImportSubjectPublicKeyInfo(EcPrivate.ExportSubjectPublicKeyInfo(), out _);
                TesseraSigningKey = JsonWebKey.FromPem(EcPrivate.ExportPkcs8PrivateKeyPem(), Algorithm);
                TesseraVerificationKey = JsonWebKey.FromPem(EcPrivate.ExportSubjectPublicKeyInfoPem(), Algorithm);
                break;
            default:
                var ed25519 = SignatureAlgorithm.Ed25519;
                EdPrivate = Key.Create(ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
                EdPublic = EdPrivate.PublicKey;
                TesseraSigningKey = JsonWebKey.FromPem(Encoding.ASCII.GetString(EdPrivate.Export(KeyBlobFormat.PkixPrivateKeyText)), Algorithm);
                TesseraVerificationKey = JsonWebKey.FromPem(Encoding.ASCII.GetString(EdPublic.Export(KeyBlobFormat.PkixPublicKeyText)), Algorithm);
                break;
        }

        Kid = TesseraSigningKey.Kid;
        TesseraVerifier = new JwsVerifier(JsonWebKeySet.Create([TesseraVerificationKey]));
        Token = JwsWriter.Sign(TesseraSigningKey, Payload, AccessTokenType);

        // The floor's input: the signing input and the signature, already decoded.
        var lastDot = Token.LastIndexOf('.');
        SigningInput = Encoding.ASCII.GetBytes(Token[..lastDot]);
        Signature = Jose.Base64Url.DecodeOrNull(Token[(lastDot + 1)..])
            ?? throw new InvalidOperationException("Tessera wrote a signature that is not base64url.");

        var check = TesseraVerifier.Verify(Token);
        if (!check.IsValid)
        {
            throw new InvalidOperationException($"Tessera does not verify its own {name} token: {check.Failure} ({check.Detail}).");
        }
    }

    public string Name { get; }

    public JwsAlgorithm Algorithm { get; }

    public byte[] Payload { get; }

    public string Kid { get; }

    /// <summary>The token every library verifies: <c>{"alg","kid","typ":"at+jwt"}</c> over <see cref="PayloadJson"/>.</summary>
    public string Token { get; }

    public byte[] SigningInput { get; }

    public byte[] Signature { get; }

    public JsonWebKey TesseraSigningKey { get; }

    public JsonWebKey TesseraVerificationKey { get; }

    public JwsVerifier TesseraVerifier { get; }

    public byte[]? Secret { get; }

    public RSA? RsaPrivate { get; }

    public RSA? RsaPublic { get; }

    public ECDsa? EcPrivate { get; }

    public ECDsa? EcPublic { get; }

    public Key? EdPrivate { get; }

    public PublicKey? EdPublic { get; }

    public RSASignaturePadding RsaPadding => Algorithm.Name[0] == 'P' ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;

    public void Dispose()
    {
        RsaPrivate?.Dispose();
        RsaPublic?.Dispose();
        EcPrivate?.Dispose();
        EcPublic?.Dispose();
        EdPrivate?.Dispose();
    }
}
