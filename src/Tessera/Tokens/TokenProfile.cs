using System.Collections.Frozen;
using System.Text;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Revocation;

namespace Tessera.Tokens;

/// <summary>
/// The complete, immutable policy for one kind of token: who issues it, for whom, signed how, for how
/// long, with which claims. A caller never validates "a JWT", only a token of a kind against a profile.
/// </summary>
public sealed class TokenProfile
{
    /// <summary>The largest clock skew a profile accepts.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(300);

    private JwsVerifier? _verifier;

    private TokenProfile(TokenKind kind, TokenKindRules rules, TokenProfileOptions o, JwsAlgorithm[] algorithms)
    {
        Kind = kind;
        Issuers = [.. o.Issuers];
        Audiences = [.. o.Audiences];
        Keys = o.Keys;
        AllowedAlgorithms = algorithms;
        AllowSymmetricKeys = o.AllowSymmetricKeys;
        ClockSkew = o.ClockSkew;
        MaxLifetime = o.MaxLifetime ?? rules.MaximumLifetime;
        Lifetime = o.Lifetime ?? (rules.DefaultLifetime < MaxLifetime ? rules.DefaultLifetime : MaxLifetime);
        Generic = o.GenericJwt;
        Types = o.Types.Count > 0 ? [.. o.Types] : (Generic ? [] : rules.Types);
        TypeMayBeAbsent = o.Types.Count == 0 && (Generic || rules.TypeMayBeAbsent);
        RequiredClaims = [.. (Generic ? ["exp"] : rules.RequiredClaims).Concat(o.RequiredClaims).Distinct(StringComparer.Ordinal)];
        RequiredScopes = [.. o.RequiredScopes];
        TenantClaim = o.TenantClaim;
        AllowedPersonalClaims = o.AllowedPersonalClaims.ToFrozenSet(StringComparer.Ordinal);
        MaxTokenLength = o.MaxTokenLength;
        Revocation = o.Revocation;
        SkipUnsetIssuerAndAudience = o.SkipUnsetIssuerAndAudience;
        IssuersUtf8 = [.. Issuers.Select(Encoding.UTF8.GetBytes)];
        AudiencesUtf8 = [.. Audiences.Select(Encoding.UTF8.GetBytes)];
        RequiredRegisteredClaims = [.. RequiredClaims.Where(ClaimReader.IsRegistered)];
        CustomRequiredClaimNames = [.. RequiredClaims.Where(c => !ClaimReader.IsRegistered(c))];
        CustomRequiredClaims = [.. CustomRequiredClaimNames.Select(Encoding.UTF8.GetBytes)];
        RequiredScopesUtf8 = [.. RequiredScopes.Select(Encoding.UTF8.GetBytes)];
        TenantClaimUtf8 = Encoding.UTF8.GetBytes(TenantClaim);
        if (Keys is not null)
        {
            _verifier = new JwsVerifier(Keys, AllowedAlgorithms, MaxTokenLength);
        }
    }

    /// <summary>The kind of token this profile accepts.</summary>
    public TokenKind Kind { get; }

    /// <summary>Accepted issuers; the first is the one issued.</summary>
    public IReadOnlyList<string> Issuers { get; }

    /// <summary>Accepted audiences.</summary>
    public IReadOnlyList<string> Audiences { get; }

    /// <summary>The configured verification keys, or null when keys are supplied per call.</summary>
    public JsonWebKeySet? Keys { get; }

    /// <summary>The pinned algorithms.</summary>
    public IReadOnlyList<JwsAlgorithm> AllowedAlgorithms { get; }

    /// <summary>True when HMAC keys were explicitly allowed.</summary>
    public bool AllowSymmetricKeys { get; }

    /// <summary>Tolerance for clock differences.</summary>
    public TimeSpan ClockSkew { get; }

    /// <summary>Lifetime of issued tokens.</summary>
    public TimeSpan Lifetime { get; }

    /// <summary>The longest accepted <c>exp − iat</c>.</summary>
    public TimeSpan MaxLifetime { get; }

    /// <summary>Accepted <c>typ</c> values.</summary>
    public IReadOnlyList<string> Types { get; }

    /// <summary>True when a token without <c>typ</c> is accepted (ID tokens, per OpenID Connect).</summary>
    public bool TypeMayBeAbsent { get; }

    /// <summary>Every claim a token must carry.</summary>
    public IReadOnlyList<string> RequiredClaims { get; }

    /// <summary>Scopes every token must carry.</summary>
    public IReadOnlyList<string> RequiredScopes { get; }

    /// <summary>The tenant claim's name.</summary>
    public string TenantClaim { get; }

    /// <summary>Personal-looking claims the issuer may include.</summary>
    public IReadOnlySet<string> AllowedPersonalClaims { get; }

    /// <summary>Longest token accepted, in characters.</summary>
    public int MaxTokenLength { get; }

    /// <summary>The revocation index, if any.</summary>
    public IRevocationIndex? Revocation { get; }

    internal bool Generic { get; }

    internal bool SkipUnsetIssuerAndAudience { get; }

    internal byte[][] IssuersUtf8 { get; }

    internal byte[][] AudiencesUtf8 { get; }

    internal byte[][] CustomRequiredClaims { get; }

    internal string[] CustomRequiredClaimNames { get; }

    /// <summary>The required claims the reader types and locates itself, in the order they are reported missing.</summary>
    internal string[] RequiredRegisteredClaims { get; }

    internal byte[][] RequiredScopesUtf8 { get; }

    internal byte[] TenantClaimUtf8 { get; }

    /// <summary>Builds a profile, refusing unsafe or incomplete settings with a message that names the fix.</summary>
    public static TokenProfile Create(TokenKind kind, TokenProfileOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rules = TokenKindRules.For(kind);
        var where = $"The {kind} token profile";
        if (!options.SkipUnsetIssuerAndAudience)
        {
            if (options.Issuers.Count == 0 || options.Issuers.Any(string.IsNullOrEmpty))
            {
                throw new TesseraConfigurationException($"{where} has no issuer. Set Issuers to the token service's issuer URL, e.g. \"https://id.example.com\".");
            }

            if (options.Audiences.Count == 0 || options.Audiences.Any(string.IsNullOrEmpty))
            {
                throw new TesseraConfigurationException($"{where} has no audience. Set Audiences to the identifier of the API (or, for ID tokens, the client id) that accepts these tokens.");
            }
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > MaxClockSkew)
        {
            throw new TesseraConfigurationException($"{where} has a clock skew of {options.ClockSkew.TotalSeconds} s; use 0 to 300 s (default 30 s). Fix clocks with NTP rather than widening the skew.");
        }

        if (options.MaxLifetime is { } max && (max <= TimeSpan.Zero || max > rules.MaximumLifetime))
        {
            throw new TesseraConfigurationException($"{where} has MaxLifetime {max}; {kind} tokens may live at most {rules.MaximumLifetime}. Use refresh tokens for longer sessions.");
        }

        var cap = options.MaxLifetime ?? rules.MaximumLifetime;
        if (options.Lifetime is { } lifetime && (lifetime <= TimeSpan.Zero || lifetime > cap))
        {
            throw new TesseraConfigurationException($"{where} has Lifetime {lifetime}; it must be positive and at most {cap}.");
        }

        if (options.MaxTokenLength is < 64 or > 1024 * 1024)
        {
            throw new TesseraConfigurationException($"{where} has MaxTokenLength {options.MaxTokenLength}; use 64 to 1,048,576 (default 16,384).");
        }

        if (options.RequiredClaims.Count(c => !ClaimReader.IsRegistered(c)) > 64)
        {
            throw new TesseraConfigurationException($"{where} requires more than 64 custom claims; keep tokens small.");
        }

        if (string.IsNullOrEmpty(options.TenantClaim))
        {
            throw new TesseraConfigurationException($"{where} has an empty TenantClaim; leave it at \"tid\" or name your tenant claim.");
        }

        var algorithms = Algorithms(options, where);
        return new TokenProfile(kind, rules, options, algorithms);
    }

    private static JwsAlgorithm[] Algorithms(TokenProfileOptions options, string where)
    {
        if (options.Keys is null && options.AllowedAlgorithms.Count == 0)
        {
            throw new TesseraConfigurationException($"{where} has neither Keys nor AllowedAlgorithms. Configure the keys, or pin the algorithms when keys come from a JWKS client.");
        }

        var algorithms = (options.AllowedAlgorithms.Count > 0 ? options.AllowedAlgorithms.AsEnumerable() : options.Keys!.Algorithms).Distinct().ToArray();
        if (algorithms.Any(a => a.IsSymmetric) && algorithms.Any(a => !a.IsSymmetric))
        {
            throw new TesseraConfigurationException($"{where} mixes HMAC and asymmetric algorithms ({string.Join(", ", algorithms)}). Use one family per profile.");
        }

        if (!options.AllowSymmetricKeys && (algorithms.Any(a => a.IsSymmetric) || options.Keys?.IsSymmetric == true))
        {
            throw new TesseraConfigurationException(
                $"{where} uses HMAC (shared-secret) keys, which let every verifier mint tokens. Use asymmetric keys (ES256, EdDSA, PS256 or RS256), " +
                "or set AllowSymmetricKeys = true if one party both issues and verifies.");
        }

        if (options.Keys is not null && options.AllowedAlgorithms.Count > 0 && !options.Keys.Algorithms.Any(algorithms.Contains))
        {
            throw new TesseraConfigurationException($"{where} allows {string.Join(", ", algorithms)} but none of its keys uses them. Align AllowedAlgorithms with the keys.");
        }

        return algorithms;
    }

    /// <summary>The verifier for <paramref name="keys"/>, reused while the same key set instance is in use.</summary>
    internal JwsVerifier VerifierFor(JsonWebKeySet keys)
    {
        var current = Volatile.Read(ref _verifier);
        if (current is not null && ReferenceEquals(current.Keys, keys))
        {
            return current;
        }

        var created = new JwsVerifier(keys, AllowedAlgorithms, MaxTokenLength);
        if (Keys is null)
        {
            Volatile.Write(ref _verifier, created);
        }

        return created;
    }
}
