using Microsoft.Net.Http.Headers;
using Tessera.Clients;
using Tessera.Keys.Ring;

namespace Tessera.Server.Endpoints;

/// <summary>RFC 8414 and OpenID Connect discovery documents, and the JWK Set from the key ring.</summary>
internal static class DiscoveryEndpoints
{
    public const string JwksPath = "/.well-known/jwks.json";

    public static IResult Metadata(ServerProfiles profiles, KeyRing ring)
    {
        var issuer = profiles.Issuer;
        var algorithms = ring.Policy.Algorithms.Select(a => a.Name).ToArray();
        return Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer,
            ["authorization_endpoint"] = issuer + "/connect/authorize",
            ["token_endpoint"] = issuer + "/connect/token",
            ["introspection_endpoint"] = issuer + "/connect/introspect",
            ["revocation_endpoint"] = issuer + "/connect/revoke",
            ["jwks_uri"] = issuer + JwksPath,
            ["end_session_endpoint"] = issuer + "/connect/logout",
            // Not registered metadata: where resource servers poll the RFC 8936 revocation feed.
            ["tessera_revocation_feed_endpoint"] = issuer + "/feed/poll",
            ["grant_types_supported"] = new[] { GrantTypes.AuthorizationCode, GrantTypes.RefreshToken, GrantTypes.ClientCredentials, GrantTypes.TokenExchange },
            ["response_types_supported"] = new[] { "code" },
            ["response_modes_supported"] = new[] { "query" },
            ["scopes_supported"] = new[] { "openid" },
            ["claims_supported"] = new[] { "iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "sid", "tid" },
            ["prompt_values_supported"] = new[] { "none", "login", "consent", "select_account" },
            ["subject_types_supported"] = new[] { "public" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post", "private_key_jwt", "none" },
            ["token_endpoint_auth_signing_alg_values_supported"] = new[] { "ES256", "ES384", "ES512", "EdDSA", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512" },
            ["introspection_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post", "private_key_jwt" },
            ["revocation_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post", "private_key_jwt" },
            ["id_token_signing_alg_values_supported"] = algorithms,
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["authorization_response_iss_parameter_supported"] = true,
        }, ServerJson.Options);
    }

    public static async Task<IResult> Jwks(HttpContext context, KeyRing ring)
    {
        var document = await ring.GetJwksAsync(context.RequestAborted);
        var headers = context.Response.GetTypedHeaders();
        context.Response.Headers.CacheControl = document.CacheControl;
        context.Response.Headers.ETag = document.ETag;
        if (context.Request.Headers.IfNoneMatch.Contains(document.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        _ = headers;
        return Results.Text(document.Json, "application/jwk-set+json");
    }
}
