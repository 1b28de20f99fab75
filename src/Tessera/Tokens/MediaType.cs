namespace Tessera.Tokens;

/// <summary>
/// <c>typ</c> comparison as RFC 7515 §4.1.9 says: media types compare case-insensitively, and the
/// <c>application/</c> prefix may be left out.
/// </summary>
internal static class MediaType
{
    private const string ApplicationPrefix = "application/";

    public static bool Matches(string? actual, string expected)
    {
        if (actual is null)
        {
            return false;
        }

        return Short(actual).Equals(Short(expected), StringComparison.OrdinalIgnoreCase);
    }

    private static ReadOnlySpan<char> Short(string type) =>
        type.StartsWith(ApplicationPrefix, StringComparison.OrdinalIgnoreCase) && type.IndexOf('/', ApplicationPrefix.Length) < 0
            ? type.AsSpan(ApplicationPrefix.Length)
            : type.AsSpan();
}
