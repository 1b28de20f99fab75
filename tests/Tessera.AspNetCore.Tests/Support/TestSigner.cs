using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tessera.Jose;
using Tessera.Keys;

namespace Tessera.AspNetCore.Tests.Support;

/// <summary>An ES256 key pair for tests: its public JWK Set, and compact JWS of any header and payload (which Tessera's own issuer would refuse to write).</summary>
internal sealed class TestSigner : IDisposable
{
    private readonly ECDsa _ecdsa;

    public TestSigner(string kid)
    {
        Kid = kid;
        Key = JsonWebKey.Generate(JwsAlgorithm.ES256, kid);
        using var jwk = JsonDocument.Parse(Key.ToPrivateJwkUnsafe());
        var root = jwk.RootElement;
        _ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = Base64Url.DecodeOrNull(root.GetProperty("d").GetString()),
            Q = new ECPoint { X = Base64Url.DecodeOrNull(root.GetProperty("x").GetString()), Y = Base64Url.DecodeOrNull(root.GetProperty("y").GetString()) },
        });
        Keys = JsonWebKeySet.Parse("{\"keys\":[" + Key.ToPublicJwk() + "]}");
    }

    public string Kid { get; }

    public JsonWebKey Key { get; }

    public JsonWebKeySet Keys { get; }

    public string Sign(string payloadJson, string typ, string? kid = null) =>
        SignRaw($$"""{"alg":"ES256","kid":"{{kid ?? Kid}}","typ":"{{typ}}"}""", payloadJson);

    public string SignRaw(string headerJson, string payloadJson)
    {
        var input = Base64Url.Encode(Encoding.UTF8.GetBytes(headerJson)) + "." + Base64Url.Encode(Encoding.UTF8.GetBytes(payloadJson));
        var signature = _ecdsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return input + "." + Base64Url.Encode(signature);
    }

    public void Dispose() => _ecdsa.Dispose();
}
