using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Tessera.Jose;
using Tessera.Keys;

namespace Tessera.AspNetCore.Tests.Jwks;

/// <summary>Keys and JWK Set documents for the tests, generated once per run.</summary>
internal static class TestKeys
{
    private static readonly Lazy<JsonWebKey> LazyRsa = new(() => JsonWebKey.Generate(JwsAlgorithm.RS256, "rsa-1"));

    public static JsonWebKey Rsa => LazyRsa.Value;

    public static JsonWebKey Ec(string kid) => JsonWebKey.Generate(JwsAlgorithm.ES256, kid);

    /// <summary>A JWK Set document holding the given JWKs (as JSON text).</summary>
    public static string Set(params string[] jwks) => "{\"keys\":[" + string.Join(",", jwks) + "]}";

    /// <summary>A JWK Set of fresh public ES256 keys with the given kids.</summary>
    public static string EcSet(params string[] kids) => Set([.. kids.Select(k => Ec(k).ToPublicJwk())]);

    public static string Without(string jwk, string member)
    {
        var node = JsonNode.Parse(jwk)!.AsObject();
        node.Remove(member);
        return node.ToJsonString();
    }

    public static string With(string jwk, string member, string value)
    {
        var node = JsonNode.Parse(jwk)!.AsObject();
        node[member] = value;
        return node.ToJsonString();
    }

    public static string Member(string jwk, string member) => JsonNode.Parse(jwk)![member]!.GetValue<string>();

    /// <summary>A 1024-bit RSA public JWK, built by hand because Tessera refuses to make one.</summary>
    public static string WeakRsaJwk(string kid)
    {
        using var rsa = RSA.Create(1024);
        var p = rsa.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["kid"] = kid,
            ["alg"] = "RS256",
            ["n"] = System.Buffers.Text.Base64Url.EncodeToString(p.Modulus),
            ["e"] = System.Buffers.Text.Base64Url.EncodeToString(p.Exponent),
        }.ToJsonString();
    }

    public static string SymmetricJwk(string kid) =>
        JsonWebKey.FromSecret(RandomNumberGenerator.GetBytes(32), JwsAlgorithm.HS256, kid).ToPrivateJwkUnsafe();
}
