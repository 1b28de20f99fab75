using System.Text.Json.Serialization;
using Tessera.Clients;
using Tessera.Server.Endpoints;

namespace Tessera.Server.Sessions;

/// <summary>
/// The user grants of <c>POST /connect/token</c>: <c>authorization_code</c> and <c>refresh_token</c>. Confidential
/// clients (web) authenticate as at every grant; public clients (native, browser) name themselves with
/// <c>client_id</c> and prove possession with PKCE and the refresh token itself. One way out: an RFC 6749 §5.2 error.
/// </summary>
internal sealed class UserTokenEndpoint(
    ClientAuthenticator authenticator,
    IClientStore clients,
    CodeExchange codes,
    RefreshExchange refreshes,
    UserTokenIssuer issuer,
    ServerMetrics metrics,
    ILogger<UserTokenEndpoint> logger)
{
    public static bool Handles(string? grantType) => grantType is GrantTypes.AuthorizationCode or GrantTypes.RefreshToken;

    public async Task<IResult> HandleAsync(HttpContext context, IFormCollection form, string grantType)
    {
        var (client, error, usedBasic) = await IdentifyAsync(context.Request, form, context.RequestAborted);
        if (client is null)
        {
            return Refuse(error!, grantType, usedBasic, null);
        }

        if (!client.Allows(grantType) || client.Type == ClientType.Service)
        {
            return Refuse(OAuthError.UnauthorizedClient($"This client may not use {grantType}."), grantType, usedBasic, client.ClientId);
        }

        var outcome = grantType == GrantTypes.AuthorizationCode
            ? await codes.ExchangeAsync(client, form, context.RequestAborted)
            : await refreshes.ExchangeAsync(client, form, context.RequestAborted);
        if (outcome.Error is { } refused)
        {
            return Refuse(refused, grantType, usedBasic, client.ClientId);
        }

        var tokens = outcome.Tokens!;
        await issuer.RecordAsync(tokens, grantType, outcome.RefreshToken is not null, context.RequestAborted);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        return Results.Json(
            new Response(tokens.Access.Token, "Bearer", tokens.Access.ExpiresIn, string.Join(' ', tokens.Scopes), outcome.RefreshToken, tokens.Id?.Token),
            ServerJson.Options);
    }

    /// <summary>A confidential client by its credentials; a public client by <c>client_id</c> alone (and no credentials).</summary>
    private async Task<(ClientRegistration? Client, OAuthError? Error, bool UsedBasic)> IdentifyAsync(HttpRequest request, IFormCollection form, CancellationToken cancellationToken)
    {
        var presentsCredentials = request.Headers.Authorization.Count > 0 || form.ContainsKey("client_secret")
            || form.ContainsKey("client_assertion") || form.ContainsKey("client_assertion_type");
        if (presentsCredentials)
        {
            var auth = await authenticator.AuthenticateAsync(request, form, cancellationToken);
            return (auth.Client, auth.Error, auth.UsedBasic);
        }

        var clientId = ClientAuthenticator.Single(form, "client_id");
        var client = clientId is null ? null : await clients.FindAsync(clientId, cancellationToken);
        return client is { IsConfidential: false }
            ? (client, null, false)
            : (null, OAuthError.InvalidClient(client is null ? "Client authentication failed." : "Client authentication is required."), false);
    }

    private IResult Refuse(OAuthError error, string grantType, bool usedBasic, string? clientId)
    {
        metrics.TokenRequestRefused(error.Error, grantType);
        SessionLog.TokenRefused(logger, error.Error, grantType, clientId ?? "-", error.Description);
        return error.ToResult(usedBasic);
    }

    private sealed record Response(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("token_type")] string TokenType,
        [property: JsonPropertyName("expires_in")] int ExpiresIn,
        [property: JsonPropertyName("scope")] string? Scope,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("id_token")] string? IdToken);
}
