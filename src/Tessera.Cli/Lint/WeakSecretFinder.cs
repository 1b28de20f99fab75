using System.Security.Cryptography;
using System.Text;
using Tessera.Cli.CommandLine;
using Tessera.Cli.Unverified;
using Tessera.Jose;

namespace Tessera.Cli.Lint;

/// <summary>A secret that verifies an HMAC token's signature, and where it was found. Never print <see cref="Secret"/> unless asked.</summary>
/// <param name="Secret">The secret itself.</param>
/// <param name="Source">Where it came from: "the bundled list of common secrets" or "the wordlist PATH".</param>
/// <param name="Position">Its 1-based position in that source, i.e. how many guesses found it.</param>
/// <param name="SourceSize">How many candidates the source holds (known for the bundled list only).</param>
internal sealed record CrackedSecret(string Secret, string Source, long Position, long? SourceSize);

/// <summary>
/// Tries an HMAC-signed token's signature against the empty secret, the bundled list of common and
/// default secrets (an embedded resource, <c>weak-secrets.txt</c>) and an optional wordlist. Entirely
/// local: nothing is sent anywhere.
/// </summary>
internal static class WeakSecretFinder
{
    private const string ResourceName = "Tessera.Cli.Lint.weak-secrets.txt";
    private const int MaxCandidateLength = 4096;

    private static readonly Lazy<string[]> Bundled = new(LoadBundled);

    /// <summary>The bundled secrets in file order.</summary>
    public static IReadOnlyList<string> BundledSecrets => Bundled.Value;

    /// <summary>The secret that produced the token's signature, or null; <paramref name="tried"/> counts the candidates.</summary>
    public static CrackedSecret? Find(UnverifiedToken token, JwsAlgorithm algorithm, string? wordlistPath, out long tried)
    {
        tried = 0;
        if (!algorithm.IsSymmetric || token.Signature.Length != algorithm.SignatureSize)
        {
            return null;
        }

        var signingInput = Encoding.ASCII.GetBytes(token.Text[..token.SigningInputLength]);
        Span<byte> mac = stackalloc byte[64];

        tried++;
        if (Matches(algorithm, [], signingInput, token.Signature, mac))
        {
            return new CrackedSecret(string.Empty, "the empty secret", 1, 1);
        }

        var bundled = Bundled.Value;
        for (var i = 0; i < bundled.Length; i++)
        {
            tried++;
            if (Matches(algorithm, Encoding.UTF8.GetBytes(bundled[i]), signingInput, token.Signature, mac))
            {
                return new CrackedSecret(bundled[i], "the bundled list of common secrets", i + 1, bundled.Length);
            }
        }

        return wordlistPath is null ? null : FindInWordlist(wordlistPath, algorithm, signingInput, token.Signature, ref tried);
    }

    private static CrackedSecret? FindInWordlist(string path, JwsAlgorithm algorithm, byte[] signingInput, byte[] signature, ref long tried)
    {
        Span<byte> mac = stackalloc byte[64];
        long line = 0;
        try
        {
            foreach (var candidate in File.ReadLines(path, Encoding.UTF8))
            {
                line++;
                if (candidate.Length > MaxCandidateLength)
                {
                    continue;
                }

                tried++;
                if (Matches(algorithm, Encoding.UTF8.GetBytes(candidate), signingInput, signature, mac))
                {
                    return new CrackedSecret(candidate, $"the wordlist {path}", line, null);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"Cannot read --wordlist '{path}': {e.Message}");
        }

        return null;
    }

    private static bool Matches(JwsAlgorithm algorithm, byte[] key, byte[] data, byte[] signature, Span<byte> mac)
    {
        int written;
        if (algorithm.Hash == HashAlgorithmName.SHA256)
        {
            written = HMACSHA256.HashData(key, data, mac);
        }
        else if (algorithm.Hash == HashAlgorithmName.SHA384)
        {
            written = HMACSHA384.HashData(key, data, mac);
        }
        else
        {
            written = HMACSHA512.HashData(key, data, mac);
        }

        return CryptographicOperations.FixedTimeEquals(mac[..written], signature);
    }

    private static string[] LoadBundled()
    {
        using var stream = typeof(WeakSecretFinder).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var secrets = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                secrets.Add(line);
            }
        }

        return [.. secrets];
    }
}
