using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tessera.Jose;

/// <summary>
/// How Tessera writes JOSE headers and claims: compact, and escaping only what JSON requires. The default
/// encoder escapes HTML-sensitive characters such as '+', which turns <c>at+jwt</c> into <c>at\u002Bjwt</c>;
/// tokens are never embedded in HTML unencoded, so that protection buys nothing here.
/// </summary>
internal static class CompactJson
{
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };
}
