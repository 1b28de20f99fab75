using System.Globalization;
using Tessera.Jose;

namespace Tessera.Cli.Lint;

/// <summary>Describes how weak a cracked secret is without revealing it: its length, its character classes and how fast it fell.</summary>
internal static class SecretStrength
{
    /// <summary>A sentence about <paramref name="cracked"/> that never contains the secret itself.</summary>
    public static string Describe(CrackedSecret cracked, JwsAlgorithm algorithm)
    {
        var needed = $"{algorithm.Name} needs at least {algorithm.MinimumKeyBits / 8} random bytes ({algorithm.MinimumKeyBits} bits)";
        if (cracked.Secret.Length == 0)
        {
            return $"The signature verifies with an empty secret: anyone can forge tokens. {needed}.";
        }

        var bytes = System.Text.Encoding.UTF8.GetByteCount(cracked.Secret);
        var bits = RandomBits(cracked.Secret);
        var found = cracked.SourceSize is { } size
            ? $"entry {cracked.Position.ToString(CultureInfo.InvariantCulture)} of {size.ToString(CultureInfo.InvariantCulture)} in {cracked.Source}"
            : $"line {cracked.Position.ToString(CultureInfo.InvariantCulture)} of {cracked.Source}";
        return $"The signature verifies with a guessable secret ({found}): {bytes} bytes, {Classes(cracked.Secret)}, " +
            $"at most {bits} bits even if chosen at random, and effectively none since it is on a list. " +
            $"Anyone can forge tokens. {needed}.";
    }

    private static string Classes(string secret)
    {
        var classes = new List<string>(4);
        if (secret.Any(char.IsAsciiLetterLower))
        {
            classes.Add("lower-case letters");
        }

        if (secret.Any(char.IsAsciiLetterUpper))
        {
            classes.Add("upper-case letters");
        }

        if (secret.Any(char.IsAsciiDigit))
        {
            classes.Add("digits");
        }

        if (secret.Any(c => !char.IsAsciiLetterOrDigit(c)))
        {
            classes.Add("symbols");
        }

        return classes.Count == 1 ? classes[0] + " only" : string.Join(", ", classes);
    }

    // Length × log2(alphabet) for the classes present: an upper bound on the strength of a secret of that shape.
    private static int RandomBits(string secret)
    {
        var alphabet = (secret.Any(char.IsAsciiLetterLower) ? 26 : 0) + (secret.Any(char.IsAsciiLetterUpper) ? 26 : 0)
            + (secret.Any(char.IsAsciiDigit) ? 10 : 0) + (secret.Any(c => !char.IsAsciiLetterOrDigit(c)) ? 33 : 0);
        return (int)Math.Floor(secret.Length * Math.Log2(Math.Max(alphabet, 2)));
    }
}
