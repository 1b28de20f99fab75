using System.Text;
using System.Text.Json;

namespace Tessera.Tokens;

/// <summary>Where a string claim's value sits in the payload bytes (without quotes), read lazily.</summary>
internal readonly record struct ClaimSegment(int Start, int Length, bool Escaped)
{
    public bool IsPresent => Start > 0;

    public string? ToString(byte[] payload)
    {
        if (!IsPresent)
        {
            return null;
        }

        if (!Escaped)
        {
            return Encoding.UTF8.GetString(payload, Start, Length);
        }

        // The quoted text is a complete JSON string on its own; let the reader unescape it.
        var reader = new Utf8JsonReader(payload.AsSpan(Start - 1, Length + 2));
        reader.Read();
        return reader.GetString();
    }

    /// <summary>Copies the unescaped value as UTF-16 into <paramref name="destination"/>; returns the characters written or -1 when it does not fit.</summary>
    public int CopyChars(byte[] payload, Span<char> destination)
    {
        if (!IsPresent)
        {
            return 0;
        }

        if (!Escaped)
        {
            var bytes = payload.AsSpan(Start, Length);
            return Encoding.UTF8.GetCharCount(bytes) <= destination.Length ? Encoding.UTF8.GetChars(bytes, destination) : -1;
        }

        var value = ToString(payload)!;
        if (value.Length > destination.Length)
        {
            return -1;
        }

        value.CopyTo(destination);
        return value.Length;
    }

    /// <summary>The unescaped UTF-8 bytes, copied into <paramref name="destination"/> when escaped; -1 when it does not fit.</summary>
    public int CopyUtf8(byte[] payload, Span<byte> destination)
    {
        if (!Escaped)
        {
            if (Length > destination.Length)
            {
                return -1;
            }

            payload.AsSpan(Start, Length).CopyTo(destination);
            return Length;
        }

        var reader = new Utf8JsonReader(payload.AsSpan(Start - 1, Length + 2));
        reader.Read();
        return Length <= destination.Length ? reader.CopyString(destination) : -1;
    }
}
