using Microsoft.Extensions.Primitives;
using Tessera.Clients;
using Tessera.Server.Sessions;

namespace Tessera.Server.Login;

/// <summary>
/// Checks an authorization request in the order that decides where an error may go: until the client and its exact
/// redirect URI are established, errors are shown on a page (never redirected — an unverified redirect is an open
/// redirector); after that they go back to the client with <c>state</c> and <c>iss</c>.
/// </summary>
internal static class AuthorizationRequestReader
{
    public const int MaxStateLength = 1024;
    public const int MaxNonceLength = 512;

    /// <summary>The outcome: a request, an error for a page, or an error for the client.</summary>
    public sealed record Result(AuthorizationRequest? Request, string? PageError, AuthorizationError? ClientError);

    public static async Task<Result> ReadAsync(IEnumerable<KeyValuePair<string, StringValues>> query, IClientStore clients, CancellationToken cancellationToken)
    {
        var parameters = query.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        if (Value(parameters, "client_id") is not { } clientId)
        {
            return Page("The request names no client (client_id is missing or repeated). Start signing in from the app again.");
        }

        var client = clientId.Length <= ClientRules.MaxIdentifierLength ? await clients.FindAsync(clientId, cancellationToken) : null;
        if (client is null)
        {
            return Page("The app that sent you here is not registered with this sign-in service.");
        }

        var redirectUri = Value(parameters, "redirect_uri");
        if (redirectUri is null || !client.RedirectUris.Contains(redirectUri, StringComparer.Ordinal))
        {
            return Page("The app asked to return to an address it has not registered (redirect_uri must match exactly), so you are not sent there.");
        }

        var state = Value(parameters, "state");
        Result Fail(string error, string description) =>
            new(null, null, new AuthorizationError(client, redirectUri, state is { Length: <= MaxStateLength } ? state : null, error, description));

        if (parameters.FirstOrDefault(p => p.Value.Count > 1) is { Key: { } repeated })
        {
            return Fail("invalid_request", $"The parameter {Printable(repeated)} is repeated; give each once.");
        }

        if (state is { Length: > MaxStateLength })
        {
            return Fail("invalid_request", $"state is longer than {MaxStateLength} characters.");
        }

        if (parameters.ContainsKey("request") || parameters.ContainsKey("request_uri"))
        {
            return parameters.ContainsKey("request")
                ? Fail("request_not_supported", "Request objects are not supported; send the parameters in the query.")
                : Fail("request_uri_not_supported", "request_uri is not supported; send the parameters in the query.");
        }

        var responseType = Value(parameters, "response_type");
        if (responseType != "code")
        {
            return responseType is null
                ? Fail("invalid_request", "response_type is required and must be code.")
                : Fail("unsupported_response_type", "Only response_type=code is supported (with PKCE).");
        }

        if (Value(parameters, "response_mode") is { } mode && mode != "query")
        {
            return Fail("invalid_request", "Only response_mode=query is supported.");
        }

        if (client.Type == ClientType.Service || !client.Allows(GrantTypes.AuthorizationCode))
        {
            return Fail("unauthorized_client", "This client may not use the authorization code flow.");
        }

        var challenge = Value(parameters, "code_challenge");
        if (challenge is null)
        {
            return Fail("invalid_request", "code_challenge is required: PKCE with code_challenge_method=S256.");
        }

        if (Value(parameters, "code_challenge_method") != Pkce.S256)
        {
            return Fail("invalid_request", "code_challenge_method must be S256; plain (also the default when it is missing) is refused.");
        }

        if (!Pkce.IsChallenge(challenge))
        {
            return Fail("invalid_request", "code_challenge must be the base64url SHA-256 of the code_verifier (43 characters).");
        }

        var nonce = Value(parameters, "nonce");
        if (nonce is { Length: > MaxNonceLength })
        {
            return Fail("invalid_request", $"nonce is longer than {MaxNonceLength} characters.");
        }

        var scopes = Value(parameters, "scope")?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray()
            ?? [.. client.Scopes];
        if (scopes.FirstOrDefault(s => s != UserTokenIssuer.OpenIdScope && !client.Scopes.Contains(s, StringComparer.Ordinal)) is { } unknown)
        {
            return Fail("invalid_scope", $"This client may not ask for scope {Printable(unknown)}.");
        }

        var resource = Value(parameters, "resource");
        IReadOnlyList<string>? audiences = resource is null
            ? client.Audiences.Count == 1 ? client.Audiences : null
            : client.Audiences.Contains(resource, StringComparer.Ordinal) ? [resource] : null;
        if (audiences is null)
        {
            return Fail("invalid_target", client.Audiences.Count == 0
                ? "This client has no API (audience) registered to receive access tokens for."
                : "Name the API the access token is for (resource), one this client may use.");
        }

        var prompt = Value(parameters, "prompt")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (prompt.Any(p => p is not ("none" or "login" or "consent" or "select_account")) || (prompt.Contains("none") && prompt.Length > 1))
        {
            return Fail("invalid_request", "prompt must be none, or any of login, consent and select_account.");
        }

        TimeSpan? maxAge = null;
        if (Value(parameters, "max_age") is { } maxAgeText)
        {
            if (!int.TryParse(maxAgeText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            {
                return Fail("invalid_request", "max_age must be a whole number of seconds.");
            }

            maxAge = TimeSpan.FromSeconds(seconds);
        }

        return new Result(new AuthorizationRequest
        {
            Client = client,
            RedirectUri = redirectUri,
            State = state,
            Nonce = nonce,
            CodeChallenge = challenge,
            Scopes = scopes,
            Audiences = audiences,
            PromptNone = prompt.Contains("none"),
            PromptLogin = prompt.Contains("login") || prompt.Contains("select_account"),
            MaxAge = maxAge,
        }, null, null);
    }

    private static Result Page(string message) => new(null, message, null);

    /// <summary>A parameter given exactly once and not empty; null when absent, empty or repeated.</summary>
    private static string? Value(Dictionary<string, StringValues> parameters, string name) =>
        parameters.TryGetValue(name, out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    private static string Printable(string name) => name.Length <= 40 && !name.Any(char.IsControl) ? name : "(unprintable)";
}
