using System.Text.Json;
using Tessera.Jose;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Bearer;

/// <summary>
/// What the logs and the failure-signal analyser may learn from a rejected token: the header's <c>kid</c> and
/// <c>alg</c> (sanitised: printable ASCII, bounded, known algorithm names only), and — only when the signature
/// verified, so they are the issuer's words — the <c>client_id</c> and the times. Never the subject, never the token.
/// </summary>
internal readonly record struct RejectedTokenFacts(string? Kid, string? Algorithm, string? ClientId, DateTimeOffset? IssuedAt, DateTimeOffset? NotBefore, DateTimeOffset? ExpiresAt)
{
    private const int MaxHeaderChars = 2048;
    private const int MaxLoggedKid = 64;
    private const int MaxClientId = 128;

    public static RejectedTokenFacts Of(string token, TokenValidationResult result)
    {
        if (result.Kid is not null)
        {
            // The signature verified: key and algorithm are ours, and the payload is the issuer's.
            var claims = result.UnsafeClaimsOfRejectedToken;
            return claims is not null
                ? new(result.Kid, result.Algorithm?.Name, Bounded(claims.ClientId), claims.IssuedAt, claims.NotBefore, claims.ExpiresAt)
                : FromPayload(token, result.Kid, result.Algorithm?.Name);
        }

        var (kid, algorithm) = ReadHeader(token);
        return new(kid, algorithm, null, null, null, null);
    }

    /// <summary>The header's <c>kid</c> and <c>alg</c>, without trusting anything else in it.</summary>
    public static (string? Kid, string? Algorithm) ReadHeader(string token)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot is <= 0 or > MaxHeaderChars || Base64Url.DecodeOrNull(token[..dot]) is not { } json)
        {
            return (null, null);
        }

        string? kid = null, algorithm = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, null);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueTextEquals("kid"u8) ? "kid" : reader.ValueTextEquals("alg"u8) ? "alg" : null;
                reader.Read();
                if (name is not null && reader.TokenType == JsonTokenType.String)
                {
                    var value = reader.GetString()!;
                    if (name == "kid")
                    {
                        kid = Printable(value, MaxLoggedKid);
                    }
                    else
                    {
                        algorithm = value.Equals("none", StringComparison.OrdinalIgnoreCase) ? "none" : JwsAlgorithm.TryGet(value, out var known) ? known.Name : "unknown";
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
        }
        catch (InvalidOperationException)
        {
        }

        return (kid, algorithm);
    }

    private static RejectedTokenFacts FromPayload(string token, string kid, string? algorithm)
    {
        var first = token.IndexOf('.', StringComparison.Ordinal);
        var second = first < 0 ? -1 : token.IndexOf('.', first + 1);
        if (second < 0 || Base64Url.DecodeOrNull(token[(first + 1)..second]) is not { } json)
        {
            return new(kid, algorithm, null, null, null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new(kid, algorithm, null, null, null, null);
            }

            var clientId = root.TryGetProperty("client_id", out var c) && c.ValueKind == JsonValueKind.String ? Bounded(c.GetString()) : null;
            return new(kid, algorithm, clientId, Time(root, "iat"), Time(root, "nbf"), Time(root, "exp"));
        }
        catch (JsonException)
        {
            return new(kid, algorithm, null, null, null, null);
        }
    }

    private static DateTimeOffset? Time(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds)
            && seconds is > 0 and < 253_402_300_800
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : null;

    private static string? Bounded(string? clientId) => clientId is { Length: > 0 and <= MaxClientId } ? Printable(clientId, MaxClientId) : null;

    private static string Printable(string value, int max)
    {
        var span = value.AsSpan(0, Math.Min(value.Length, max));
        var clean = span.ContainsAnyExceptInRange(' ', '~') ? string.Concat(span.ToArray().Select(ch => ch is >= ' ' and <= '~' ? ch : '?')) : span.ToString();
        return value.Length > max ? clean + "…" : clean;
    }
}
