using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Tessera.Cli.Output;
using Tessera.Tokens;

namespace Tessera.Cli.Unverified;

/// <summary>
/// What <c>tessera inspect</c> shows of an <see cref="UnverifiedToken"/>: the header and claims (credential-like
/// values hidden unless asked), the times as dates and relative to now, the signature's size, and warnings.
/// </summary>
internal sealed class TokenView
{
    private const string Banner = "UNVERIFIED TOKEN: decoded without checking the signature. Do not trust its contents.";

    private readonly UnverifiedToken _token;
    private readonly DateTimeOffset _now;
    private readonly bool _showSecrets;
    private readonly List<(string Claim, string Category)> _sensitive = [];

    public TokenView(UnverifiedToken token, DateTimeOffset now, bool showSecrets)
    {
        _token = token;
        _now = now;
        _showSecrets = showSecrets;
        if (token.Claims is { } claims)
        {
            foreach (var claim in claims.EnumerateObject())
            {
                if (PersonalDataDetector.Classify(claim.Name, claim.Value) is { } category)
                {
                    _sensitive.Add((claim.Name, category));
                }
            }
        }
    }

    /// <summary>Sentences warning about what the token reveals or how it is built.</summary>
    public IReadOnlyList<string> Warnings()
    {
        var warnings = new List<string>();
        var personal = _sensitive.Where(s => !PersonalDataDetector.IsCredential(s.Category)).ToList();
        if (personal.Count > 0)
        {
            warnings.Add("The payload holds personal data, readable by anyone who holds the token: " +
                string.Join(", ", personal.Select(p => $"{p.Claim} ({PersonalDataDetector.Describe(p.Category)})")) + ".");
        }

        foreach (var (claim, category) in _sensitive.Where(s => PersonalDataDetector.IsCredential(s.Category)))
        {
            warnings.Add($"Claim '{claim}' looks like {PersonalDataDetector.Describe(category)}" + (_showSecrets ? "." : "; its value is hidden (--show-secret shows it)."));
        }

        if (_token.Algorithm is { } alg && alg.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            warnings.Add("alg is none: the token is unsigned and anyone can have written it.");
        }

        foreach (var member in new[] { "jwk", "jku", "x5u", "x5c" }.Where(m => _token.Header.TryGetProperty(m, out _)))
        {
            warnings.Add($"The header carries {member}; it was not followed or used (keys come from configuration only).");
        }

        if (_token.PayloadProblem is { } problem)
        {
            warnings.Add(char.ToUpperInvariant(problem[0]) + problem[1..] + ".");
        }

        warnings.Add("Run 'tessera lint' for a full check, and 'tessera verify --keys …' to verify the signature.");
        return warnings;
    }

    public string ToText(bool colour)
    {
        var text = new StringBuilder();
        text.Append(Terminal.Paint(Banner, Terminal.Red, colour)).Append('\n');
        if (_token.Adjustments.Count > 0)
        {
            text.Append("Removed ").Append(string.Join(" and ", _token.Adjustments)).Append(" before decoding.\n");
        }

        text.Append('\n').Append(Terminal.Paint("Header", Terminal.Bold, colour)).Append('\n');
        text.Append(Indent(Pretty(_token.Header, hide: false))).Append('\n');
        text.Append('\n').Append(Terminal.Paint("Claims", Terminal.Bold, colour)).Append('\n');
        text.Append(_token.Claims is { } claims ? Indent(Pretty(claims, hide: !_showSecrets)) : "  (" + _token.PayloadProblem + ")").Append('\n');

        var times = Times();
        if (times.Count > 0)
        {
            text.Append('\n').Append(Terminal.Paint($"Times (now {Durations.Date(_now)})", Terminal.Bold, colour)).Append('\n');
            foreach (var (name, value, description) in times)
            {
                text.Append(("  " + name.PadRight(9) + value.PadRight(22) + description).TrimEnd()).Append('\n');
            }
        }

        text.Append('\n').Append(Terminal.Paint("Signature", Terminal.Bold, colour)).Append('\n');
        text.Append("  ").Append(SignatureLine()).Append('\n');
        text.Append('\n').Append(Terminal.Paint("Warnings", Terminal.Bold, colour)).Append('\n');
        foreach (var warning in Warnings())
        {
            text.Append("  ").Append(Terminal.Paint("!", Terminal.Yellow, colour)).Append(' ').Append(warning).Append('\n');
        }

        return text.ToString();
    }

    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var w = new Utf8JsonWriter(buffer, JsonReport.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteBoolean("unverified", true);
            w.WritePropertyName("header");
            _token.Header.WriteTo(w);
            w.WritePropertyName("claims");
            if (_token.Claims is { } claims)
            {
                WriteClaims(w, claims, hide: !_showSecrets);
            }
            else
            {
                w.WriteNullValue();
                w.WriteString("payloadProblem", _token.PayloadProblem);
            }

            w.WriteStartObject("times");
            w.WriteString("now", Durations.Date(_now));
            foreach (var name in TimeClaim.Names)
            {
                if (_token.Claims is { } c && TimeClaim.Read(c, name) is { } time)
                {
                    w.WriteStartObject(name);
                    if (time.Time is { } at)
                    {
                        w.WriteString("date", Durations.Date(at));
                        w.WriteString("relative", Durations.Relative(at, _now));
                    }
                    else
                    {
                        w.WriteString("problem", time.Problem);
                    }

                    w.WriteEndObject();
                }
            }

            w.WriteEndObject();
            w.WriteStartObject("signature");
            w.WriteNumber("bytes", _token.Signature.Length);
            w.WriteBoolean("verified", false);
            w.WriteEndObject();
            w.WriteStartArray("sensitiveClaims");
            foreach (var (claim, category) in _sensitive)
            {
                w.WriteStartObject();
                w.WriteString("claim", claim);
                w.WriteString("category", category);
                w.WriteBoolean("credential", PersonalDataDetector.IsCredential(category));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("warnings");
            foreach (var warning in Warnings())
            {
                w.WriteStringValue(warning);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    private List<(string Name, string Value, string Description)> Times()
    {
        var rows = new List<(string, string, string)>();
        if (_token.Claims is not { } claims)
        {
            return rows;
        }

        var read = TimeClaim.Names.Select(n => TimeClaim.Read(claims, n)).Where(t => t is not null).Select(t => t!.Value).ToList();
        foreach (var time in read)
        {
            if (time.Time is { } at)
            {
                var relative = Durations.Relative(at, _now);
                var suffix = time.Name == "exp" && at <= _now ? $"{relative} (expired)"
                    : time.Name == "nbf" && at > _now ? $"{relative} (not yet valid)"
                    : relative;
                rows.Add((time.Name, Durations.Date(at), suffix));
            }
            else
            {
                rows.Add((time.Name, "?", time.Problem!));
            }
        }

        var start = read.FirstOrDefault(t => t.Name == "iat").Time ?? read.FirstOrDefault(t => t.Name == "nbf").Time;
        if (start is { } s && read.FirstOrDefault(t => t.Name == "exp").Time is { } e && e > s)
        {
            rows.Add(("lifetime", Durations.Span(e - s), string.Empty));
        }

        return rows;
    }

    private string SignatureLine()
    {
        var alg = _token.HeaderString("alg") ?? "(no alg)";
        var bytes = _token.Signature.Length.ToString(CultureInfo.InvariantCulture);
        return $"{alg}, {bytes} bytes, NOT verified. To verify: tessera verify --keys FILE …";
    }

    private static string Pretty(JsonElement element, bool hide)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, JsonReport.WriterOptions))
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                WriteClaims(w, element, hide);
            }
            else
            {
                element.WriteTo(w);
            }
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // Claims as they are, except that credential-like values are replaced by a placeholder that says what was hidden.
    private static void WriteClaims(Utf8JsonWriter w, JsonElement claims, bool hide)
    {
        w.WriteStartObject();
        foreach (var claim in claims.EnumerateObject())
        {
            if (hide && PersonalDataDetector.Classify(claim.Name, claim.Value) is { } category && PersonalDataDetector.IsCredential(category))
            {
                w.WriteString(claim.Name, $"<hidden: looks like {PersonalDataDetector.Describe(category)}>");
            }
            else
            {
                claim.WriteTo(w);
            }
        }

        w.WriteEndObject();
    }

    private static string Indent(string text) => "  " + text.Replace("\n", "\n  ", StringComparison.Ordinal);
}
