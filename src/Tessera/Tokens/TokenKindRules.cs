namespace Tessera.Tokens;

/// <summary>The built-in, safe-without-configuration rules of each token kind.</summary>
internal sealed class TokenKindRules
{
    /// <summary>The <c>typ</c> of a service token: its own media type, so it is never mistaken for a user's access token.</summary>
    public const string ServiceType = "service+jwt";

    public static readonly TokenKindRules Access = new(
        TokenKind.Access,
        ["at+jwt"],
        typeMayBeAbsent: false,
        ["iss", "sub", "aud", "exp", "iat", "jti", "client_id"],
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(60));

    public static readonly TokenKindRules Id = new(
        TokenKind.Id,
        ["JWT"],
        typeMayBeAbsent: true,
        ["iss", "sub", "aud", "exp", "iat"],
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(60));

    public static readonly TokenKindRules Service = new(
        TokenKind.Service,
        [ServiceType],
        typeMayBeAbsent: false,
        ["iss", "sub", "aud", "exp", "iat", "jti", "client_id"],
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(60));

    /// <summary>RFC 7523 §3: the client's own short-lived assertion; <c>typ</c> may be absent, <c>JWT</c> or the newer explicit type.</summary>
    public static readonly TokenKindRules ClientAssertion = new(
        TokenKind.ClientAssertion,
        ["client-authentication+jwt", "JWT"],
        typeMayBeAbsent: true,
        ["iss", "sub", "aud", "exp", "jti"],
        TimeSpan.FromMinutes(1),
        TimeSpan.FromMinutes(10));

    /// <summary>RFC 8417: events do not expire; <c>iat</c> and <c>jti</c> identify them.</summary>
    public static readonly TokenKindRules SecurityEvent = new(
        TokenKind.SecurityEvent,
        ["secevent+jwt"],
        typeMayBeAbsent: false,
        ["iss", "aud", "iat", "jti"],
        TimeSpan.FromMinutes(5),
        TimeSpan.FromDays(365));

    private TokenKindRules(TokenKind kind, string[] types, bool typeMayBeAbsent, string[] requiredClaims, TimeSpan defaultLifetime, TimeSpan maximumLifetime)
    {
        Kind = kind;
        Types = types;
        TypeMayBeAbsent = typeMayBeAbsent;
        RequiredClaims = requiredClaims;
        DefaultLifetime = defaultLifetime;
        MaximumLifetime = maximumLifetime;
    }

    public TokenKind Kind { get; }

    /// <summary>Accepted <c>typ</c> values (compared as media types); the first is the one issued.</summary>
    public IReadOnlyList<string> Types { get; }

    public bool TypeMayBeAbsent { get; }

    public IReadOnlyList<string> RequiredClaims { get; }

    public TimeSpan DefaultLifetime { get; }

    /// <summary>The hard cap: a profile may lower it, never raise it.</summary>
    public TimeSpan MaximumLifetime { get; }

    public static TokenKindRules For(TokenKind kind) => kind switch
    {
        TokenKind.Access => Access,
        TokenKind.Id => Id,
        TokenKind.Service => Service,
        TokenKind.ClientAssertion => ClientAssertion,
        TokenKind.SecurityEvent => SecurityEvent,
        _ => throw new TesseraConfigurationException(
            $"{kind} tokens are opaque, not JWTs; they are validated by the token service's store, not by a JWT profile."),
    };
}
