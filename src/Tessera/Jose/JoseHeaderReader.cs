using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Tessera.Jose;

/// <summary>
/// Reads a JOSE header strictly: one JSON object, valid UTF-8, bounded depth and member count, no member
/// name twice at any level (compared after unescaping), <c>alg</c>, <c>kid</c> and <c>typ</c> strings.
/// </summary>
internal static class JoseHeaderReader
{
    internal const int MaxDepth = 8;
    private const int MaxMembers = 64;
    private const int NameBufferBytes = 1024;

    /// <summary>A JSON escape (<c>\u00e9</c>) spends up to 6 bytes on one UTF-16 character.</summary>
    private const int MaxEscapedBytesPerChar = 6;

    /// <summary>The longest algorithm name (7 characters) with every character escaped.</summary>
    private const int MaxEscapedAlgorithmBytes = 7 * MaxEscapedBytesPerChar;

    /// <summary>Escaped <c>typ</c> values up to this length are unescaped on the stack to match the common types.</summary>
    private const int KnownTypeBytes = 64;

    private static readonly JsonReaderOptions Options = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>Header members that carry or point at a key: never used, always refused (RFC 8725 §3.10).</summary>
    private static readonly string[] KeyCarryingMembers = ["jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256"];

    /// <summary>Parses <paramref name="json"/>; returns null on success or a detail for <see cref="FailureReason.Malformed"/>.</summary>
    public static string? Read(scoped ReadOnlySpan<byte> json, Span<char> kidBuffer, ref JoseHeader header)
    {
        if (!Utf8.IsValid(json))
        {
            return "header is not valid UTF-8";
        }

        try
        {
            return ReadObject(json, kidBuffer, ref header);
        }
        catch (JsonException)
        {
            return "header is not valid JSON or nests too deeply";
        }
        catch (InvalidOperationException)
        {
            // The reader finds an escaped lone surrogate (\uD800) only when it unescapes the string.
            return "header has a string that is not valid Unicode";
        }
    }

    private struct NameSlot
    {
        public int Start;
        public int Length;
    }

    private static string? ReadObject(scoped ReadOnlySpan<byte> json, Span<char> kidBuffer, ref JoseHeader header)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: true, new JsonReaderState(Options));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return "header is not a JSON object";
        }

        // Sized to this header, not to the limits (the runtime zeroes stack buffers): the live names never take
        // more bytes than the header, and each member takes at least 4 bytes ("":0), so these never fill first.
        Span<byte> names = stackalloc byte[Math.Min(NameBufferBytes, json.Length)];
        Span<NameSlot> slots = stackalloc NameSlot[Math.Min(MaxMembers, (json.Length / 4) + 1)];
        Span<int> objectStarts = stackalloc int[MaxDepth + 1];
        var slotCount = 0;
        var nameBytes = 0;
        var depth = 0;
        objectStarts[0] = 0;

        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    objectStarts[++depth] = slotCount;
                    break;
                case JsonTokenType.EndObject:
                    if (depth == 0)
                    {
                        return reader.Read() ? "header has content after the object" : null;
                    }

                    slotCount = objectStarts[depth--];
                    nameBytes = slotCount == 0 ? 0 : slots[slotCount - 1].Start + slots[slotCount - 1].Length;
                    break;
                case JsonTokenType.PropertyName:
                    if (slotCount == slots.Length || nameBytes + reader.ValueSpan.Length > names.Length)
                    {
                        return "header has too many members";
                    }

                    var length = reader.CopyString(names[nameBytes..]);
                    var name = names.Slice(nameBytes, length);
                    for (var i = objectStarts[depth]; i < slotCount; i++)
                    {
                        if (name.SequenceEqual(names.Slice(slots[i].Start, slots[i].Length)))
                        {
                            return "header repeats a member name";
                        }
                    }

                    slots[slotCount++] = new NameSlot { Start = nameBytes, Length = length };
                    nameBytes += length;
                    if (depth == 0)
                    {
                        var problem = ReadTopLevelMember(ref reader, name, kidBuffer, ref header);
                        if (problem is not null)
                        {
                            return problem;
                        }
                    }

                    break;
            }
        }

        return "header is not a complete JSON object";
    }

    private static string? ReadTopLevelMember(scoped ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, Span<char> kidBuffer, ref JoseHeader header)
    {
        if (name.SequenceEqual("alg"u8))
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return "header alg is not a string";
            }

            Span<byte> value = stackalloc byte[MaxEscapedAlgorithmBytes];
            header.HasAlgorithm = true;
            if (reader.ValueSpan.Length > value.Length)
            {
                return null; // longer than any supported name, even escaped: unknown
            }

            var written = reader.CopyString(value);
            header.Algorithm = FindAlgorithm(value[..written]);
            header.AlgorithmIsNone = Ascii.EqualsIgnoreCase(value[..written], "none"u8);
            return null;
        }

        if (name.SequenceEqual("kid"u8))
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return "header kid is not a string";
            }

            header.HasKid = true;
            if (reader.ValueSpan.Length > kidBuffer.Length * MaxEscapedBytesPerChar)
            {
                header.KidTooLong = true;
                return null;
            }

            // The length limit is in characters; escaped or non-ASCII, a kid within it takes more bytes than that.
            // Unescaping never lengthens a JSON string, so its escaped length is room enough.
            Span<byte> utf8 = stackalloc byte[reader.ValueSpan.Length];
            var bytes = reader.CopyString(utf8);
            if (Encoding.UTF8.GetCharCount(utf8[..bytes]) > kidBuffer.Length)
            {
                header.KidTooLong = true;
                return null;
            }

            header.KidLength = Encoding.UTF8.GetChars(utf8[..bytes], kidBuffer);
            return null;
        }

        if (name.SequenceEqual("typ"u8))
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return "header typ is not a string";
            }

            header.Type = KnownType(ref reader);
            return null;
        }

        if (name.SequenceEqual("crit"u8))
        {
            return ReadCritical(ref reader, ref header);
        }

        if (name.SequenceEqual("b64"u8))
        {
            if (!reader.Read() || (reader.TokenType != JsonTokenType.True && reader.TokenType != JsonTokenType.False))
            {
                return "header b64 is not a boolean";
            }

            if (reader.TokenType == JsonTokenType.False)
            {
                header.CriticalProblem ??= "unencoded payloads (b64: false) are not supported";
            }

            return null;
        }

        foreach (var member in KeyCarryingMembers)
        {
            if (Ascii.Equals(name, member))
            {
                header.ForbiddenMember ??= member;
                break;
            }
        }

        return null;
    }

    // No extension is understood, so any crit that is well-formed still names something we would ignore (RFC 7515 §4.1.11).
    private static string? ReadCritical(scoped ref Utf8JsonReader reader, ref JoseHeader header)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            return "header crit is not an array";
        }

        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return "header crit holds a non-string";
            }

            count++;
        }

        if (count == 0)
        {
            return "header crit is empty";
        }

        header.CriticalProblem ??= "header crit names an extension this verifier does not understand";
        return null;
    }

    // The table by index: enumerating it through IReadOnlyList would allocate an enumerator for every token.
    // Names it does not hold exactly (the Ed25519 alias, unknown names) go to the table's own lookup.
    private static JwsAlgorithm? FindAlgorithm(ReadOnlySpan<byte> name)
    {
        var all = JwsAlgorithm.All;
        for (var i = 0; i < all.Count; i++)
        {
            if (Ascii.Equals(name, all[i].Name))
            {
                return all[i];
            }
        }

        return JwsAlgorithm.Find(name);
    }

    // Common types are returned as shared strings, escaped or not (System.Text.Json writes '+' as \u002B),
    // so a typical header costs no allocation.
    private static string KnownType(ref Utf8JsonReader reader)
    {
        Span<byte> unescaped = stackalloc byte[KnownTypeBytes];
        scoped var span = reader.ValueSpan;
        if (reader.ValueIsEscaped)
        {
            if (span.Length > unescaped.Length)
            {
                return reader.GetString()!;
            }

            span = unescaped[..reader.CopyString(unescaped)];
        }

        if (span.SequenceEqual("JWT"u8))
        {
            return "JWT";
        }

        if (span.SequenceEqual("at+jwt"u8))
        {
            return "at+jwt";
        }

        if (span.SequenceEqual("service+jwt"u8))
        {
            return "service+jwt";
        }

        return reader.GetString()!;
    }
}
