namespace Tessera.Cli.Findings;

/// <summary>
/// The rule catalogue: every rule <c>tessera lint</c> and <c>tessera audit</c> report, in one table. Ids are
/// stable once shipped and never reused (<c>JWT…</c> tokens, <c>JWKS…</c> key sets, <c>DISC…</c> discovery
/// documents); docs/cli.md lists the same table, and a test keeps the two in step.
/// </summary>
internal static class Rules
{
    private const string OnePurpose = "Every token has one purpose: a token of one kind is never accepted as another (Tessera principle 1; RFC 8725 §3.11–3.12, RFC 9068).";
    private const string ValidateMore = "Validate more than the signature: issuer, audience, expiry and type, every time (Tessera principle 2; RFC 8725 §3.8–3.9).";
    private const string NoChoice = "The token never chooses its own verification: the algorithm and key come from the verifier's configuration (Tessera principle 3; RFC 8725 §3.1–3.2).";
    private const string NoFetch = "Headers that carry or point at keys are refused and nothing is fetched because a token said so (Tessera principle 3; RFC 8725 §3.10).";
    private const string ShortLived = "Short-lived access, rotated refresh: access tokens live minutes; refresh tokens are opaque and one-time-use (Tessera principle 4).";
    private const string StrongKeys = "Keys are strong and kept secret: HMAC secrets are random and as long as the hash; private keys are never published (Tessera principles 3 and 5; RFC 8725 §3.5, RFC 7518 §3.2).";
    private const string RotatePlan = "Keys rotate on a plan: every key has a kid and moves pending → active → retired → removed (Tessera principle 5; RFC 7517 §4.5).";
    private const string Minimal = "Minimal claims: a signed JWT is readable by anyone who holds it (Tessera principle 6; RFC 7515 §10).";
    private const string Revocable = "Revocation is a first-class feature: a jti lets one token be denied (Tessera principle 7; RFC 7519 §4.1.7).";
    private const string ClearInput = "Bad input gets a clear, typed answer: one canonical encoding, one value per name, bounded size (Tessera principle 9; RFC 7519 §4, RFC 7515 §2).";
    private const string OAuthBcp = "Advertise only safe flows (RFC 9700, OAuth 2.0 Security Best Current Practice; OpenID Connect Discovery 1.0).";

    // Tokens: tessera lint
    public static readonly Rule AlgNone = new("JWT001", "alg-none", RuleScope.Token, Severity.High,
        "The token is unsecured (alg none)", NoChoice,
        "Sign every token with an asymmetric algorithm (ES256, EdDSA, PS256 or RS256) and pin the verifier to it; never accept alg none.");
    public static readonly Rule UnknownAlgorithm = new("JWT002", "unknown-algorithm", RuleScope.Token, Severity.High,
        "The alg is missing or not a known signature algorithm", NoChoice,
        "Use a registered JWS algorithm (ES256, EdDSA, PS256, RS256; HS256 only when one party both issues and verifies).");
    public static readonly Rule WeakHmacSecret = new("JWT003", "weak-hmac-secret", RuleScope.Token, Severity.High,
        "The HMAC secret is a common, default or listed secret", StrongKeys,
        "Treat the secret as leaked: replace it with 32+ random bytes from a CSPRNG (or move to asymmetric keys), revoke tokens signed with it, and rotate.");
    public static readonly Rule NonCanonicalEncoding = new("JWT004", "non-canonical-encoding", RuleScope.Token, Severity.Medium,
        "A segment is not canonical base64url", ClearInput,
        "Encode each segment as unpadded base64url (RFC 7515 §2); strict verifiers, Tessera among them, reject anything else.");
    public static readonly Rule DuplicateMember = new("JWT005", "duplicate-member", RuleScope.Token, Severity.High,
        "The header or claims repeat a member name", ClearInput,
        "Emit each header parameter and claim once; parsers disagree on which duplicate wins, which attackers use to smuggle claims.");
    public static readonly Rule PayloadNotJson = new("JWT006", "payload-not-claims", RuleScope.Token, Severity.High,
        "The payload is not a JSON object of claims", ClearInput,
        "A JWT's payload is a JSON object of claims (RFC 7519 §7.2); fix the issuer.");
    public static readonly Rule NotAJws = new("JWT007", "malformed-token", RuleScope.Token, Severity.High,
        "The input is not a readable JWS compact token", ClearInput,
        "A JWT in compact form is three base64url segments, header.payload.signature, whose header is a JSON object (RFC 7515 §7.1).");
    public static readonly Rule MissingExp = new("JWT010", "missing-exp", RuleScope.Token, Severity.High,
        "The token never expires (no exp)", ShortLived,
        "Always set exp; access tokens should live minutes (Tessera's default is 5, at most 60).");
    public static readonly Rule MissingIat = new("JWT011", "missing-iat", RuleScope.Token, Severity.Low,
        "No iat: the token's age and lifetime cannot be checked", ValidateMore,
        "Set iat to the issue time so verifiers can enforce a maximum lifetime and revocation cut-offs.");
    public static readonly Rule MissingIss = new("JWT012", "missing-iss", RuleScope.Token, Severity.Medium,
        "No iss: verifiers cannot tell who issued the token", ValidateMore,
        "Set iss to the issuer's URL and make every verifier require it.");
    public static readonly Rule MissingAud = new("JWT013", "missing-aud", RuleScope.Token, Severity.Medium,
        "No aud: the token is accepted by every service that trusts the issuer", ValidateMore,
        "Set aud to the one API (or, for ID tokens, the client) the token is for, and make verifiers require it.");
    public static readonly Rule MissingTyp = new("JWT014", "missing-typ", RuleScope.Token, Severity.Low,
        "No typ: the token's kind is not explicit", OnePurpose,
        "Set typ to the kind's media type: at+jwt for access tokens (RFC 9068), service+jwt for service tokens.");
    public static readonly Rule MissingKid = new("JWT015", "missing-kid", RuleScope.Token, Severity.Low,
        "No kid: verifiers cannot pick the key, and rotation is hard", RotatePlan,
        "Put the signing key's kid (its RFC 7638 thumbprint) in every header.");
    public static readonly Rule MissingJti = new("JWT016", "missing-jti", RuleScope.Token, Severity.Low,
        "No jti: this one token cannot be revoked or traced", Revocable,
        "Give every token a unique jti (128 random bits) so it can be denied and found in logs.");
    public static readonly Rule MissingClaim = new("JWT017", "missing-required-claim", RuleScope.Token, Severity.Low,
        "A claim this kind of token requires is missing", ValidateMore,
        "Issue the claims the kind requires (access and service tokens: sub and client_id, RFC 9068 §2.2; ID tokens: sub).");
    public static readonly Rule WrongTyp = new("JWT020", "wrong-typ", RuleScope.Token, Severity.Medium,
        "The typ does not match the kind of token", OnePurpose,
        "Give each kind its own typ (at+jwt, service+jwt, JWT for ID tokens) and make verifiers check it.");
    public static readonly Rule IdTokenAsAccess = new("JWT021", "id-token-as-access-token", RuleScope.Token, Severity.High,
        "An ID token is being used as an access token", OnePurpose,
        "Send APIs an access token (typ at+jwt, aud = the API). An ID token proves a login to the client only; APIs must reject it.");
    public static readonly Rule LifetimeTooLong = new("JWT022", "lifetime-too-long", RuleScope.Token, Severity.Medium,
        "The token lives longer than its kind's recommended maximum", ShortLived,
        "Shorten the lifetime (access, ID and service tokens: at most 60 minutes) and use refresh tokens for long sessions.");
    public static readonly Rule RefreshTokenIsJwt = new("JWT023", "refresh-token-is-jwt", RuleScope.Token, Severity.Medium,
        "A refresh token is a self-contained JWT", ShortLived,
        "Issue opaque, random refresh tokens, stored hashed, one-time-use and grouped in families so reuse revokes the family.");
    public static readonly Rule PersonalClaim = new("JWT030", "personal-data-claim", RuleScope.Token, Severity.Medium,
        "A claim holds personal data", Minimal,
        "Leave personal data out of tokens; refer to the person by an opaque sub and let the API look up what it needs.");
    public static readonly Rule SecretClaim = new("JWT031", "secret-claim", RuleScope.Token, Severity.High,
        "A claim holds a password, key or other secret", Minimal,
        "Remove the claim and rotate the exposed secret: everyone who saw the token has it.");
    public static readonly Rule TimesInconsistent = new("JWT040", "time-claims-inconsistent", RuleScope.Token, Severity.High,
        "exp is not after iat or nbf: the token can never be valid, or its times are wrong", ValidateMore,
        "Compute iat, nbf and exp from one clock reading: nbf ≤ iat < exp.");
    public static readonly Rule IssuedInFuture = new("JWT041", "issued-in-future", RuleScope.Token, Severity.Medium,
        "iat is in the future", ValidateMore,
        "Fix the issuer's clock (NTP); verifiers reject tokens issued more than the clock skew ahead.");
    public static readonly Rule InvalidTimeClaim = new("JWT042", "invalid-time-claim", RuleScope.Token, Severity.Medium,
        "exp, nbf or iat is not a NumericDate in seconds", ValidateMore,
        "Write times as JSON numbers of seconds since 1970-01-01T00:00:00Z (RFC 7519 §2), not milliseconds or strings.");
    public static readonly Rule NotBeforeAnomaly = new("JWT043", "nbf-anomaly", RuleScope.Token, Severity.Low,
        "nbf is in the future or earlier than iat", ValidateMore,
        "Set nbf to the issue time (or leave it out); back-dated or far-future nbf values hide clock or logic errors.");
    public static readonly Rule KeyInHeader = new("JWT050", "key-in-header", RuleScope.Token, Severity.High,
        "The header carries or points at a key (jwk, jku, x5u, x5c)", NoFetch,
        "Remove the member; verifiers must take keys only from their own configuration and never fetch a URL a token names.");
    public static readonly Rule CritHeader = new("JWT051", "crit-header", RuleScope.Token, Severity.Medium,
        "The header lists critical extensions (crit)", NoChoice,
        "Drop crit unless every verifier implements the named extensions; verifiers must reject extensions they do not understand.");
    public static readonly Rule OversizedToken = new("JWT060", "oversized-token", RuleScope.Token, Severity.Medium,
        "The token is larger than proxies and verifiers accept", ClearInput,
        "Keep tokens under 8 KiB: move large or rarely used data behind an API and keep claims minimal.");

    // JWK Sets: tessera audit
    public static readonly Rule PrivateKeyPublished = new("JWKS001", "private-key-published", RuleScope.KeySet, Severity.High,
        "A published key includes its private members", StrongKeys,
        "Publish only public members (kty, kid, use, alg, n, e, crv, x, y). Treat the key as compromised: replace it and revoke what it signed.");
    public static readonly Rule SymmetricKeyPublished = new("JWKS002", "symmetric-key-published", RuleScope.KeySet, Severity.High,
        "A symmetric (oct) key is published", StrongKeys,
        "Never publish HMAC secrets: anyone can now mint tokens. Remove it, rotate the secret, and prefer asymmetric keys for anything others verify.");
    public static readonly Rule WeakRsaKey = new("JWKS003", "weak-rsa-key", RuleScope.KeySet, Severity.High,
        "An RSA key is shorter than 2048 bits", StrongKeys,
        "Replace the key with an RSA key of at least 2048 bits, or an EC P-256 / Ed25519 key.");
    public static readonly Rule KeyMissingKid = new("JWKS004", "key-missing-kid", RuleScope.KeySet, Severity.Medium,
        "A key has no kid", RotatePlan,
        "Give every key a kid (its RFC 7638 thumbprint) so verifiers can select it and rotation works.");
    public static readonly Rule DuplicateKid = new("JWKS005", "duplicate-kid", RuleScope.KeySet, Severity.High,
        "Two keys share a kid", RotatePlan,
        "Give every key its own kid; with duplicates a verifier may pick the wrong key or try several.");
    public static readonly Rule KeyMissingAlg = new("JWKS006", "key-missing-alg", RuleScope.KeySet, Severity.Low,
        "A key does not say which algorithm it is for", NoChoice,
        "Bind each key to one algorithm with alg, so verifiers never take the algorithm from the token header.");
    public static readonly Rule KeyMissingUse = new("JWKS007", "key-missing-use", RuleScope.KeySet, Severity.Low,
        "A key does not say what it is for (use or key_ops)", RotatePlan,
        "Set use to sig for signing keys (enc for encryption keys), so a key is never used for both.");
    public static readonly Rule MixedKeyTypes = new("JWKS008", "mixed-key-types", RuleScope.KeySet, Severity.Low,
        "The set mixes key types", NoChoice,
        "Use one key type per set, except during a planned migration; never mix symmetric and asymmetric keys.");
    public static readonly Rule TooManyKeys = new("JWKS009", "too-many-keys", RuleScope.KeySet, Severity.Low,
        "The set holds more keys than rotation needs", RotatePlan,
        "Publish the active key, the next one and recently retired ones only (a handful); remove the rest.");
    public static readonly Rule StaleKey = new("JWKS010", "stale-key", RuleScope.KeySet, Severity.Low,
        "A key stopped being used long ago but is still published", RotatePlan,
        "Remove keys once every token they signed has expired (hours or days, not months).");
    public static readonly Rule InvalidKey = new("JWKS011", "invalid-key", RuleScope.KeySet, Severity.High,
        "A key is malformed or inconsistent", StrongKeys,
        "Export the key again from its source; a verifier will refuse or, worse, misuse it.");
    public static readonly Rule KeyAlgorithmUnsafe = new("JWKS012", "key-algorithm-unsupported", RuleScope.KeySet, Severity.Medium,
        "A key names none, an unknown algorithm, or one that does not fit its type", NoChoice,
        "Set alg to the registered algorithm the key is for (RS256/PS256 for RSA, ES256 for P-256, EdDSA for Ed25519).");
    public static readonly Rule EmptyKeySet = new("JWKS013", "empty-key-set", RuleScope.KeySet, Severity.High,
        "The set has no keys", RotatePlan,
        "Publish the active signing key (and the next one) so verifiers can check tokens.");
    public static readonly Rule RotationOverdue = new("JWKS014", "key-rotation-overdue", RuleScope.KeySet, Severity.Low,
        "A key is more than a year old", RotatePlan,
        "Rotate signing keys on a schedule (Tessera's key ring rotates every 30 days by default).");

    // Discovery documents: tessera audit
    public static readonly Rule IdTokenAlgNone = new("DISC001", "id-token-alg-none", RuleScope.Discovery, Severity.High,
        "Unsigned ID tokens (none) are advertised", NoChoice,
        "Remove none from id_token_signing_alg_values_supported; sign every ID token.");
    public static readonly Rule IdTokenAlgHmac = new("DISC002", "id-token-alg-hmac", RuleScope.Discovery, Severity.Medium,
        "HMAC-signed ID tokens are advertised", NoChoice,
        "Advertise asymmetric algorithms only (ES256, PS256, RS256, EdDSA); HMAC ID tokens are keyed by the client secret, which many parties hold.");
    public static readonly Rule ImplicitFlow = new("DISC003", "implicit-flow", RuleScope.Discovery, Severity.Medium,
        "The implicit flow is advertised", OAuthBcp,
        "Remove implicit from grant_types_supported and token response types; use the authorization code flow with PKCE.");
    public static readonly Rule PasswordGrant = new("DISC004", "password-grant", RuleScope.Discovery, Severity.High,
        "The resource owner password grant is advertised", OAuthBcp,
        "Remove password from grant_types_supported; clients must never see users' passwords.");
    public static readonly Rule PkceWithoutS256 = new("DISC005", "pkce-without-s256", RuleScope.Discovery, Severity.Medium,
        "PKCE with S256 is not advertised", OAuthBcp,
        "Support PKCE and list S256 in code_challenge_methods_supported (RFC 7636).");
    public static readonly Rule PkcePlain = new("DISC006", "pkce-plain", RuleScope.Discovery, Severity.Medium,
        "The plain PKCE method is advertised", OAuthBcp,
        "Remove plain from code_challenge_methods_supported; accept S256 only.");
    public static readonly Rule InsecureEndpoint = new("DISC007", "insecure-endpoint", RuleScope.Discovery, Severity.High,
        "An endpoint is not an HTTPS URL", OAuthBcp,
        "Serve the issuer and every endpoint over HTTPS (plain HTTP is acceptable only on loopback for development).");
    public static readonly Rule NoRevocationEndpoint = new("DISC008", "no-revocation-endpoint", RuleScope.Discovery, Severity.Low,
        "No token revocation endpoint is advertised", Revocable,
        "Offer an RFC 7009 revocation endpoint so clients can end sessions and revoke refresh tokens.");
    public static readonly Rule NoIntrospectionEndpoint = new("DISC009", "no-introspection-endpoint", RuleScope.Discovery, Severity.Low,
        "No token introspection endpoint is advertised", Revocable,
        "Offer an RFC 7662 introspection endpoint so high-risk calls can check a token's live state.");
    public static readonly Rule IssuerMismatch = new("DISC010", "issuer-mismatch", RuleScope.Discovery, Severity.High,
        "The issuer is missing or differs from where the document was fetched", ValidateMore,
        "Make issuer exactly the URL the discovery document is published under (RFC 8414 §3.3); clients must check it.");
    public static readonly Rule MissingJwksUri = new("DISC011", "missing-jwks-uri", RuleScope.Discovery, Severity.High,
        "No jwks_uri: verifiers cannot find the signing keys", RotatePlan,
        "Publish the signing keys as a JWK Set and advertise its URL as jwks_uri.");
    public static readonly Rule JwksUnavailable = new("DISC012", "jwks-unavailable", RuleScope.Discovery, Severity.High,
        "The jwks_uri could not be fetched or is not a JWK Set", RotatePlan,
        "Serve the JWK Set at jwks_uri over HTTPS with status 200 and a {\"keys\": […]} body.");

    /// <summary>Every rule, in catalogue order.</summary>
    public static IReadOnlyList<Rule> All { get; } =
    [
        AlgNone, UnknownAlgorithm, WeakHmacSecret, NonCanonicalEncoding, DuplicateMember, PayloadNotJson, NotAJws,
        MissingExp, MissingIat, MissingIss, MissingAud, MissingTyp, MissingKid, MissingJti, MissingClaim,
        WrongTyp, IdTokenAsAccess, LifetimeTooLong, RefreshTokenIsJwt, PersonalClaim, SecretClaim,
        TimesInconsistent, IssuedInFuture, InvalidTimeClaim, NotBeforeAnomaly, KeyInHeader, CritHeader, OversizedToken,
        PrivateKeyPublished, SymmetricKeyPublished, WeakRsaKey, KeyMissingKid, DuplicateKid, KeyMissingAlg, KeyMissingUse,
        MixedKeyTypes, TooManyKeys, StaleKey, InvalidKey, KeyAlgorithmUnsafe, EmptyKeySet, RotationOverdue,
        IdTokenAlgNone, IdTokenAlgHmac, ImplicitFlow, PasswordGrant, PkceWithoutS256, PkcePlain, InsecureEndpoint,
        NoRevocationEndpoint, NoIntrospectionEndpoint, IssuerMismatch, MissingJwksUri, JwksUnavailable,
    ];
}
