using Tessera.Server.Endpoints;
using Tessera.Telemetry;

namespace Tessera.Server.Revocation;

/// <summary>
/// <c>POST /connect/revoke</c> (RFC 7009): an authenticated client revokes a token that was issued to it: an
/// access or service token (denied until it expires) or a refresh token (its whole family). A JWT is validated
/// like at introspection; one that is invalid, expired, already revoked or unknown changes
/// nothing and still gets 200 (§2.2). <c>token_type_hint</c> is only a hint and is ignored: every token is
/// looked up the same way whatever it says.
/// </summary>
internal sealed class RevocationEndpoint(
    ClientAuthenticator authenticator,
    IntrospectionEndpoint introspection,
    RevocationService revocation,
    Sessions.RefreshTokenRevocation refreshTokens,
    ILogger<RevocationEndpoint> logger)
{
    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var (form, formError) = await FormReader.ReadAsync(context);
        if (form is null)
        {
            return Refuse(formError!, "-");
        }

        var auth = await authenticator.AuthenticateAsync(context.Request, form, context.RequestAborted);
        if (!auth.Succeeded)
        {
            return Refuse(auth.Error!, "-", auth.UsedBasic);
        }

        var client = auth.Client!;
        var token = ClientAuthenticator.Single(form, "token");
        if (token is null)
        {
            return Refuse(OAuthError.InvalidRequest("token is required, once."), client.ClientId);
        }

        context.Response.Headers.CacheControl = "no-store";
        // An opaque token can only be a refresh token: revoking it revokes its family (RFC 7009 §2.1).
        if (!token.Contains('.', StringComparison.Ordinal))
        {
            await refreshTokens.TryRevokeAsync(token, client.ClientId, CancellationToken.None);
            return Results.Ok();
        }

        var result = await introspection.ValidateAsync(token, context.RequestAborted);
        if (result is not { IsValid: true })
        {
            RevocationLog.NothingToRevoke(logger, client.ClientId, TokenFingerprint.Of(token), result?.ReasonCode ?? "unknown_kind");
            return Results.Ok();
        }

        var claims = result.Claims!;
        if (claims.ClientId != client.ClientId)
        {
            return Refuse(OAuthError.UnauthorizedClient("This token was not issued to this client; only the client it was issued to may revoke it."), client.ClientId);
        }

        // Not cancelled with the request: a revocation once started is carried through.
        await revocation.RevokeTokenAsync(claims, client.ClientId, CancellationToken.None);
        return Results.Ok();
    }

    private IResult Refuse(OAuthError error, string clientId, bool usedBasic = false)
    {
        RevocationLog.RevocationRefused(logger, error.Error, clientId);
        return error.ToResult(usedBasic);
    }
}
