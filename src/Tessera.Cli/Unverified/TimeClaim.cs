using System.Globalization;
using System.Text.Json;

namespace Tessera.Cli.Unverified;

/// <summary>One of <c>exp</c>, <c>nbf</c>, <c>iat</c> read as an RFC 7519 NumericDate, or why it cannot be.</summary>
/// <param name="Name">The claim name.</param>
/// <param name="Time">The instant, when the value is a usable NumericDate.</param>
/// <param name="Problem">Why the value is not a NumericDate in seconds, or null.</param>
internal readonly record struct TimeClaim(string Name, DateTimeOffset? Time, string? Problem)
{
    /// <summary>The registered time claims, in the order tools show them.</summary>
    public static readonly string[] Names = ["iat", "nbf", "exp"];

    // 100,000,000,000 seconds is the year 5138: a larger value is almost always milliseconds.
    private const double MillisecondsThreshold = 1e11;

    /// <summary>Reads <paramref name="name"/> from <paramref name="claims"/>; null when the claim is absent.</summary>
    public static TimeClaim? Read(JsonElement claims, string name)
    {
        if (!claims.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            var kind = value.ValueKind.ToString().ToLowerInvariant();
            return new TimeClaim(name, null, $"{name} is a JSON {kind}, not a number of seconds");
        }

        var seconds = value.GetDouble();
        if (seconds < 0)
        {
            return new TimeClaim(name, null, $"{name} is negative ({value.GetRawText()})");
        }

        if (seconds >= MillisecondsThreshold)
        {
            var asMilliseconds = seconds / 1000 < 253402300799
                ? " (as milliseconds it would be " + DateTimeOffset.FromUnixTimeMilliseconds((long)seconds).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) + ")"
                : string.Empty;
            return new TimeClaim(name, null, $"{name} ({value.GetRawText()}) looks like milliseconds, not seconds{asMilliseconds}");
        }

        return new TimeClaim(name, DateTimeOffset.FromUnixTimeSeconds((long)Math.Floor(seconds)), null);
    }
}
