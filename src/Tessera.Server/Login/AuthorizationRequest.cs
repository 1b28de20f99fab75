using Tessera.Clients;

namespace Tessera.Server.Login;

/// <summary>A checked authorization request (RFC 6749 §4.1.1 with PKCE, OpenID Connect's <c>nonce</c>, <c>prompt</c>, <c>max_age</c>).</summary>
internal sealed record AuthorizationRequest
{
    public required ClientRegistration Client { get; init; }

    /// <summary>Exactly one of the client's registered redirect URIs.</summary>
    public required string RedirectUri { get; init; }

    /// <summary>Returned unchanged with the response (and with errors).</summary>
    public string? State { get; init; }

    /// <summary>Copied into the ID token.</summary>
    public string? Nonce { get; init; }

    /// <summary>The S256 PKCE challenge.</summary>
    public required string CodeChallenge { get; init; }

    public IReadOnlyList<string> Scopes { get; init; } = [];

    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary><c>prompt=none</c>: answer without any page, or fail.</summary>
    public bool PromptNone { get; init; }

    /// <summary><c>prompt=login</c> (or <c>select_account</c>): ask for the password even when signed in.</summary>
    public bool PromptLogin { get; init; }

    /// <summary><c>max_age</c>: the password must have been entered within it.</summary>
    public TimeSpan? MaxAge { get; init; }
}
