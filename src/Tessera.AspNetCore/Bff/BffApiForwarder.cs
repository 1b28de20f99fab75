using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Bff;

/// <summary>
/// <c>/bff/api/{**path}</c>: forwards the call to the configured API with the session's access token. Only a small
/// set of headers goes through — never the browser's cookies or its own Authorization header.
/// </summary>
internal sealed class BffApiForwarder(BffSessions sessions, BffAccessTokens accessTokens, BffMetrics metrics, IHttpClientFactory http, ILogger<BffApiForwarder> logger)
{
    private static readonly string[] RequestHeaders = ["Accept", "Accept-Language", "If-Match", "If-None-Match"];
    private static readonly string[] ResponseHeaders = ["Cache-Control", "ETag", "Last-Modified", "Retry-After"];

    public async Task ForwardAsync(HttpContext context, string? path)
    {
        var options = sessions.Options;
        if (await sessions.CurrentAsync(context) is not { } current)
        {
            Refuse(context, StatusCodes.Status401Unauthorized, "no_session");
            return;
        }

        if (Target(options.ApiBaseAddress!, path, context.Request.QueryString) is not { } target)
        {
            Refuse(context, StatusCodes.Status400BadRequest, "invalid_path");
            return;
        }

        if (context.Request.ContentLength > options.MaxForwardedBodyBytes)
        {
            Refuse(context, StatusCodes.Status413PayloadTooLarge, "too_large");
            return;
        }

        string? token;
        try
        {
            token = await accessTokens.GetAsync(context, current.Id, current.Session);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            LoggingExtensions.Unreachable(logger, "token_endpoint", e.GetType().Name);
            Refuse(context, StatusCodes.Status502BadGateway, "token_service_unavailable");
            return;
        }

        if (token is null)
        {
            Refuse(context, StatusCodes.Status401Unauthorized, "session_ended");
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        foreach (var name in RequestHeaders)
        {
            if (context.Request.Headers.TryGetValue(name, out var values))
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        if (await ReadBodyAsync(context, options.MaxForwardedBodyBytes) is { } body)
        {
            request.Content = new ByteArrayContent(body);
            if (context.Request.ContentType is { } contentType)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }
        else if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            Refuse(context, StatusCodes.Status413PayloadTooLarge, "too_large");
            return;
        }

        using var client = http.CreateClient(TesseraBffDefaults.HttpClientName);
        client.Timeout = options.Timeout;
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            LoggingExtensions.Unreachable(logger, "api", e.GetType().Name);
            Refuse(context, StatusCodes.Status502BadGateway, "api_unavailable");
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var name in ResponseHeaders)
            {
                if (response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            if (response.Content.Headers.ContentType is { } type)
            {
                context.Response.ContentType = type.ToString();
            }

            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    private void Refuse(HttpContext context, int status, string reason)
    {
        metrics.Refused(reason);
        context.Response.StatusCode = status;
    }

    /// <summary>The API address for <paramref name="path"/>; null for dot segments, which could climb out of the API's base path.</summary>
    internal static Uri? Target(Uri apiBase, string? path, QueryString query)
    {
        var segments = (path ?? string.Empty).Split('/');
        if (segments.Any(s => s is "." or ".." || s.Any(char.IsControl)))
        {
            return null;
        }

        var escaped = string.Join('/', segments.Select(Uri.EscapeDataString));
        return new Uri(apiBase.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/" + escaped + query.Value);
    }

    /// <summary>The request body up to <paramref name="max"/> bytes; empty array when there is none; null when larger.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, long max)
    {
        if (context.Request.ContentLength is 0 || (context.Request.ContentLength is null && context.Request.Headers.TransferEncoding.Count == 0))
        {
            return HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) ? null : [];
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
