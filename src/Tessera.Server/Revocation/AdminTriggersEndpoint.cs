using System.Net.Http.Headers;
using System.Text.Json;
using Tessera.Revocation;
using Tessera.Server.Endpoints;
using Tessera.Server.Hosting;

namespace Tessera.Server.Revocation;

/// <summary>
/// The admin revocation triggers. <c>POST /admin/triggers</c> takes
/// <c>{"event":"password_reset","subject":"…","reason":"…"}</c> (or <c>"tenant"</c> for <c>tenant_removal</c>),
/// applies the event's actions and returns the audit record; <c>GET /admin/triggers?limit=N</c> lists the
/// record, newest first. Both need <c>Authorization: Bearer</c> with the admin key — never a user's token.
/// </summary>
internal sealed class AdminTriggersEndpoint(Secrets secrets, RevocationService revocation, ILogger<AdminTriggersEndpoint> logger)
{
    /// <summary>The longest subject or tenant identifier accepted, in characters.</summary>
    public const int MaxValueLength = 255;

    /// <summary>The longest reason accepted, in characters.</summary>
    public const int MaxReasonLength = 1000;

    public async Task<IResult> CreateAsync(HttpContext context)
    {
        if (Unauthorized(context) is { } refusal)
        {
            return refusal;
        }

        var (request, error) = await ReadAsync(context);
        if (request is null)
        {
            RevocationLog.AdminRefused(logger, RemoteAddress(context), "invalid_request");
            return OAuthError.InvalidRequest(error!).ToResult();
        }

        // Not cancelled with the request: a revocation once started is carried through.
        var record = await revocation.TriggerAsync(request.Event, request.Value, "admin@" + RemoteAddress(context), request.Reason, CancellationToken.None);
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(View(record), ServerJson.Options);
    }

    public async Task<IResult> ListAsync(HttpContext context)
    {
        if (Unauthorized(context) is { } refusal)
        {
            return refusal;
        }

        var limit = 100;
        if (context.Request.Query.TryGetValue("limit", out var text)
            && (text.Count != 1 || !int.TryParse(text[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000))
        {
            return OAuthError.InvalidRequest("limit must be a whole number from 1 to 1000.").ToResult();
        }

        var triggers = await revocation.ListAsync(limit, context.RequestAborted);
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(new { triggers = triggers.Select(View) }, ServerJson.Options);
    }

    private IResult? Unauthorized(HttpContext context)
    {
        var headers = context.Request.Headers.Authorization;
        var reason = headers.Count switch
        {
            0 => "no admin key",
            > 1 => "several Authorization headers",
            _ when !AuthenticationHeaderValue.TryParse(headers[0], out var value) || !value.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || value.Parameter is null => "not a Bearer credential",
            _ when !secrets.IsAdminKey(headers[0]!["Bearer".Length..].Trim()) => "wrong admin key",
            _ => null,
        };
        if (reason is null)
        {
            return null;
        }

        RevocationLog.AdminRefused(logger, RemoteAddress(context), reason);
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"tessera-admin\"";
        return new OAuthError("invalid_token", "The admin API needs Authorization: Bearer with the admin key.", StatusCodes.Status401Unauthorized).ToResult();
    }

    private static async Task<(TriggerRequest? Request, string? Error)> ReadAsync(HttpContext context)
    {
        if (!context.Request.HasJsonContentType())
        {
            return (null, "Send the request as application/json.");
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = 4 }, context.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or BadHttpRequestException or IOException)
        {
            return (null, "The body is not JSON, or larger than allowed.");
        }

        using (document)
        {
            return Parse(document.RootElement);
        }
    }

    private static (TriggerRequest? Request, string? Error) Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, "The body must be a JSON object.");
        }

        string? eventName = null, subject = null, tenant = null, reason = null;
        foreach (var member in body.EnumerateObject())
        {
            if (member.Value.ValueKind != JsonValueKind.String)
            {
                return (null, $"'{Printable(member.Name)}' must be a string.");
            }

            switch (member.Name)
            {
                case "event": eventName = member.Value.GetString(); break;
                case "subject": subject = member.Value.GetString(); break;
                case "tenant": tenant = member.Value.GetString(); break;
                case "reason": reason = member.Value.GetString(); break;
                default: return (null, $"Unknown member '{Printable(member.Name)}'; use event, subject or tenant, and optionally reason.");
            }
        }

        var names = string.Join(", ", TriggerEvent.All.Keys);
        if (eventName is null || !TriggerEvent.All.TryGetValue(eventName, out var trigger))
        {
            return (null, $"event must be one of: {names}.");
        }

        var scope = TriggerEvent.ScopeName(trigger.Scope);
        var value = trigger.Scope == RevocationScope.Tenant ? tenant : subject;
        var other = trigger.Scope == RevocationScope.Tenant ? subject : tenant;
        if (other is not null || value is null)
        {
            return (null, $"{eventName} applies to a {scope}: give \"{scope}\" and nothing else to name whom.");
        }

        if (!Valid(value, MaxValueLength))
        {
            return (null, $"{scope} must be 1 to {MaxValueLength} characters without control characters.");
        }

        return reason is not null && !Valid(reason, MaxReasonLength)
            ? (null, $"reason must be 1 to {MaxReasonLength} characters without control characters.")
            : (new TriggerRequest(trigger, value, reason), null);
    }

    private static bool Valid(string value, int maxLength) =>
        value.Length is > 0 && value.Length <= maxLength && !value.Any(char.IsControl);

    private static string Printable(string name) => name.Length <= 40 && !name.Any(char.IsControl) ? name : "(unprintable)";

    private static string RemoteAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static Dictionary<string, object?> View(RevocationTrigger record)
    {
        using var actions = JsonDocument.Parse(record.ActionsJson);
        return new Dictionary<string, object?>
        {
            ["id"] = record.Id,
            ["event"] = record.Event,
            ["subject"] = record.Subject,
            ["tenant"] = record.Tenant,
            ["actor"] = record.Actor,
            ["reason"] = record.Reason,
            ["created_at"] = record.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["actions"] = actions.RootElement.Clone(),
        }.Where(p => p.Value is not null).ToDictionary();
    }

    private sealed record TriggerRequest(TriggerEvent Event, string Value, string? Reason);
}
