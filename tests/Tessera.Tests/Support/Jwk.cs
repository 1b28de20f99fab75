using System.Text.Json.Nodes;
using Tessera.Jose;

namespace Tessera.Tests.Support;

/// <summary>Edits JWK JSON text: the usual way to build a key that is wrong in exactly one way.</summary>
internal static class Jwk
{
    /// <summary>The private JWK of the shared test key for <paramref name="alg"/>, without <c>kid</c>.</summary>
    public static JsonObject Private(string alg) => Without(TestKeys.For(JwsAlgorithm.Get(alg)).ToPrivateJwkUnsafe(), "kid");

    /// <summary>The public JWK of the shared test key for <paramref name="alg"/>, without <c>kid</c>.</summary>
    public static JsonObject Public(string alg) => Without(TestKeys.For(JwsAlgorithm.Get(alg)).ToPublicJwk(), "kid");

    public static JsonObject Without(string json, params string[] members) => Without(JsonNode.Parse(json)!.AsObject(), members);

    public static JsonObject Without(this JsonObject jwk, params string[] members)
    {
        var copy = jwk.DeepClone().AsObject();
        foreach (var member in members)
        {
            copy.Remove(member);
        }

        return copy;
    }

    public static JsonObject With(this JsonObject jwk, string member, JsonNode? value)
    {
        var copy = jwk.DeepClone().AsObject();
        copy[member] = value;
        return copy;
    }

    public static JsonObject With(this JsonObject jwk, string member, byte[] value) => jwk.With(member, Base64Url.Encode(value));

    public static byte[] Bytes(this JsonObject jwk, string member) => Base64Url.DecodeOrNull((string)jwk[member]!)!;
}
