using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Jose;

namespace Tessera.Keys;

/// <summary>Reads RFC 7517 JWKs, checking that <c>kty</c>, <c>crv</c>, <c>alg</c>, <c>use</c> and <c>key_ops</c> agree.</summary>
internal static class JwkReader
{
    /// <summary>Bounds for configuration JSON: a JWK Set of a few hundred keys at most.</summary>
    internal const int MaxDocumentBytes = 1024 * 1024;

    private static readonly JsonDocumentOptions StrictOptions = new()
    {
        MaxDepth = 16,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    public static JsonDocument ParseDocument(string json)
    {
        if (json.Length > MaxDocumentBytes)
        {
            throw new KeyRejectedException($"The key document is larger than {MaxDocumentBytes} bytes.");
        }

        try
        {
            return JsonDocument.Parse(json, StrictOptions);
        }
        catch (JsonException e)
        {
            throw new KeyRejectedException($"The key document is not valid JSON (or repeats a member name): {e.Message}", e);
        }
    }

    /// <summary>True when the JWK has any member that only a private or symmetric key carries.</summary>
    public static bool HasPrivateMembers(JsonElement jwk)
    {
        foreach (var name in PrivateMembers)
        {
            if (jwk.TryGetProperty(name, out _))
            {
                return true;
            }
        }

        return false;
    }

    public static JsonWebKey Read(JsonElement jwk, IReadOnlyCollection<JwsAlgorithm>? allowed)
    {
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            throw new KeyRejectedException("A JWK must be a JSON object.");
        }

        var kty = OptionalString(jwk, "kty") ?? throw new KeyRejectedException("The JWK has no \"kty\". Add kty (RSA, EC, OKP or oct).");
        var kid = OptionalString(jwk, "kid");
        var keyType = kty switch
        {
            "RSA" => KeyType.Rsa,
            "EC" => KeyType.EC,
            "OKP" => KeyType.Okp,
            "oct" => KeyType.Oct,
            _ => throw new KeyRejectedException($"Unsupported kty '{kty}'. Tessera signs with RSA, EC, OKP (Ed25519) or oct (HMAC) keys."),
        };
        var curve = keyType is KeyType.EC or KeyType.Okp
            ? OptionalString(jwk, "crv") ?? throw new KeyRejectedException($"The {kty} JWK has no \"crv\". Add the curve name.")
            : null;
        if (keyType is KeyType.Okp && curve != "Ed25519")
        {
            throw new KeyRejectedException($"Unsupported OKP curve '{curve}'. Tessera supports Ed25519 only.");
        }

        CheckUse(jwk, kid);
        var algorithm = Bind(keyType, curve, OptionalString(jwk, "alg"), allowed, kid);
        var material = Material(jwk, keyType, curve, algorithm);
        CheckKeyOps(jwk, material.HasPrivateKey, kid);
        return new JsonWebKey(material, algorithm, kid);
    }

    /// <summary>True for a key meant for encryption: <c>use</c> is <c>enc</c>, or <c>alg</c> is a JWE key-management algorithm.</summary>
    internal static bool IsEncryptionKey(JsonElement jwk)
    {
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (jwk.TryGetProperty("use", out var use) && use.ValueKind == JsonValueKind.String && use.ValueEquals("enc"))
        {
            return true;
        }

        var alg = jwk.TryGetProperty("alg", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : string.Empty;
        return alg is "dir" or "RSA1_5" || alg.StartsWith("RSA-OAEP", StringComparison.Ordinal) || alg.StartsWith("ECDH-ES", StringComparison.Ordinal)
            || (alg.StartsWith('A') && (alg.EndsWith("KW", StringComparison.Ordinal) || alg.EndsWith("GCMKW", StringComparison.Ordinal)))
            || alg.StartsWith("PBES2", StringComparison.Ordinal);
    }

    /// <summary>True when the JWK declares an <c>alg</c>, or when its key type and curve fit one of <paramref name="algorithms"/>.</summary>
    internal static bool FitsAny(JsonElement jwk, IReadOnlyCollection<JwsAlgorithm> algorithms)
    {
        if (jwk.ValueKind != JsonValueKind.Object || jwk.TryGetProperty("alg", out _))
        {
            return true;
        }

        var kty = jwk.TryGetProperty("kty", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        var crv = jwk.TryGetProperty("crv", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        return kty is null || algorithms.Any(a => KeyMaterial.KeyTypeName(a.KeyType) == kty && a.Curve == crv);
    }

    /// <summary>Chooses the one algorithm a key is bound to: its own <c>alg</c>, else the only caller-allowed or table algorithm that fits.</summary>
    internal static JwsAlgorithm Bind(KeyType keyType, string? curve, string? alg, IReadOnlyCollection<JwsAlgorithm>? allowed, string? kid)
    {
        var label = kid is null ? "The key" : $"Key '{kid}'";
        if (alg is not null)
        {
            if (!JwsAlgorithm.TryGet(alg, out var declared))
            {
                throw new KeyRejectedException(
                    $"{label} declares alg '{alg}', which is not a supported signature algorithm. Use one of: {string.Join(", ", JwsAlgorithm.All)}.");
            }

            if (declared.KeyType != keyType || declared.Curve != curve)
            {
                throw new KeyRejectedException(
                    $"{label} declares alg {declared.Name}, which needs a {KeyMaterial.KeyTypeName(declared.KeyType)}{(declared.Curve is null ? "" : " " + declared.Curve)} key, " +
                    $"but the key is {KeyMaterial.KeyTypeName(keyType)}{(curve is null ? "" : " " + curve)}. Fix the alg or use the right key.");
            }

            return declared;
        }

        var candidates = (allowed ?? JwsAlgorithm.All).Where(a => a.KeyType == keyType && a.Curve == curve).Distinct().ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new KeyRejectedException(NoAlgorithmFits(label, keyType, curve, allowed)),
            _ => throw new KeyRejectedException(
                $"{label} has no \"alg\" and fits several algorithms ({string.Join(", ", candidates)}). " +
                "Add \"alg\" to the JWK or name the one algorithm to use (--alg)."),
        };
    }

    private static string NoAlgorithmFits(string label, KeyType keyType, string? curve, IReadOnlyCollection<JwsAlgorithm>? allowed)
    {
        var key = $"{label} ({KeyMaterial.KeyTypeName(keyType)}{(curve is null ? "" : " " + curve)})";
        var fitting = JwsAlgorithm.All.Where(a => a.KeyType == keyType && a.Curve == curve).ToList();
        if (fitting.Count == 0 || allowed is null)
        {
            // Only an EC key on a curve outside the table fits nothing at all (OKP curves are checked before).
            return $"{key} is on a curve Tessera does not support. Use P-256 (ES256), P-384 (ES384) or P-521 (ES512).";
        }

        return $"{key} fits none of the allowed algorithms ({string.Join(", ", allowed)}); it fits {string.Join(", ", fitting)}. " +
            "Allow one of those, or use a key made for the allowed algorithm.";
    }

    private static KeyMaterial Material(JsonElement jwk, KeyType keyType, string? curve, JwsAlgorithm algorithm)
    {
        switch (keyType)
        {
            case KeyType.Oct:
                return KeyChecks.Hmac(RequiredBytes(jwk, "k"), algorithm);
            case KeyType.Rsa:
                if (jwk.TryGetProperty("oth", out _))
                {
                    throw new KeyRejectedException("RSA keys with more than two primes (\"oth\") are not supported.");
                }

                var rsa = new RSAParameters
                {
                    Modulus = RequiredBytes(jwk, "n"),
                    Exponent = RequiredBytes(jwk, "e"),
                    D = OptionalBytes(jwk, "d"),
                };
                if (rsa.D is not null)
                {
                    rsa.P = RequiredBytes(jwk, "p");
                    rsa.Q = RequiredBytes(jwk, "q");
                    rsa.DP = RequiredBytes(jwk, "dp");
                    rsa.DQ = RequiredBytes(jwk, "dq");
                    rsa.InverseQ = RequiredBytes(jwk, "qi");
                }

                return KeyChecks.Rsa(rsa, algorithm);
            case KeyType.EC:
                var ec = new ECParameters
                {
                    Q = new ECPoint { X = RequiredBytes(jwk, "x"), Y = RequiredBytes(jwk, "y") },
                    D = OptionalBytes(jwk, "d"),
                };
                return KeyChecks.Ec(ec, curve!, algorithm);
            default:
                return KeyChecks.Ed25519(RequiredBytes(jwk, "x"), OptionalBytes(jwk, "d"));
        }
    }

    private static void CheckUse(JsonElement jwk, string? kid)
    {
        var use = OptionalString(jwk, "use");
        if (use is not null && use != "sig")
        {
            throw new KeyRejectedException(
                $"Key '{kid}' has use '{use}'; only signing keys (use \"sig\") can sign or verify tokens. Use a separate key for encryption.");
        }
    }

    private static void CheckKeyOps(JsonElement jwk, bool hasPrivateKey, string? kid)
    {
        if (!jwk.TryGetProperty("key_ops", out var ops))
        {
            return;
        }

        if (ops.ValueKind != JsonValueKind.Array)
        {
            throw new KeyRejectedException($"Key '{kid}' has a key_ops that is not an array of strings.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var op in ops.EnumerateArray())
        {
            var value = op.ValueKind == JsonValueKind.String ? op.GetString()! : throw new KeyRejectedException($"Key '{kid}' has a key_ops entry that is not a string.");
            if (value is not ("sign" or "verify"))
            {
                throw new KeyRejectedException($"Key '{kid}' allows operation '{value}'; a signing key may allow only \"sign\" and \"verify\".");
            }

            if (!seen.Add(value))
            {
                throw new KeyRejectedException($"Key '{kid}' lists key_ops '{value}' twice.");
            }
        }

        if (!seen.Contains("verify") && !(hasPrivateKey && seen.Contains("sign")))
        {
            throw new KeyRejectedException($"Key '{kid}' has key_ops that allow neither verifying nor signing with it.");
        }
    }

    internal static string? OptionalString(JsonElement jwk, string name)
    {
        if (!jwk.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new KeyRejectedException($"The JWK member \"{name}\" must be a string.");
    }

    private static byte[] RequiredBytes(JsonElement jwk, string name) =>
        OptionalBytes(jwk, name) ?? throw new KeyRejectedException($"The JWK is missing \"{name}\".");

    private static byte[]? OptionalBytes(JsonElement jwk, string name)
    {
        var text = OptionalString(jwk, name);
        if (text is null)
        {
            return null;
        }

        return Base64Url.DecodeOrNull(text)
            ?? throw new KeyRejectedException($"The JWK member \"{name}\" is not canonical base64url (no padding, URL-safe alphabet).");
    }
}
