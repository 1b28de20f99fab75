using System.Text.Json;
using Tessera.Jose;
using Tessera.Keys;

namespace Tessera.AspNetCore.Jwks;

/// <summary>A key left out of a fetched set, and why. Neither part carries key material.</summary>
internal readonly record struct SkippedKey(string Key, string Reason);

/// <summary>
/// Turns a fetched JWK Set into a <see cref="JsonWebKeySet"/> under the validator's policy. The whole set is refused
/// when it shows that the issuer is misconfigured (private or symmetric keys, repeated <c>kid</c>s, a weak or invalid
/// key for an allowed algorithm); a key this validator cannot use (another <c>use</c>, an algorithm it does not allow,
/// no <c>alg</c> and not exactly one allowed algorithm that fits) is left out and reported.
/// </summary>
internal static class JwksDocumentReader
{
    /// <summary>The most keys a fetched set may hold.</summary>
    internal const int MaxKeys = 100;

    private const int MaxLabelLength = 80;

    // Members only a private or symmetric JWK carries (RFC 7518 §6.2.2, §6.3.2, §6.4).
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    private static readonly JsonDocumentOptions StrictOptions = new()
    {
        MaxDepth = 16,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    /// <summary>Parses strict JSON: no comments, no trailing commas, no repeated member names.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, string what)
    {
        try
        {
            return JsonDocument.Parse(utf8, StrictOptions);
        }
        catch (JsonException e)
        {
            throw new JwksFetchException(
                JwksFailure.Malformed,
                $"The {what} is not valid JSON (or repeats a member name) near line {e.LineNumber + 1}, byte {e.BytePositionInLine}.");
        }
    }

    public static JsonWebKeySet Read(ReadOnlyMemory<byte> utf8, IReadOnlyCollection<JwsAlgorithm> allowed, List<SkippedKey> skipped)
    {
        using var document = Parse(utf8, "JWK Set");
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            throw new JwksFetchException(JwksFailure.Malformed, "The response is not a JWK Set: expected a JSON object with a \"keys\" array.");
        }

        if (keys.GetArrayLength() > MaxKeys)
        {
            throw new JwksFetchException(JwksFailure.TooLarge, $"The JWK Set holds {keys.GetArrayLength()} keys; at most {MaxKeys} are accepted.");
        }

        CheckWholeSet(keys);

        var loaded = new List<JsonWebKey>();
        var index = 0;
        foreach (var jwk in keys.EnumerateArray())
        {
            var label = Label(jwk, index++);
            var algorithm = Choose(jwk, label, allowed, out var reason);
            if (algorithm is null)
            {
                skipped.Add(new SkippedKey(label, reason!));
                continue;
            }

            try
            {
                loaded.Add(JsonWebKey.FromJwk(jwk, algorithm));
            }
            catch (KeyRejectedException e)
            {
                throw new JwksFetchException(JwksFailure.KeyRejected, $"{label} was refused: {e.Message}", e);
            }
        }

        if (loaded.Count == 0)
        {
            throw new JwksFetchException(
                JwksFailure.NoUsableKey,
                $"No key in the JWK Set can verify the allowed algorithms ({string.Join(", ", allowed)}); {skipped.Count} key(s) were left out.");
        }

        try
        {
            return JsonWebKeySet.Create(loaded);
        }
        catch (KeyRejectedException e)
        {
            // Only repeated kids are left to fail here: a key without kid whose thumbprint another key already uses.
            throw new JwksFetchException(JwksFailure.DuplicateKid, e.Message, e);
        }
    }

    /// <summary>Refuses the whole set when any key in it leaks a secret or repeats a kid, whatever its algorithm.</summary>
    private static void CheckWholeSet(JsonElement keys)
    {
        var kids = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var jwk in keys.EnumerateArray())
        {
            if (jwk.ValueKind != JsonValueKind.Object)
            {
                throw new JwksFetchException(JwksFailure.Malformed, $"Key #{index} of the JWK Set is not a JSON object.");
            }

            var label = Label(jwk, index++);
            if (String(jwk, "kty", label) == "oct")
            {
                throw new JwksFetchException(
                    JwksFailure.SymmetricKey,
                    $"{label} is a symmetric (oct) key. A published JWK Set must hold public keys only; the issuer must treat that secret as exposed.");
            }

            foreach (var member in PrivateMembers)
            {
                if (jwk.TryGetProperty(member, out _))
                {
                    throw new JwksFetchException(
                        JwksFailure.PrivateKey,
                        $"{label} carries the private member \"{member}\". The issuer published a private key; it must be treated as compromised and replaced.");
                }
            }

            var kid = String(jwk, "kid", label);
            if (kid is not null && !kids.Add(kid))
            {
                throw new JwksFetchException(JwksFailure.DuplicateKid, $"The JWK Set repeats kid '{Truncate(kid)}'. Every key must have its own kid.");
            }
        }
    }

    /// <summary>The algorithm to bind the key to, or null (with the reason) when this validator cannot use the key.</summary>
    private static JwsAlgorithm? Choose(JsonElement jwk, string label, IReadOnlyCollection<JwsAlgorithm> allowed, out string? reason)
    {
        reason = null;
        var use = String(jwk, "use", label);
        if (use is not null && use != "sig")
        {
            reason = $"use is '{Truncate(use)}', not \"sig\"";
            return null;
        }

        var kty = String(jwk, "kty", label)
            ?? throw new JwksFetchException(JwksFailure.Malformed, $"{label} has no \"kty\".");
        KeyType? keyType = kty switch
        {
            "RSA" => KeyType.Rsa,
            "EC" => KeyType.EC,
            "OKP" => KeyType.Okp,
            _ => null,
        };
        if (keyType is null)
        {
            reason = $"key type '{Truncate(kty)}' is not supported";
            return null;
        }

        var alg = String(jwk, "alg", label);
        if (alg is not null)
        {
            if (!JwsAlgorithm.TryGet(alg, out var declared))
            {
                reason = $"alg '{Truncate(alg)}' is not a supported signature algorithm";
                return null;
            }

            if (!allowed.Contains(declared))
            {
                reason = $"alg {declared.Name} is not in AllowedAlgorithms";
                return null;
            }

            return declared;
        }

        var curve = String(jwk, "crv", label);
        var candidates = allowed.Where(a => a.KeyType == keyType && a.Curve == curve).Distinct().ToList();
        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        var shape = curve is null ? kty : $"{kty} {Truncate(curve)}";
        reason = candidates.Count == 0
            ? $"it has no alg and no allowed algorithm fits a {shape} key"
            : $"it has no alg and fits several allowed algorithms ({string.Join(", ", candidates)}); the issuer should add alg, or allow only one of them";
        return null;
    }

    private static string? String(JsonElement jwk, string name, string label)
    {
        if (!jwk.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new JwksFetchException(JwksFailure.Malformed, $"{label} has a \"{name}\" that is not a string.");
    }

    private static string Label(JsonElement jwk, int index) =>
        jwk.ValueKind == JsonValueKind.Object && jwk.TryGetProperty("kid", out var kid) && kid.ValueKind == JsonValueKind.String
            ? $"Key '{Truncate(kid.GetString()!)}'"
            : $"Key #{index}";

    private static string Truncate(string value) => value.Length <= MaxLabelLength ? value : string.Concat(value.AsSpan(0, MaxLabelLength), "…");
}
