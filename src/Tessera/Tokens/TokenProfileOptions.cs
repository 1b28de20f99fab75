using Tessera.Jose;
using Tessera.Keys;
using Tessera.Revocation;

namespace Tessera.Tokens;

/// <summary>
/// The settings of a <see cref="TokenProfile"/>. Every expectation set here is enforced; what is left
/// unset takes the token kind's safe default. Build a profile with <see cref="TokenProfile.Create"/>,
/// which refuses unsafe or incomplete settings with a message that says the fix.
/// </summary>
public sealed class TokenProfileOptions
{
    /// <summary>Accepted issuers (<c>iss</c>), compared exactly. Required; the first is the one issued.</summary>
    public IList<string> Issuers { get; } = [];

    /// <summary>Accepted audiences (<c>aud</c>), compared exactly; a token matches when any of its audiences is here. Required.</summary>
    public IList<string> Audiences { get; } = [];

    /// <summary>
    /// The verification keys. Leave null when keys come per call (a JWKS client or key ring); then
    /// <see cref="AllowedAlgorithms"/> must pin the algorithms.
    /// </summary>
    public JsonWebKeySet? Keys { get; set; }

    /// <summary>The algorithms accepted; empty means "those of <see cref="Keys"/>".</summary>
    public IList<JwsAlgorithm> AllowedAlgorithms { get; } = [];

    /// <summary>
    /// Allows HMAC (shared-secret) keys. Off by default: with a shared secret every verifier can also mint
    /// tokens. A profile never mixes symmetric and asymmetric keys.
    /// </summary>
    public bool AllowSymmetricKeys { get; set; }

    /// <summary>Tolerance for clock differences on <c>exp</c>, <c>nbf</c> and <c>iat</c>. Default 30 s, at most 300 s.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Lifetime of issued tokens; default the kind's (5 minutes). At most <see cref="MaxLifetime"/>.</summary>
    public TimeSpan? Lifetime { get; set; }

    /// <summary>The longest <c>exp − iat</c> accepted; default and hard cap is the kind's (60 minutes).</summary>
    public TimeSpan? MaxLifetime { get; set; }

    /// <summary>Accepted <c>typ</c> values (media types); empty means the kind's own.</summary>
    public IList<string> Types { get; } = [];

    /// <summary>Claims required in addition to the kind's own.</summary>
    public IList<string> RequiredClaims { get; } = [];

    /// <summary>Scopes every token must carry (space-separated <c>scope</c>), e.g. <c>orders:read</c>.</summary>
    public IList<string> RequiredScopes { get; } = [];

    /// <summary>The claim that names a token's tenant, for tenant revocation. Default <c>tid</c>.</summary>
    public string TenantClaim { get; set; } = "tid";

    /// <summary>Claims the issuer may include although they look like personal or secret data.</summary>
    public IList<string> AllowedPersonalClaims { get; } = [];

    /// <summary>Longest token accepted, in characters; checked before any decoding. Default 16 KiB.</summary>
    public int MaxTokenLength { get; set; } = JwsVerifier.DefaultMaxTokenLength;

    /// <summary>The revocation index consulted after every other check; none by default.</summary>
    public IRevocationIndex? Revocation { get; set; }

    /// <summary>
    /// Only for <c>tessera verify</c>, where the person running it states the policy: when no issuer or
    /// audience is given, that comparison is skipped (the claims are still required by the kind).
    /// </summary>
    internal bool SkipUnsetIssuerAndAudience { get; set; }

    /// <summary>Only for <c>tessera verify</c> without <c>--profile</c>: no kind-specific <c>typ</c> or claims.</summary>
    internal bool GenericJwt { get; set; }
}
