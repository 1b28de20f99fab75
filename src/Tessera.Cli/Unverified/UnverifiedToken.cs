using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Tessera.Cli.Unverified;

/// <summary>
/// A JWS compact token decoded WITHOUT checking its signature, for <c>tessera inspect</c> and
/// <c>tessera lint</c> only. Nothing read here may be trusted or used to make an access decision; the
/// validator (<c>Tessera.Jose.JwsVerifier</c> and the token validator) never uses this type.
/// </summary>
/// <remarks>
/// Decoding is deliberately lenient so that tokens copied from logs can still be examined: a
/// <c>Bearer </c> prefix or surrounding quotes are dropped, padded or standard-alphabet base64 is read,
/// and repeated member names are tolerated. Each leniency is recorded so <c>lint</c> can report it.
/// </remarks>
internal sealed class UnverifiedToken
{
    /// <summary>Longer input is refused before any decoding.</summary>
    public const int MaxInputLength = 1024 * 1024;

    private static readonly JsonDocumentOptions Strict = new() { MaxDepth = 64, AllowDuplicateProperties = false };
    private static readonly JsonDocumentOptions Lenient = new() { MaxDepth = 64, AllowDuplicateProperties = true };

    private UnverifiedToken(string text, int secondDot)
    {
        Text = text;
        SigningInputLength = secondDot;
    }

    /// <summary>The compact token, after removing a <c>Bearer </c> prefix, quotes and surrounding whitespace.</summary>
    public string Text { get; }

    /// <summary>The length of <c>header.payload</c>, the input the signature covers.</summary>
    public int SigningInputLength { get; }

    /// <summary>The protected header: always a JSON object.</summary>
    public JsonElement Header { get; private set; }

    /// <summary>The claims, or null when the payload is not a JSON object (see <see cref="PayloadProblem"/>).</summary>
    public JsonElement? Claims { get; private set; }

    /// <summary>The decoded payload bytes.</summary>
    public byte[] Payload { get; private set; } = [];

    /// <summary>The decoded signature bytes (not verified).</summary>
    public byte[] Signature { get; private set; } = [];

    /// <summary>Why the payload is not a claims object, or null.</summary>
    public string? PayloadProblem { get; private set; }

    /// <summary>What was removed from the input before decoding (e.g. a <c>Bearer</c> prefix).</summary>
    public List<string> Adjustments { get; } = [];

    /// <summary>Segments (<c>header</c>, <c>payload</c>, <c>signature</c>) that are not canonical base64url, with why.</summary>
    public List<(string Segment, string Problem)> EncodingProblems { get; } = [];

    /// <summary>Parts (<c>header</c>, <c>payload</c>) whose JSON repeats a member name.</summary>
    public List<string> DuplicateMembers { get; } = [];

    /// <summary>The header's <c>alg</c> when it is a string.</summary>
    public string? Algorithm => HeaderString("alg");

    /// <summary>A header member's value when it is a string, else null.</summary>
    public string? HeaderString(string name) =>
        Header.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Decodes <paramref name="input"/>; on failure returns false with a sentence saying why.</summary>
    public static bool TryDecode(string input, out UnverifiedToken token, out string error)
    {
        ArgumentNullException.ThrowIfNull(input);
        token = null!;
        if (input.Length > MaxInputLength)
        {
            error = $"the input is longer than {MaxInputLength} characters; no token is that large";
            return false;
        }

        var adjustments = new List<string>();
        var text = Clean(input, adjustments);
        var parts = text.Split('.');
        if (parts.Length == 5)
        {
            error = "this is an encrypted token (JWE, five segments); its claims cannot be read without the decryption key";
            return false;
        }

        if (parts.Length != 3)
        {
            error = $"a JWT has three dot-separated segments (header.payload.signature); this has {parts.Length}";
            return false;
        }

        var result = new UnverifiedToken(text, parts[0].Length + 1 + parts[1].Length);
        result.Adjustments.AddRange(adjustments);
        if (!result.TryDecodeSegment("header", parts[0], out var headerBytes, out error)
            || !result.TryDecodeSegment("payload", parts[1], out var payloadBytes, out error)
            || !result.TryDecodeSegment("signature", parts[2], out var signatureBytes, out error))
        {
            return false;
        }

        var header = result.ParseJson("header", headerBytes);
        if (header is not { ValueKind: JsonValueKind.Object })
        {
            error = "the header is not a JSON object";
            return false;
        }

        result.Header = header.Value;
        result.Payload = payloadBytes;
        result.Signature = signatureBytes;
        var claims = result.ParseJson("payload", payloadBytes);
        if (claims is { ValueKind: JsonValueKind.Object })
        {
            result.Claims = claims;
        }
        else
        {
            result.PayloadProblem = claims is null
                ? $"the payload is not JSON ({payloadBytes.Length} bytes)"
                : $"the payload is a JSON {claims.Value.ValueKind.ToString().ToLowerInvariant()}, not an object of claims";
        }

        token = result;
        error = string.Empty;
        return true;
    }

    private static string Clean(string input, List<string> adjustments)
    {
        var text = input.Trim();
        if (text.Length > 1 && text[0] == '"' && text[^1] == '"')
        {
            text = text[1..^1].Trim();
            adjustments.Add("surrounding quotes");
        }

        if (text.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            text = text[7..].TrimStart();
            adjustments.Add("a 'Bearer' prefix");
        }

        return text;
    }

    private bool TryDecodeSegment(string name, string segment, out byte[] bytes, out string error)
    {
        bytes = [];
        error = string.Empty;
        if (Tessera.Jose.Base64Url.DecodeOrNull(segment) is { } canonical)
        {
            bytes = canonical;
            return true;
        }

        var unpadded = segment.TrimEnd('=');
        var problem = unpadded.Length != segment.Length ? "is padded with '='"
            : segment.AsSpan().IndexOfAny('+', '/') >= 0 ? "uses the standard base64 alphabet ('+' or '/')"
            : "has non-zero unused bits in its last character";
        var standard = new StringBuilder(unpadded.Length + 3).Append(unpadded).Replace('-', '+').Replace('_', '/');
        while (standard.Length % 4 != 0)
        {
            standard.Append('=');
        }

        var buffer = new byte[(standard.Length / 4) * 3];
        if (unpadded.Length % 4 == 1 || !Convert.TryFromBase64String(standard.ToString(), buffer, out var written))
        {
            error = $"the {name} segment is not base64url";
            return false;
        }

        EncodingProblems.Add((name, problem));
        bytes = buffer[..written];
        return true;
    }

    private JsonElement? ParseJson(string part, byte[] utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            return null;
        }

        try
        {
            using var strict = JsonDocument.Parse(utf8, Strict);
            return strict.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Retry below: only duplicate member names separate the two option sets.
        }

        try
        {
            using var lenient = JsonDocument.Parse(utf8, Lenient);
            DuplicateMembers.Add(part);
            return lenient.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
