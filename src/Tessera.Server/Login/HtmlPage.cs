using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;

namespace Tessera.Server.Login;

/// <summary>
/// A server-rendered page of the sign-in UI: plain semantic HTML (a language, a title, one <c>main</c> landmark, one
/// <c>h1</c>, labelled inputs), one stylesheet allowed by its hash, no script. Never cached, never framed, no referrer.
/// Every value written into it is HTML-encoded by <see cref="E"/>.
/// </summary>
internal sealed class HtmlPage(string title, string body, int status = StatusCodes.Status200OK) : IResult
{
    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:1.0625rem;line-height:1.5;margin:0;background:#f4f5f7;color:#111}
        main{max-width:26rem;margin:3rem auto;padding:2rem;background:#fff;border:1px solid #c9ccd1;border-radius:.5rem}
        h1{font-size:1.5rem;margin:0 0 1rem}
        label{display:block;font-weight:600;margin-top:1rem}
        input[type=text],input[type=password]{box-sizing:border-box;width:100%;padding:.6rem;font:inherit;border:1px solid #5f6368;border-radius:.25rem}
        input[aria-invalid=true]{border-color:#b00020}
        button{margin-top:1.5rem;padding:.6rem 1.2rem;font:inherit;font-weight:600;color:#fff;background:#0b57d0;border:0;border-radius:.25rem;cursor:pointer}
        button.secondary{color:#0b57d0;background:#fff;border:1px solid #0b57d0;margin-left:.5rem}
        :focus-visible{outline:3px solid #f9ab00;outline-offset:2px}
        .error{color:#b00020;background:#fdecee;border-left:4px solid #b00020;padding:.5rem .75rem}
        .muted{color:#444}
        ul{padding-left:1.25rem}
        """;

    private static readonly string StyleSource = "'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style))) + "'";

    /// <summary>HTML-encodes text for an element or a quoted attribute.</summary>
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? string.Empty);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        var headers = response.Headers;
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = $"default-src 'none'; style-src {StyleSource}; frame-ancestors 'none'; base-uri 'none'";
        return response.WriteAsync($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(title)} – Tessera</title>
            <style>{Style}</style>
            </head>
            <body>
            <main>
            {body}
            </main>
            </body>
            </html>
            """, httpContext.RequestAborted);
    }
}
