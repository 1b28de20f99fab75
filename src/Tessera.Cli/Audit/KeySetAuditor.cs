using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Tessera.Cli.Findings;
using Tessera.Cli.Output;
using Tessera.Jose;
using Tessera.Keys;

namespace Tessera.Cli.Audit;

/// <summary>
/// The audit rules over a published JWK Set (<c>{"keys":[…]}</c>). Only names and sizes are reported: a
/// private or secret member's value is never printed.
/// </summary>
internal static class KeySetAuditor
{
    /// <summary>More keys than this is more than rotation needs (pending, active and a few retired per algorithm).</summary>
    public const int MaxKeys = 10;

    /// <summary>A key retired (expired) longer ago than this should no longer be published.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromDays(30);

    /// <summary>A key created longer ago than this is overdue for rotation.</summary>
    public static readonly TimeSpan RotateAfter = TimeSpan.FromDays(365);

    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth"];

    public static void Audit(JsonElement keySet, DateTimeOffset now, Report report, string? artifact)
    {
        void Add(Rule rule, Severity severity, string message, string location) =>
            report.Add(new Finding(rule, severity, message, location) { ArtifactUri = artifact });

        var keys = keySet.GetProperty("keys").EnumerateArray().ToList();
        report.Notes.Add($"The JWK Set{(artifact is null ? "" : " at " + artifact)} has {keys.Count} key{(keys.Count == 1 ? "" : "s")}.");
        if (keys.Count == 0)
        {
            Add(Rules.EmptyKeySet, Severity.High, "The keys array is empty.", "keys");
            return;
        }

        if (keys.Count > MaxKeys)
        {
            Add(Rules.TooManyKeys, Severity.Low, $"The set publishes {keys.Count} keys; rotation needs a handful (more than {MaxKeys} suggests retired keys are never removed).", "keys");
        }

        var types = keys.Select(k => String(k, "kty")).Where(t => t is not null).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (types.Count > 1)
        {
            Add(Rules.MixedKeyTypes, types.Contains("oct") ? Severity.Medium : Severity.Low, $"The set mixes key types: {string.Join(", ", types)}.", "keys");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i++)
        {
            if (String(keys[i], "kid") is { } kid && !seen.TryAdd(kid, i))
            {
                Add(Rules.DuplicateKid, Severity.High, $"Key {i} repeats kid '{kid}' of key {seen[kid]}.", $"keys[{i}].kid");
            }

            AuditKey(keys[i], i, now, Add);
        }
    }

    private static void AuditKey(JsonElement jwk, int index, DateTimeOffset now, Action<Rule, Severity, string, string> add)
    {
        var at = $"keys[{index}]";
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            add(Rules.InvalidKey, Severity.High, $"Key {index} is not a JSON object.", at);
            return;
        }

        var kid = String(jwk, "kid");
        var label = kid is null ? $"Key {index}" : $"Key '{kid}'";
        var kty = String(jwk, "kty");
        var serious = false;
        if (kid is null)
        {
            add(Rules.KeyMissingKid, Rules.KeyMissingKid.Severity, $"{label} has no kid.", at);
        }

        if (kty is null)
        {
            add(Rules.InvalidKey, Severity.High, $"{label} has no kty.", at);
            return;
        }

        if (kty == "oct")
        {
            add(Rules.SymmetricKeyPublished, Severity.High, $"{label} is a symmetric (oct) key{(jwk.TryGetProperty("k", out _) ? " and publishes its secret k" : string.Empty)}.", jwk.TryGetProperty("k", out _) ? $"{at}.k" : at);
            serious = true;
        }
        else if (PrivateMembers.Where(m => jwk.TryGetProperty(m, out _)).ToList() is { Count: > 0 } present)
        {
            add(Rules.PrivateKeyPublished, Severity.High, $"{label} publishes private members: {string.Join(", ", present)} (values not shown).", $"{at}.{present[0]}");
            serious = true;
        }

        if (kty == "RSA")
        {
            var modulus = Base64Url.DecodeOrNull(String(jwk, "n"));
            var bits = modulus is null ? 0 : ModulusBits(modulus);
            if (modulus is null)
            {
                add(Rules.InvalidKey, Severity.High, $"{label} has no valid base64url modulus n.", at);
                serious = true;
            }
            else if (bits < 2048)
            {
                add(Rules.WeakRsaKey, Severity.High, $"{label} is a {bits}-bit RSA key.", $"{at}.n");
                serious = true;
            }
        }

        var alg = String(jwk, "alg");
        var algorithmOk = CheckAlgorithm(jwk, alg, kty, label, at, add);
        if (String(jwk, "use") is null && !jwk.TryGetProperty("key_ops", out _))
        {
            add(Rules.KeyMissingUse, Rules.KeyMissingUse.Severity, $"{label} has neither use nor key_ops.", at);
        }

        CheckTimes(jwk, label, at, now, add);
        if (!serious && algorithmOk && String(jwk, "use") != "enc" && kty != "oct")
        {
            CheckStrictly(jwk, alg, kty, label, at, add);
        }
    }

    private static bool CheckAlgorithm(JsonElement jwk, string? alg, string kty, string label, string at, Action<Rule, Severity, string, string> add)
    {
        if (!jwk.TryGetProperty("alg", out _))
        {
            add(Rules.KeyMissingAlg, Rules.KeyMissingAlg.Severity, $"{label} has no alg.", at);
            return true;
        }

        if (String(jwk, "use") == "enc")
        {
            return true; // encryption algorithms (RSA-OAEP, ECDH-ES, …) are not in the signature table
        }

        if (alg is not null && alg.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            add(Rules.KeyAlgorithmUnsafe, Severity.High, $"{label} has alg none.", $"{at}.alg");
            return false;
        }

        if (!JwsAlgorithm.TryGet(alg, out var algorithm))
        {
            add(Rules.KeyAlgorithmUnsafe, Severity.Medium, $"{label} has alg '{alg ?? "(not a string)"}', which is not a supported signature algorithm.", $"{at}.alg");
            return false;
        }

        if (KeyMaterial.KeyTypeName(algorithm.KeyType) != kty || (algorithm.Curve is not null && algorithm.Curve != String(jwk, "crv")))
        {
            add(Rules.KeyAlgorithmUnsafe, Severity.Medium, $"{label} is a {kty}{(String(jwk, "crv") is { } crv ? " " + crv : "")} key but has alg {algorithm.Name}.", $"{at}.alg");
            return false;
        }

        return true;
    }

    private static void CheckTimes(JsonElement jwk, string label, string at, DateTimeOffset now, Action<Rule, Severity, string, string> add)
    {
        DateTimeOffset? retired = Seconds(jwk, "exp");
        DateTimeOffset? created = Seconds(jwk, "iat") ?? Seconds(jwk, "nbf");
        if (Certificate(jwk) is { } certificate)
        {
            using (certificate)
            {
                retired ??= new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
                created ??= new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
            }
        }

        if (retired is { } end && now - end > StaleAfter)
        {
            add(Rules.StaleKey, Rules.StaleKey.Severity, $"{label} expired {Durations.Relative(end, now)} ({Durations.Date(end)}) and is still published.", at);
        }
        else if (created is { } start && now - start > RotateAfter)
        {
            add(Rules.RotationOverdue, Rules.RotationOverdue.Severity, $"{label} was created {Durations.Relative(start, now)} ({Durations.Date(start)}).", at);
        }
    }

    // The strict reader that verifiers use: catches bad points, wrong lengths, inconsistent use/key_ops.
    private static void CheckStrictly(JsonElement jwk, string? alg, string kty, string label, string at, Action<Rule, Severity, string, string> add)
    {
        JwsAlgorithm[]? binding = alg is not null ? null : kty switch
        {
            "RSA" => [JwsAlgorithm.RS256],
            "EC" => JwsAlgorithm.All.Where(a => a.KeyType == KeyType.EC && a.Curve == String(jwk, "crv")).ToArray() is { Length: 1 } one ? one : null,
            "OKP" => [JwsAlgorithm.EdDSA],
            _ => null,
        };
        try
        {
            JwkReader.Read(jwk, binding);
        }
        catch (KeyRejectedException e)
        {
            var unsupported = e.Message.StartsWith("Unsupported", StringComparison.Ordinal);
            add(Rules.InvalidKey, unsupported ? Severity.Medium : Severity.High, $"{label} is refused by a strict reader: {e.Message}", at);
        }
    }

    private static X509Certificate2? Certificate(JsonElement jwk)
    {
        if (!jwk.TryGetProperty("x5c", out var chain) || chain.ValueKind != JsonValueKind.Array || chain.GetArrayLength() == 0
            || chain[0].ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return X509CertificateLoader.LoadCertificate(Convert.FromBase64String(chain[0].GetString()!));
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return null;
        }
    }

    private static DateTimeOffset? Seconds(JsonElement jwk, string name) =>
        jwk.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var s) && s is > 0 and < 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(s)
            : null;

    private static int ModulusBits(byte[] modulus)
    {
        var first = Array.FindIndex(modulus, b => b != 0);
        if (first < 0)
        {
            return 0;
        }

        return ((modulus.Length - first - 1) * 8) + (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)modulus[first]));
    }

    internal static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
