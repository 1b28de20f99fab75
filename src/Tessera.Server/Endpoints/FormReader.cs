namespace Tessera.Server.Endpoints;

/// <summary>Reads an OAuth request's form within the configured limits; anything else is <c>invalid_request</c>, never a 500.</summary>
internal static class FormReader
{
    public static async Task<(IFormCollection? Form, OAuthError? Error)> ReadAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            return (null, OAuthError.InvalidRequest("Send the request as application/x-www-form-urlencoded."));
        }

        try
        {
            return (await context.Request.ReadFormAsync(context.RequestAborted), null);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return (null, OAuthError.InvalidRequest("The request is malformed or larger than allowed."));
        }
    }
}
