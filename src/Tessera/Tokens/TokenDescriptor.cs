using System.Text.Json;

namespace Tessera.Tokens;

/// <summary>What to put in a token. The profile supplies issuer, <c>typ</c>, lifetime and the checks.</summary>
public sealed class TokenDescriptor
{
    /// <summary><c>sub</c>: the user, or for a service token the client (the default).</summary>
    public string? Subject { get; init; }

    /// <summary><c>aud</c>: the API(s) the token is for, or for an ID token the client id. At least one.</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary><c>client_id</c>: the client the token is issued to (required for access and service tokens).</summary>
    public string? ClientId { get; init; }

    /// <summary><c>scope</c>, written space-separated.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>The tenant, written under the profile's tenant claim.</summary>
    public string? Tenant { get; init; }

    /// <summary>ID tokens: the <c>nonce</c> of the authorization request.</summary>
    public string? Nonce { get; init; }

    /// <summary>ID tokens: <c>azp</c>.</summary>
    public string? AuthorizedParty { get; init; }

    /// <summary>ID tokens: <c>auth_time</c>.</summary>
    public DateTimeOffset? AuthenticatedAt { get; init; }

    /// <summary>A shorter lifetime than the profile's; longer ones are capped by the profile.</summary>
    public TimeSpan? Lifetime { get; init; }

    /// <summary>
    /// Further claims. Registered names are refused (use the typed properties); claims that look like
    /// personal or secret data are refused unless the profile allows them by name.
    /// </summary>
    public IReadOnlyDictionary<string, JsonElement> Claims { get; init; } = new Dictionary<string, JsonElement>();
}
