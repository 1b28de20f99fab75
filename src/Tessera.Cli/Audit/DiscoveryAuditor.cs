using System.Text.Json;
using Tessera.Cli.Findings;

namespace Tessera.Cli.Audit;

/// <summary>
/// The audit rules over an OpenID Connect / RFC 8414 discovery document: advertised algorithms, grants and
/// PKCE methods, endpoint transport, revocation and introspection, and the issuer's identity.
/// </summary>
internal static class DiscoveryAuditor
{
    private static readonly string[] HmacAlgorithms = ["HS256", "HS384", "HS512"];

    /// <param name="document">The discovery document.</param>
    /// <param name="expectedIssuer">The issuer the document was fetched for, or null when it was read from a file.</param>
    /// <param name="report">Where findings go.</param>
    public static void Audit(JsonElement document, string? expectedIssuer, Report report)
    {
        CheckIssuer(document, expectedIssuer, report);
        CheckEndpoints(document, report);
        CheckAlgorithms(document, report);
        CheckFlows(document, report);
        if (!document.TryGetProperty("jwks_uri", out _))
        {
            report.Add(Rules.MissingJwksUri, "The document has no jwks_uri.", "jwks_uri");
        }

        if (!document.TryGetProperty("revocation_endpoint", out _))
        {
            report.Add(Rules.NoRevocationEndpoint, "The document has no revocation_endpoint.", "revocation_endpoint");
        }

        if (!document.TryGetProperty("introspection_endpoint", out _))
        {
            report.Add(Rules.NoIntrospectionEndpoint, "The document has no introspection_endpoint.", "introspection_endpoint");
        }
    }

    private static void CheckIssuer(JsonElement document, string? expected, Report report)
    {
        var issuer = KeySetAuditor.String(document, "issuer");
        if (issuer is null)
        {
            report.Add(Rules.IssuerMismatch, "The document has no issuer.", "issuer");
        }
        else if (expected is not null && !issuer.TrimEnd('/').Equals(expected.TrimEnd('/'), StringComparison.Ordinal))
        {
            report.Add(Rules.IssuerMismatch, $"issuer is '{issuer}' but the document was fetched for '{expected}'; clients must reject it.", "issuer");
        }
    }

    private static void CheckEndpoints(JsonElement document, Report report)
    {
        foreach (var (name, value) in EndpointMembers(document))
        {
            var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : null;
            var uri = Endpoints.Parse(text);
            if (uri is null)
            {
                report.Add(Rules.InsecureEndpoint, $"{name} is not an absolute https URL: '{text ?? value.GetRawText()}'.", name);
            }
            else if (!Endpoints.IsSecure(uri))
            {
                report.Add(Rules.InsecureEndpoint, $"{name} uses plain HTTP: {text}.", name);
            }
        }
    }

    private static IEnumerable<(string Name, JsonElement Value)> EndpointMembers(JsonElement document)
    {
        foreach (var member in document.EnumerateObject())
        {
            if (member.Name is "issuer" or "jwks_uri" or "check_session_iframe" || member.Name.EndsWith("_endpoint", StringComparison.Ordinal))
            {
                yield return (member.Name, member.Value);
            }
            else if (member.Name == "mtls_endpoint_aliases" && member.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var alias in member.Value.EnumerateObject())
                {
                    yield return ($"mtls_endpoint_aliases.{alias.Name}", alias.Value);
                }
            }
        }
    }

    private static void CheckAlgorithms(JsonElement document, Report report)
    {
        const string member = "id_token_signing_alg_values_supported";
        var algorithms = Strings(document, member);
        if (algorithms.Any(a => a.Equals("none", StringComparison.OrdinalIgnoreCase)))
        {
            report.Add(Rules.IdTokenAlgNone, $"{member} includes none.", member);
        }

        var hmac = algorithms.Where(a => HmacAlgorithms.Contains(a, StringComparer.Ordinal)).ToList();
        if (hmac.Count > 0)
        {
            report.Add(Rules.IdTokenAlgHmac, $"{member} includes {string.Join(", ", hmac)}.", member);
        }
    }

    private static void CheckFlows(JsonElement document, Report report)
    {
        var grants = Strings(document, "grant_types_supported");
        if (grants.Contains("implicit"))
        {
            report.Add(Rules.ImplicitFlow, "grant_types_supported includes implicit.", "grant_types_supported");
        }

        if (grants.Contains("password"))
        {
            report.Add(Rules.PasswordGrant, "grant_types_supported includes password.", "grant_types_supported");
        }

        var tokenResponses = Strings(document, "response_types_supported")
            .Where(t => t.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("token")).ToList();
        if (tokenResponses.Count > 0)
        {
            report.Add(Rules.ImplicitFlow, $"response_types_supported returns access tokens from the authorization endpoint: {string.Join(", ", tokenResponses.Select(t => $"'{t}'"))}.", "response_types_supported");
        }

        if (!document.TryGetProperty("authorization_endpoint", out _))
        {
            return; // no browser flows, so PKCE does not apply
        }

        const string pkce = "code_challenge_methods_supported";
        var methods = Strings(document, pkce);
        if (!methods.Contains("S256"))
        {
            report.Add(Rules.PkceWithoutS256, document.TryGetProperty(pkce, out _) ? $"{pkce} does not include S256." : $"The document has no {pkce}, so clients cannot tell PKCE is supported.", pkce);
        }

        if (methods.Contains("plain"))
        {
            report.Add(Rules.PkcePlain, $"{pkce} includes plain.", pkce);
        }
    }

    private static List<string> Strings(JsonElement document, string name) =>
        document.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];
}
