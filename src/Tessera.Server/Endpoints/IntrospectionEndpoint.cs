using Tessera.Keys.Ring;
using Tessera.Server.Logging;
using Tessera.Tokens;

namespace Tessera.Server.Endpoints;

/// <summary>
/// <c>POST /connect/introspect</c> (RFC 7662): for an authenticated confidential client, whether a token is
/// active now — signature, issuer, kind, times and revocation all checked — and if so its claims. Anything
/// invalid, expired, revoked or unknown is just <c>{"active":false}</c>.
/// </summary>
internal sealed class IntrospectionEndpoint(
    ClientAuthenticator authenticator,
    ServerProfiles profiles,
    KeyRing ring,
    TokenValidator validator,
    ServerMetrics metrics,
    ILogger<IntrospectionEndpoint> logger)
{
    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var (form, formError) = await FormReader.ReadAsync(context);
        if (form is null)
        {
            return formError!.ToResult();
        }

        var auth = await authenticator.AuthenticateAsync(context.Request, form, context.RequestAborted);
        if (!auth.Succeeded || !auth.Client!.IsConfidential)
        {
            return (auth.Error ?? OAuthError.InvalidClient("Only confidential clients may introspect.")).ToResult(auth.UsedBasic);
        }

        context.Response.Headers.CacheControl = "no-store";
        var token = ClientAuthenticator.Single(form, "token");
        if (token is null)
        {
            return OAuthError.InvalidRequest("token is required, once.").ToResult();
        }

        var result = await ValidateAsync(token, context.RequestAborted);
        metrics.Introspected(result?.IsValid == true);
        ServerLog.Introspected(logger, auth.Client.ClientId, result?.IsValid == true, result?.ReasonCode ?? "unknown_kind");
        if (result is not { IsValid: true })
        {
            return Results.Json(new { active = false }, ServerJson.Options);
        }

        var claims = result.Claims!;
        return Results.Json(new Dictionary<string, object?>
        {
            ["active"] = true,
            ["token_type"] = "Bearer",
            ["scope"] = claims.Scopes.Count > 0 ? string.Join(' ', claims.Scopes) : null,
            ["client_id"] = claims.ClientId,
            ["sub"] = claims.Subject,
            ["aud"] = claims.Audiences,
            ["iss"] = claims.Issuer,
            ["exp"] = claims.ExpiresAt?.ToUnixTimeSeconds(),
            ["iat"] = claims.IssuedAt?.ToUnixTimeSeconds(),
            ["jti"] = claims.TokenId,
            ["tessera_kind"] = result.Kind == TokenKind.Service ? "service" : "access",
        }.Where(p => p.Value is not null).ToDictionary(), ServerJson.Options);
    }

    /// <summary>Validates as a service token, then as a user access token; the <c>typ</c> decides which can succeed.</summary>
    internal async Task<TokenValidationResult?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        await ring.GetJwksAsync(cancellationToken);
        var keys = ring.Current.PublishedKeySet;
        if (keys is null)
        {
            return null;
        }

        var service = validator.Validate(token, profiles.Service, keys);
        return service.Failure == FailureReason.WrongType ? validator.Validate(token, profiles.Access, keys) : service;
    }
}
