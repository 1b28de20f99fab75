using System.Text.Json;
using Tessera.Cli.Findings;
using Tessera.Cli.Output;
using Tessera.Cli.Unverified;
using Tessera.Jose;
using Tessera.Tokens;

namespace Tessera.Cli.Lint;

/// <summary>What <c>tessera lint</c> was asked to do.</summary>
/// <param name="Kind">The kind given with <c>--as</c>, or null to infer it from the token.</param>
/// <param name="Wordlist">An extra list of secrets to try against HMAC tokens, or null.</param>
/// <param name="ShowSecret">Print a cracked secret (<c>--show-secret</c>); otherwise only its strength.</param>
/// <param name="Now">The time the token's times are judged against.</param>
internal sealed record LintOptions(TokenKind? Kind, string? Wordlist, bool ShowSecret, DateTimeOffset Now);

/// <summary>
/// The lint rules over one <see cref="UnverifiedToken"/>. Everything is judged from the token alone; nothing
/// is fetched (a <c>jku</c> or <c>x5u</c> is reported, never followed) and a cracked secret is described, not printed.
/// </summary>
internal static class TokenLinter
{
    /// <summary>Tokens above this are refused by many proxies and servers (8 KiB header limits).</summary>
    public const int LargeTokenLength = 8 * 1024;

    private static readonly string[] IdTokenSignals = ["nonce", "at_hash", "c_hash", "s_hash"];
    private static readonly string[] KeyCarrying = ["jwk", "jku", "x5u", "x5c"];
    private static readonly string[] KeyNaming = ["x5t", "x5t#S256"];

    public static void Lint(UnverifiedToken token, LintOptions options, Report report)
    {
        var inferred = InferKind(token, out var reason);
        var kind = options.Kind ?? inferred;
        report.Notes.Add(options.Kind is not null
            ? $"Checked as {Describe(kind)} (--as {Name(kind)})."
            : kind is null
                ? "Kind unknown: checked as a generic JWT. Pass --as access|id|service|refresh to apply a kind's rules."
                : $"Checked as {Describe(kind)}, inferred from {reason}. Pass --as to choose.");

        CheckEncoding(token, report);
        CheckAlgorithm(token, options, report);
        CheckHeader(token, report);
        CheckType(token, kind, report);
        if (token.Claims is not { } claims)
        {
            report.Add(Rules.PayloadNotJson, $"Claims cannot be checked: {token.PayloadProblem}.", "payload");
            return;
        }

        CheckRequiredClaims(claims, kind, report);
        TimeClaimChecks.Check(claims, kind, options.Now, report);
        CheckClaimContents(claims, kind, report);
        if (kind == TokenKind.Refresh)
        {
            report.Add(Rules.RefreshTokenIsJwt, "This refresh token is a JWT: anyone holding it can read it, and it cannot be made one-time-use without server state anyway.", "token");
        }
    }

    private static TokenKind? InferKind(UnverifiedToken token, out string reason)
    {
        var typ = token.HeaderString("typ");
        reason = $"typ {typ}";
        if (MediaType.Matches(typ, "at+jwt"))
        {
            return TokenKind.Access;
        }

        if (MediaType.Matches(typ, TokenKindRules.ServiceType))
        {
            return TokenKind.Service;
        }

        if (typ is not null && typ.Contains("refresh", StringComparison.OrdinalIgnoreCase))
        {
            return TokenKind.Refresh;
        }

        var signal = token.Claims is { } claims ? IdTokenSignals.FirstOrDefault(s => claims.TryGetProperty(s, out _)) : null;
        reason = $"its {signal} claim";
        return signal is null ? null : TokenKind.Id;
    }

    private static void CheckEncoding(UnverifiedToken token, Report report)
    {
        if (token.Text.Length > LargeTokenLength)
        {
            var tooLarge = token.Text.Length > JwsVerifier.DefaultMaxTokenLength;
            report.Add(Rules.OversizedToken, tooLarge ? Severity.High : Severity.Medium,
                $"The token is {token.Text.Length} characters; many proxies cap headers at 8 KiB" + (tooLarge ? " and Tessera refuses tokens over 16 KiB." : "."), "token");
        }

        foreach (var (segment, problem) in token.EncodingProblems)
        {
            report.Add(Rules.NonCanonicalEncoding, $"The {segment} segment {problem}.", segment);
        }

        foreach (var part in token.DuplicateMembers)
        {
            report.Add(Rules.DuplicateMember, $"The {part} repeats a member name.", part);
        }
    }

    private static void CheckAlgorithm(UnverifiedToken token, LintOptions options, Report report)
    {
        if (!token.Header.TryGetProperty("alg", out var alg))
        {
            report.Add(Rules.UnknownAlgorithm, "The header has no alg.", "header.alg");
            return;
        }

        var name = alg.ValueKind == JsonValueKind.String ? alg.GetString()! : null;
        if (name is not null && name.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            report.Add(Rules.AlgNone, $"alg is '{name}': the token is unsigned and anyone can change its claims.", "header.alg");
            return;
        }

        if (!JwsAlgorithm.TryGet(name, out var algorithm))
        {
            report.Add(Rules.UnknownAlgorithm, name is null
                ? $"alg is a JSON {alg.ValueKind.ToString().ToLowerInvariant()}, not an algorithm name."
                : $"alg '{Shorten(name)}' is not a registered JWS signature algorithm.", "header.alg");
            return;
        }

        if (!algorithm.IsSymmetric)
        {
            return;
        }

        var cracked = WeakSecretFinder.Find(token, algorithm, options.Wordlist, out var tried);
        if (cracked is null)
        {
            report.Notes.Add($"The {algorithm.Name} secret is none of the {tried} common secrets tried" +
                (options.Wordlist is null ? " (add candidates with --wordlist FILE)." : $" (bundled list and {options.Wordlist})."));
            return;
        }

        var message = SecretStrength.Describe(cracked, algorithm);
        message += options.ShowSecret
            ? $" The secret is: \"{cracked.Secret}\" (shown because of --show-secret)."
            : " The secret is not shown; pass --show-secret to print it.";
        report.Add(Rules.WeakHmacSecret, message, "signature");
    }

    private static void CheckHeader(UnverifiedToken token, Report report)
    {
        foreach (var member in KeyCarrying)
        {
            if (token.Header.TryGetProperty(member, out var value))
            {
                var target = value.ValueKind == JsonValueKind.String ? $" ({Shorten(value.GetString()!)})" : string.Empty;
                var what = member is "jku" or "x5u" ? $"points at a key{target}; a verifier that follows it lets the token pick its own key and can be made to fetch internal URLs. Tessera did not fetch it"
                    : "carries its own key; a verifier that uses it accepts anyone's signature";
                report.Add(Rules.KeyInHeader, $"The header's {member} {what}.", $"header.{member}");
            }
        }

        foreach (var member in KeyNaming)
        {
            if (token.Header.TryGetProperty(member, out _))
            {
                report.Add(Rules.KeyInHeader, Severity.Low, $"The header's {member} names a certificate; verifiers should select keys by kid from their own configuration, and Tessera refuses it.", $"header.{member}");
            }
        }

        if (token.Header.TryGetProperty("crit", out var crit))
        {
            var names = crit.ValueKind == JsonValueKind.Array
                ? string.Join(", ", crit.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText()))
                : crit.GetRawText();
            report.Add(Rules.CritHeader, $"crit names [{Shorten(names)}]; verifiers that do not implement every listed extension must reject the token.", "header.crit");
        }

        if (token.HeaderString("kid") is null && token.Algorithm is { } alg && !alg.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            report.Add(Rules.MissingKid, "The header has no kid.", "header.kid");
        }
    }

    private static void CheckType(UnverifiedToken token, TokenKind? kind, Report report)
    {
        var typ = token.HeaderString("typ");
        var looksLikeId = token.Claims is { } claims && IdTokenSignals.Any(s => claims.TryGetProperty(s, out _));
        switch (kind)
        {
            case TokenKind.Access or TokenKind.Service:
                var rules = TokenKindRules.For(kind.Value);
                if (rules.Types.Any(t => MediaType.Matches(typ, t)))
                {
                    return;
                }

                if (kind == TokenKind.Access && looksLikeId && !MediaType.Matches(typ, TokenKindRules.ServiceType))
                {
                    var signal = IdTokenSignals.First(s => token.Claims!.Value.TryGetProperty(s, out _));
                    report.Add(Rules.IdTokenAsAccess, $"This token has typ {typ ?? "(none)"} and a {signal} claim: it is an ID token, not an access token.", "header.typ");
                }
                else if (typ is null)
                {
                    report.Add(Rules.MissingTyp, Severity.Medium, $"The header has no typ; {Describe(kind)} should say {rules.Types[0]}.", "header.typ");
                }
                else
                {
                    report.Add(Rules.WrongTyp, $"typ is '{Shorten(typ)}'; {Describe(kind)} should say {rules.Types[0]}.", "header.typ");
                }

                break;
            case TokenKind.Id:
                if (typ is null || MediaType.Matches(typ, "JWT"))
                {
                    return;
                }

                var accessLike = MediaType.Matches(typ, "at+jwt") || MediaType.Matches(typ, TokenKindRules.ServiceType);
                report.Add(Rules.WrongTyp, accessLike ? Severity.High : Severity.Medium,
                    accessLike ? $"typ is '{typ}': this is an access token presented as an ID token." : $"typ is '{Shorten(typ)}'; ID tokens carry typ JWT or none.", "header.typ");
                break;
            case null:
                if (typ is null)
                {
                    report.Add(Rules.MissingTyp, "The header has no typ, so verifiers cannot tell this token's kind from others.", "header.typ");
                }

                break;
        }
    }

    private static void CheckRequiredClaims(JsonElement claims, TokenKind? kind, Report report)
    {
        var required = kind is TokenKind.Access or TokenKind.Id or TokenKind.Service ? TokenKindRules.For(kind.Value).RequiredClaims : [];
        Require(claims, "exp", Rules.MissingExp, Severity.High, "The token has no exp: it is valid forever once issued.", report);
        Require(claims, "iat", Rules.MissingIat, Severity.Low, "The token has no iat.", report);
        Require(claims, "iss", Rules.MissingIss, Severity.Medium, "The token has no iss.", report);
        Require(claims, "aud", Rules.MissingAud, Severity.Medium, "The token has no aud.", report);
        Require(claims, "jti", Rules.MissingJti, required.Contains("jti") ? Severity.Medium : Severity.Low, "The token has no jti.", report);
        foreach (var claim in required.Where(c => c is not ("exp" or "iat" or "iss" or "aud" or "jti")))
        {
            Require(claims, claim, Rules.MissingClaim, Severity.Low, $"{Capitalise(Describe(kind))} needs a {claim} claim.", report);
        }
    }

    private static void Require(JsonElement claims, string name, Rule rule, Severity severity, string message, Report report)
    {
        if (!claims.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null
            || (value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0)
            || (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0))
        {
            report.Add(rule, severity, message, $"payload.{name}");
        }
    }

    private static void CheckClaimContents(JsonElement claims, TokenKind? kind, Report report)
    {
        foreach (var claim in claims.EnumerateObject())
        {
            if (PersonalDataDetector.Classify(claim.Name, claim.Value) is not { } category)
            {
                continue;
            }

            var where = $"payload.{claim.Name}";
            if (PersonalDataDetector.IsCredential(category))
            {
                report.Add(Rules.SecretClaim, $"Claim '{Shorten(claim.Name)}' looks like {PersonalDataDetector.Describe(category)}; its value is not shown.", where);
            }
            else
            {
                // ID tokens exist to tell the client about the user; the same data in an access token travels to every API.
                var severity = kind == TokenKind.Id ? Severity.Low : Severity.Medium;
                report.Add(Rules.PersonalClaim, severity, $"Claim '{Shorten(claim.Name)}' holds personal data: it looks like {PersonalDataDetector.Describe(category)}.", where);
            }
        }
    }

    public static string Name(TokenKind? kind) => kind switch
    {
        TokenKind.Access => "access",
        TokenKind.Id => "id",
        TokenKind.Service => "service",
        TokenKind.Refresh => "refresh",
        _ => "unknown",
    };

    internal static string Describe(TokenKind? kind) => kind switch
    {
        TokenKind.Access => "an access token",
        TokenKind.Id => "an ID token",
        TokenKind.Service => "a service token",
        TokenKind.Refresh => "a refresh token",
        _ => "a token",
    };

    private static string Capitalise(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
