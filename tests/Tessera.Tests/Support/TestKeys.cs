using System.Collections.Concurrent;
using Tessera.Jose;
using Tessera.Keys;

namespace Tessera.Tests.Support;

/// <summary>One generated private key per algorithm, shared by the tests (RSA generation is slow).</summary>
internal static class TestKeys
{
    private static readonly ConcurrentDictionary<string, Lazy<JsonWebKey>> Keys = new(StringComparer.Ordinal);

    /// <summary>Every algorithm name in the table, as theory data.</summary>
    public static TheoryData<string> AlgorithmNames() => new(JwsAlgorithm.All.Select(a => a.Name));

    /// <summary>The shared private key for <paramref name="algorithm"/>, with kid <c>test-{alg}</c>.</summary>
    public static JsonWebKey For(JwsAlgorithm algorithm) => For(algorithm, "test-" + algorithm.Name);

    /// <summary>A shared private key for <paramref name="algorithm"/> with the given kid (same kid, same key).</summary>
    public static JsonWebKey For(JwsAlgorithm algorithm, string kid) =>
        Keys.GetOrAdd(algorithm.Name + "/" + kid, _ => new Lazy<JsonWebKey>(() => JsonWebKey.Generate(algorithm, kid))).Value;

    /// <summary>A verifier that holds only the public half (or the secret) of <paramref name="key"/>.</summary>
    public static JwsVerifier VerifierFor(JsonWebKey key, int maxTokenLength = JwsVerifier.DefaultMaxTokenLength) =>
        new(JsonWebKeySet.Create([key.IsSymmetric ? key : key.ToPublicKey()]), maxTokenLength: maxTokenLength);
}
