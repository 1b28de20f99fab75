using System.Buffers;
using System.Buffers.Text;

namespace Tessera.Jose;

/// <summary>
/// Strict base64url (RFC 7515 §2): URL-safe alphabet only, no padding, no whitespace, and the unused
/// trailing bits of the last character must be zero, so every byte string has exactly one encoding.
/// </summary>
public static class Base64Url
{
    /// <summary>The decoded length of an encoded length, or -1 when no canonical encoding has that length.</summary>
    public static int GetDecodedLength(int encodedLength)
    {
        if (encodedLength < 0 || encodedLength % 4 == 1)
        {
            return -1;
        }

        return (int)(encodedLength * 3L / 4);
    }

    /// <summary>The encoded length (without padding) of a byte count.</summary>
    public static int GetEncodedLength(int byteCount) => (int)((byteCount * 4L + 2) / 3);

    /// <summary>True when <paramref name="encoded"/> is canonical base64url.</summary>
    public static bool IsValid(ReadOnlySpan<byte> encoded)
    {
        if (GetDecodedLength(encoded.Length) < 0 || encoded.IndexOfAnyExcept(Alphabet) >= 0)
        {
            return false;
        }

        return HasZeroTrailingBits(encoded);
    }

    /// <summary>True when <paramref name="encoded"/> is canonical base64url.</summary>
    public static bool IsValid(ReadOnlySpan<char> encoded)
    {
        if (GetDecodedLength(encoded.Length) < 0 || encoded.IndexOfAnyExcept(AlphabetChars) >= 0)
        {
            return false;
        }

        return encoded.Length % 4 == 0 || TrailingBitsZero(encoded[^1], encoded.Length % 4);
    }

    /// <summary>
    /// Decodes canonical base64url into <paramref name="destination"/>. Returns false (and writes an
    /// unspecified prefix) for anything non-canonical or when the destination is too small.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, Span<byte> destination, out int written)
    {
        written = 0;
        var decodedLength = GetDecodedLength(encoded.Length);
        if (decodedLength < 0 || decodedLength > destination.Length)
        {
            return false;
        }

        // The BCL decoder tolerates padding and whitespace; the alphabet scan rules both out first.
        if (encoded.IndexOfAnyExcept(Alphabet) >= 0 || !HasZeroTrailingBits(encoded))
        {
            return false;
        }

        var status = Base64UrlDecoder(encoded, destination, out written);
        return status && written == decodedLength;
    }

    /// <summary>Decodes canonical base64url text into a new array, or null when it is not canonical.</summary>
    public static byte[]? DecodeOrNull(string? encoded)
    {
        if (encoded is null || !IsValid(encoded.AsSpan()))
        {
            return null;
        }

        var result = new byte[GetDecodedLength(encoded.Length)];
        return System.Buffers.Text.Base64Url.TryDecodeFromChars(encoded, result, out var written) && written == result.Length
            ? result
            : null;
    }

    /// <summary>Encodes bytes as base64url text without padding.</summary>
    public static string Encode(ReadOnlySpan<byte> data) => System.Buffers.Text.Base64Url.EncodeToString(data);

    /// <summary>Encodes bytes as base64url UTF-8 into <paramref name="destination"/>.</summary>
    public static int Encode(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var status = System.Buffers.Text.Base64Url.EncodeToUtf8(data, destination, out _, out var written);
        return status == OperationStatus.Done ? written : throw new ArgumentException("Destination too small.", nameof(destination));
    }

    private static bool Base64UrlDecoder(ReadOnlySpan<byte> encoded, Span<byte> destination, out int written)
    {
        var status = System.Buffers.Text.Base64Url.DecodeFromUtf8(encoded, destination, out var consumed, out written);
        return status == OperationStatus.Done && consumed == encoded.Length;
    }

    private static bool HasZeroTrailingBits(ReadOnlySpan<byte> encoded)
    {
        var remainder = encoded.Length % 4;
        return remainder == 0 || TrailingBitsZero((char)encoded[^1], remainder);
    }

    // With 2 characters left over the last one carries 4 unused bits; with 3, it carries 2.
    private static bool TrailingBitsZero(char last, int remainder)
    {
        var value = SextetOf(last);
        var mask = remainder == 2 ? 0b1111 : 0b11;
        return (value & mask) == 0;
    }

    private static int SextetOf(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        _ => 63,
    };

    private static readonly SearchValues<byte> Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"u8);

    private static readonly SearchValues<char> AlphabetChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
}
