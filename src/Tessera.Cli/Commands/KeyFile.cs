using Tessera.Cli.CommandLine;
using Tessera.Jose;
using Tessera.Keys;

namespace Tessera.Cli.Commands;

/// <summary>Loads the key file of <c>--keys</c>: a JWK Set, a single JWK, or a PEM key.</summary>
internal static class KeyFile
{
    /// <summary>
    /// Without --alg, a key that does not name its algorithm is bound to its family's usual one
    /// (RS256 for RSA, HS256 for oct; EC and Ed25519 keys have only one). The binding is fixed at load;
    /// a token never chooses it.
    /// </summary>
    private static readonly JwsAlgorithm[] FamilyDefaults =
        [JwsAlgorithm.RS256, JwsAlgorithm.HS256, JwsAlgorithm.ES256, JwsAlgorithm.ES384, JwsAlgorithm.ES512, JwsAlgorithm.EdDSA];

    public static JsonWebKeySet Load(string path, IReadOnlyCollection<JwsAlgorithm>? algorithms)
    {
        var binding = algorithms ?? FamilyDefaults;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"Cannot read key file '{path}': {e.Message}");
        }

        try
        {
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                var key = PemKeyReaderFor(text, binding);
                return JsonWebKeySet.Create([key.HasPrivateKey && !key.IsSymmetric ? key.ToPublicKey() : key]);
            }

            return JsonWebKeySet.Parse(text, binding);
        }
        catch (KeyRejectedException e)
        {
            throw new UsageException($"Unusable key file '{path}': {e.Message}");
        }
    }

    private static JsonWebKey PemKeyReaderFor(string pem, IReadOnlyCollection<JwsAlgorithm> algorithms) =>
        PemKeyReader.Read(pem, algorithms, kid: null);

    /// <summary>Parses <c>--alg</c> values; unknown names are usage errors.</summary>
    public static IReadOnlyCollection<JwsAlgorithm>? Algorithms(IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            return null;
        }

        return names.Select(n => JwsAlgorithm.TryGet(n, out var a)
            ? a
            : throw new UsageException($"Unsupported --alg '{n}'. Use one of: {string.Join(", ", JwsAlgorithm.All)}.")).Distinct().ToArray();
    }
}
