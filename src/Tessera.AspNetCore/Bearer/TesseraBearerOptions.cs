using Microsoft.AspNetCore.Authentication;
using Tessera.AspNetCore.Diagnostics;
using Tessera.AspNetCore.Introspection;
using Tessera.AspNetCore.Jwks;
using Tessera.AspNetCore.Revocation;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Revocation;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Bearer;

/// <summary>
/// Options of a Tessera bearer scheme: which kind of token it accepts (access by default, service for
/// machine endpoints), from which issuer, for which audience, verified with which keys. Validated at
/// start-up; a missing or unsafe setting stops the application with a message that says the fix.
/// </summary>
public sealed class TesseraBearerOptions : AuthenticationSchemeOptions
{
    /// <summary>The kind of token this scheme accepts. Default <see cref="TokenKind.Access"/>.</summary>
    public TokenKind Kind { get; set; } = TokenKind.Access;

    /// <summary>The token service's issuer (exact). Required. Its discovery document gives the JWKS unless <see cref="Keys"/> is set.</summary>
    public string? Issuer { get; set; }

    /// <summary>This API's audience (exact). Required.</summary>
    public string? Audience { get; set; }

    /// <summary>Configured verification keys; when null they come from the issuer's JWKS.</summary>
    public JsonWebKeySet? Keys { get; set; }

    /// <summary>Algorithms accepted. Required with a JWKS (pinned); default the configured keys' when <see cref="Keys"/> is set. Default ES256.</summary>
    public IList<JwsAlgorithm> AllowedAlgorithms { get; } = [];

    /// <summary>Clock skew, default 30 s, at most 300 s.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Scopes every request to this scheme needs (per-endpoint scopes: <c>RequireScope</c>).</summary>
    public IList<string> RequiredScopes { get; } = [];

    /// <summary>Refines the token profile beyond the settings above.</summary>
    public Action<TokenProfileOptions>? ConfigureProfile { get; set; }

    /// <summary>Refines the JWKS client (refresh interval, staleness bound, size limit…).</summary>
    public Action<JwksClientOptions>? ConfigureJwks { get; set; }

    /// <summary>The revocation index to consult; by default the one registered in DI, if any (<c>AddTesseraRevocationFeed</c> registers one).</summary>
    public IRevocationIndex? Revocation { get; set; }

    /// <summary>The <c>realm</c> of <c>WWW-Authenticate</c>; none by default.</summary>
    public string? Realm { get; set; }

    /// <summary>Hooks into validation and challenges.</summary>
    public new TesseraBearerEvents Events
    {
        get => (TesseraBearerEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>Creates options with default events.</summary>
    public TesseraBearerOptions() => Events = new TesseraBearerEvents();

    internal TokenProfile? Profile { get; set; }

    internal JwksClient? JwksClient { get; set; }

    internal FailureSignalAnalyzer? Analyzer { get; set; }

    internal RevocationFeedState? FeedState { get; set; }

    internal IntrospectionClient? Introspection { get; set; }
}
