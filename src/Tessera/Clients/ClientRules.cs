using System.Text.Json;
using Tessera.Keys;
using Tessera.Tokens;

namespace Tessera.Clients;

/// <summary>
/// What a client of each <see cref="ClientType"/> may be registered with: its default grants, and the checks every
/// registration passes before a store keeps it (grants that fit the type, one credential for confidential clients
/// and none for public ones, exact redirect URIs over https or loopback http, a public-only JWK Set).
/// </summary>
public static class ClientRules
{
    /// <summary>The longest <c>client_id</c>, scope or audience accepted, in characters.</summary>
    public const int MaxIdentifierLength = 255;

    /// <summary>The longest redirect URI accepted, in characters.</summary>
    public const int MaxRedirectUriLength = 2048;

    /// <summary>Every grant type Tessera implements.</summary>
    public static IReadOnlyList<string> KnownGrantTypes { get; } =
    [
        GrantTypes.ClientCredentials, GrantTypes.TokenExchange, GrantTypes.AuthorizationCode, GrantTypes.RefreshToken, GrantTypes.RevocationFeed,
    ];

    /// <summary>The grants a client of <paramref name="type"/> gets when none are named.</summary>
    public static IReadOnlyList<string> DefaultGrantTypes(ClientType type) => type switch
    {
        ClientType.Service => [GrantTypes.ClientCredentials, GrantTypes.TokenExchange],
        ClientType.Web or ClientType.Native => [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken],
        ClientType.Browser => [GrantTypes.AuthorizationCode],
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown client type."),
    };

    /// <summary>Checks that <paramref name="client"/> is consistent and safe to register.</summary>
    /// <exception cref="TesseraConfigurationException">It is not; the message says what to change.</exception>
    public static void Validate(ClientRegistration client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!Enum.IsDefined(client.Type))
        {
            throw Problem($"Client type {(int)client.Type} is unknown. Use service, web, native or browser.");
        }

        CheckToken(client.ClientId, "The client_id", allowQuotes: true);
        var label = $"Client '{client.ClientId}' ({Name(client.Type)})";
        CheckCredentials(client, label);
        CheckGrants(client, label);
        CheckRedirectUris(client, label);
        CheckList(client.Audiences, "audience", label, allowQuotes: true);
        CheckList(client.Scopes, "scope", label, allowQuotes: false);
        if (client.AccessTokenLifetime is { } lifetime)
        {
            var max = TokenKindRules.Access.MaximumLifetime;
            if (lifetime < TimeSpan.FromSeconds(1) || lifetime > max || lifetime.Ticks % TimeSpan.TicksPerSecond != 0)
            {
                throw Problem($"{label} has access token lifetime {lifetime}; give whole seconds from 1 to {(int)max.TotalSeconds}. Access tokens live minutes; use refresh tokens for longer sessions.");
            }
        }
    }

    /// <summary>The lower-case name used in storage, the CLI and JSON: <c>service</c>, <c>web</c>, <c>native</c>, <c>browser</c>.</summary>
    public static string Name(ClientType type) => type switch
    {
        ClientType.Service => "service",
        ClientType.Web => "web",
        ClientType.Native => "native",
        ClientType.Browser => "browser",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown client type."),
    };

    /// <summary>Reads a name written by <see cref="Name"/>.</summary>
    public static bool TryParseType(string? name, out ClientType type)
    {
        foreach (var candidate in Enum.GetValues<ClientType>())
        {
            if (Name(candidate) == name)
            {
                type = candidate;
                return true;
            }
        }

        type = default;
        return false;
    }

    /// <summary>
    /// Reads a client's JWK Set for <c>private_key_jwt</c>: every key must be a public signing key (no private or
    /// symmetric members) bound to one algorithm.
    /// </summary>
    /// <exception cref="TesseraConfigurationException">The JSON is not such a set; the message says what to change.</exception>
    public static JsonWebKeySet ParsePublicJwks(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using (var document = JwkReader.ParseDocument(json))
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
                {
                    throw Problem("The client's JWKS must be a JWK Set: a JSON object with a \"keys\" array of public keys.");
                }

                foreach (var jwk in keys.EnumerateArray())
                {
                    if (jwk.ValueKind == JsonValueKind.Object && JwkReader.HasPrivateMembers(jwk))
                    {
                        throw Problem(
                            "The client's JWKS holds a private or symmetric key. Register only the public keys (no \"d\", \"p\", \"q\", \"k\"…): "
                            + "the client keeps its private key, and the server never needs it.");
                    }
                }
            }

            return JsonWebKeySet.Parse(json);
        }
        catch (KeyRejectedException e)
        {
            throw Problem($"The client's JWKS is not usable: {e.Message}", e);
        }
    }

    private static void CheckCredentials(ClientRegistration client, string label)
    {
        if (!client.IsConfidential)
        {
            if (client.SecretHash is not null || client.Jwks is not null)
            {
                throw Problem($"{label} is a public client: it runs on the user's device and cannot keep a secret or private key. Register it without a secret or JWKS, or use type web for a server-side app.");
            }

            return;
        }

        if (client.SecretHash is not null && client.Jwks is not null)
        {
            throw Problem($"{label} has both a secret and a JWKS. Give it one way to authenticate: a JWKS (private_key_jwt) or a generated secret.");
        }

        if (client.SecretHash is null && client.Jwks is null)
        {
            throw Problem($"{label} is confidential and needs a credential: a generated secret (stored as its hash) or a JWKS for private_key_jwt.");
        }

        if (client.SecretHash is { Length: not ClientSecrets.HashBytes })
        {
            throw Problem($"{label} has a secret hash of {client.SecretHash.Length} bytes; store ClientSecrets.Hash of a generated secret ({ClientSecrets.HashBytes} bytes).");
        }

        if (client.Jwks is not null)
        {
            ParsePublicJwks(client.Jwks);
        }
    }

    private static void CheckGrants(ClientRegistration client, string label)
    {
        if (client.GrantTypes.Count == 0)
        {
            throw Problem($"{label} has no grant types. Give it at least one, or leave them out to get the {Name(client.Type)} defaults ({string.Join(", ", DefaultGrantTypes(client.Type))}).");
        }

        CheckDistinct(client.GrantTypes, "grant type", label);
        foreach (var grant in client.GrantTypes)
        {
            if (!KnownGrantTypes.Contains(grant, StringComparer.Ordinal))
            {
                throw Problem($"{label} names unknown grant type '{grant}'. Use one of: {string.Join(", ", KnownGrantTypes)}.");
            }

            var refusal = (client.Type, grant) switch
            {
                (ClientType.Browser, GrantTypes.RefreshToken) =>
                    "A browser client never receives refresh tokens: any script in the page could steal one. Remove refresh_token, or put a web client (a BFF) in front of the app and give refresh tokens to it.",
                (ClientType.Native or ClientType.Browser, GrantTypes.ClientCredentials or GrantTypes.TokenExchange or GrantTypes.RevocationFeed) =>
                    $"{grant} needs a client that can authenticate itself, and a {Name(client.Type)} app cannot keep a credential. Register the backend that needs it as a service client.",
                (ClientType.Service, GrantTypes.AuthorizationCode or GrantTypes.RefreshToken) =>
                    $"A service client has no end user, so it cannot use {grant}. Use type web, native or browser for an app that signs users in.",
                (ClientType.Web, GrantTypes.ClientCredentials or GrantTypes.RevocationFeed) =>
                    $"A web client acts for its users; register machine access ({grant}) as a separate service client so its tokens are never mistaken for a user's.",
                _ => null,
            };
            if (refusal is not null)
            {
                throw Problem($"{label}: {refusal}");
            }
        }

        if (client.Allows(GrantTypes.RefreshToken) && !client.Allows(GrantTypes.AuthorizationCode))
        {
            throw Problem($"{label} has refresh_token without authorization_code; refresh tokens come only from a user's sign-in. Add authorization_code or remove refresh_token.");
        }
    }

    private static void CheckRedirectUris(ClientRegistration client, string label)
    {
        var userFlow = client.Allows(GrantTypes.AuthorizationCode);
        if (userFlow && client.RedirectUris.Count == 0)
        {
            throw Problem($"{label} uses authorization_code and needs at least one exact redirect URI, such as https://app.example.com/callback.");
        }

        if (!userFlow && client.RedirectUris.Count > 0)
        {
            throw Problem($"{label} has redirect URIs but no authorization_code grant, which is the only flow that uses them. Remove the redirect URIs.");
        }

        CheckDistinct(client.RedirectUris, "redirect URI", label);
        foreach (var value in client.RedirectUris)
        {
            var problem = RedirectUriRules.Problem(value, client.Type);
            if (problem is not null)
            {
                throw Problem($"{label} redirect URI '{value}' {problem}");
            }
        }
    }

    private static void CheckList(IReadOnlyList<string> values, string what, string label, bool allowQuotes)
    {
        CheckDistinct(values, what, label);
        foreach (var value in values)
        {
            CheckToken(value, $"{label}: each {what}", allowQuotes);
        }
    }

    private static void CheckDistinct(IReadOnlyList<string> values, string what, string label)
    {
        ArgumentNullException.ThrowIfNull(values);
        var repeated = values.GroupBy(v => v, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw Problem($"{label} lists {what} '{repeated.Key}' twice. List each once.");
        }
    }

    /// <summary>Visible ASCII without spaces; scopes also without '"' and '\' (RFC 6749 §3.3).</summary>
    private static void CheckToken(string? value, string subject, bool allowQuotes)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxIdentifierLength)
        {
            throw Problem($"{subject} must be 1 to {MaxIdentifierLength} characters.");
        }

        foreach (var c in value)
        {
            if (c is < '!' or > '~' || (!allowQuotes && c is '"' or '\\'))
            {
                throw Problem($"{subject} must be visible ASCII: '{value}' has a character that is not allowed. Use letters, digits and punctuation, without spaces{(allowQuotes ? "" : ", quotes or backslashes")}.");
            }
        }
    }

    private static TesseraConfigurationException Problem(string message, Exception? inner = null) =>
        inner is null ? new TesseraConfigurationException(message) : new TesseraConfigurationException(message, inner);
}
