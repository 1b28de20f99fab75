namespace Tessera.Server.Endpoints;

/// <summary>An OAuth error response (RFC 6749 §5.2): a code, a fixed description, and the HTTP status.</summary>
internal sealed record OAuthError(string Error, string Description, int Status = StatusCodes.Status400BadRequest)
{
    public static OAuthError ServerError { get; } = new("server_error", "The server could not complete the request.", StatusCodes.Status500InternalServerError);

    public static OAuthError InvalidRequest(string description) => new("invalid_request", description);

    public static OAuthError InvalidClient(string description) => new("invalid_client", description, StatusCodes.Status401Unauthorized);

    public static OAuthError InvalidGrant(string description) => new("invalid_grant", description);

    public static OAuthError UnauthorizedClient(string description) => new("unauthorized_client", description);

    public static OAuthError UnsupportedGrantType(string description) => new("unsupported_grant_type", description);

    public static OAuthError InvalidScope(string description) => new("invalid_scope", description);

    public static OAuthError InvalidTarget(string description) => new("invalid_target", description);

    public IResult ToResult(bool basicChallenge = false) => new ErrorResult(this, basicChallenge);

    private sealed class ErrorResult(OAuthError error, bool basicChallenge) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = error.Status;
            response.Headers.CacheControl = "no-store";
            if (basicChallenge && error.Status == StatusCodes.Status401Unauthorized)
            {
                response.Headers.WWWAuthenticate = "Basic realm=\"tessera\", charset=\"UTF-8\"";
            }

            return response.WriteAsJsonAsync(new { error = error.Error, error_description = error.Description }, ServerJson.Options);
        }
    }
}
