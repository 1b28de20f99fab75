using System.Text.Json;

namespace Tessera.Cli.Audit;

/// <summary>What a document given to <c>tessera audit</c> is.</summary>
internal enum AuditDocumentKind
{
    /// <summary>Neither a JWK Set nor a discovery document.</summary>
    Unknown,
    /// <summary>A JWK Set: an object with a <c>keys</c> array.</summary>
    KeySet,
    /// <summary>An OpenID Connect or RFC 8414 discovery document.</summary>
    Discovery,
}

/// <summary>Parses and classifies audit input, with the same bounds for files and fetched documents.</summary>
internal static class AuditDocument
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>The document's root element, or null with <paramref name="error"/> saying why it is not JSON.</summary>
    public static JsonElement? Parse(string text, out string error)
    {
        error = string.Empty;
        if (text.Length > DocumentFetcher.MaxBytes)
        {
            error = $"it is larger than {DocumentFetcher.MaxBytes} bytes";
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text, Options);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            error = $"it is not valid JSON ({e.Message})";
            return null;
        }
    }

    public static AuditDocumentKind Classify(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return AuditDocumentKind.Unknown;
        }

        if (root.TryGetProperty("keys", out var keys) && keys.ValueKind == JsonValueKind.Array)
        {
            return AuditDocumentKind.KeySet;
        }

        return root.TryGetProperty("issuer", out _) || root.TryGetProperty("jwks_uri", out _)
            || root.TryGetProperty("authorization_endpoint", out _) || root.TryGetProperty("token_endpoint", out _)
            ? AuditDocumentKind.Discovery
            : AuditDocumentKind.Unknown;
    }
}
