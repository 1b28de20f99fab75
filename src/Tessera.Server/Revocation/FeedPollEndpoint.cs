using System.Text.Json;
using Tessera.Clients;
using Tessera.Revocation;
using Tessera.Server.Endpoints;

namespace Tessera.Server.Revocation;

/// <summary>
/// <c>POST /feed/poll</c>: RFC 8936 poll-based delivery of the revocation feed to a resource server, which
/// authenticates as a client (<c>client_secret_basic</c>) holding the <c>urn:tessera:revocation-feed</c> grant.
/// The body <c>{"ack":[jti…],"setErrs":{jti:{"err","description"}},"maxEvents":N,"returnImmediately":bool}</c>
/// acknowledges what the receiver has applied; the answer <c>{"sets":{jti:SET},"moreAvailable":bool}</c> holds
/// the oldest events it has not acknowledged. Unless <c>returnImmediately</c>, an empty answer is held open up
/// to <see cref="LongPollTimeout"/> and sent as soon as an event is appended.
/// </summary>
internal sealed class FeedPollEndpoint(
    ClientAuthenticator authenticator,
    IRevocationStore store,
    FeedSignal signal,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<FeedPollEndpoint> logger)
{
    public static readonly TimeSpan LongPollTimeout = TimeSpan.FromSeconds(10);

    public const int DefaultMaxEvents = 100;

    public const int MaxEvents = 1000;

    public const int MaxAcknowledgements = 1000;

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var (client, refusal) = await AuthenticateAsync(context);
        if (client is null)
        {
            return refusal!;
        }

        var (request, error) = await ReadAsync(context);
        if (request is null)
        {
            return Refuse(OAuthError.InvalidRequest(error!), client.ClientId);
        }

        foreach (var (tokenId, failure) in request.Errors)
        {
            RevocationLog.FeedEventFailed(logger, client.ClientId, tokenId, failure);
        }

        context.Response.Headers.CacheControl = "no-store";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var deadline = time.GetUtcNow() + LongPollTimeout;
        var acknowledged = request.Acknowledged;
        while (true)
        {
            var appended = signal.Next; // before reading, so an append after the read still wakes this poll
            var batch = await store.PollFeedAsync(client.ClientId, client.CreatedAt, acknowledged, request.MaxEvents, context.RequestAborted);
            var remaining = deadline - time.GetUtcNow();
            if (batch.Events.Count > 0 || request.ReturnImmediately || request.MaxEvents == 0 || remaining <= TimeSpan.Zero || stop.IsCancellationRequested)
            {
                RevocationLog.FeedPolled(logger, client.ClientId, batch.Events.Count, request.Acknowledged.Count, batch.MoreAvailable);
                return Results.Json(new FeedResponse(batch.Events.ToDictionary(e => e.TokenId, e => e.Jwt, StringComparer.Ordinal), batch.MoreAvailable), ServerJson.Options);
            }

            acknowledged = [];
            try
            {
                await appended.WaitAsync(remaining, time, stop.Token);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return Results.Empty; // the receiver is gone; what it did not acknowledge is delivered again
            }
            catch (OperationCanceledException)
            {
                // Shutting down: answer now (one last read) instead of holding the request open.
            }
        }
    }

    /// <summary>
    /// <c>GET /feed/snapshot</c>: the whole current revocation state (every cut-off and every unexpired denied
    /// <c>jti</c>), so a receiver that starts empty, or lost the feed for too long, can rebuild its index before it
    /// calls itself fresh; the feed's acknowledged events are never sent again. <c>as_of</c> is the token service's
    /// clock before the state was read: the snapshot covers every event appended to the feed before it.
    /// </summary>
    public async Task<IResult> HandleSnapshotAsync(HttpContext context)
    {
        var (client, refusal) = await AuthenticateAsync(context);
        if (client is null)
        {
            return refusal!;
        }

        var asOf = time.GetUtcNow();
        var snapshot = await store.LoadAsync(context.RequestAborted);
        RevocationLog.FeedSnapshotServed(logger, client.ClientId, snapshot.Cutoffs.Count, snapshot.DeniedTokens.Count);
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(
            new SnapshotResponse(
                asOf.ToUnixTimeSeconds(),
                [.. snapshot.Cutoffs.Select(c => new SnapshotCutoff(ScopeName(c.Scope), c.Value, c.RevokedBefore.ToUnixTimeSeconds()))],
                [.. snapshot.DeniedTokens.Select(d => new SnapshotDenied(d.TokenId, d.ExpiresAt.ToUnixTimeSeconds()))]),
            ServerJson.Options);
    }

    /// <summary>The receiver's client, authenticated (<c>client_secret_basic</c>) and holding the feed grant; else the refusal.</summary>
    private async Task<(ClientRegistration? Client, IResult? Refusal)> AuthenticateAsync(HttpContext context)
    {
        var auth = await authenticator.AuthenticateAsync(context.Request, FormCollection.Empty, context.RequestAborted);
        if (!auth.Succeeded)
        {
            return (null, Refuse(auth.Error!, "-", auth.UsedBasic || !context.Request.Headers.Authorization.Any()));
        }

        var client = auth.Client!;
        return client.Allows(GrantTypes.RevocationFeed)
            ? (client, null)
            : (null, Refuse(new OAuthError("unauthorized_client", $"This client may not poll the revocation feed; register it with the {GrantTypes.RevocationFeed} grant.", StatusCodes.Status403Forbidden), client.ClientId));
    }

    private static string ScopeName(RevocationScope scope) => scope switch
    {
        RevocationScope.Subject => "subject",
        RevocationScope.Tenant => "tenant",
        _ => "client",
    };

    private IResult Refuse(OAuthError error, string clientId, bool basicChallenge = false)
    {
        RevocationLog.FeedPollRefused(logger, error.Error, clientId);
        return error.ToResult(basicChallenge);
    }

    private static async Task<(PollRequest? Request, string? Error)> ReadAsync(HttpContext context)
    {
        if (!context.Request.HasJsonContentType())
        {
            return (null, "Send the poll request as application/json.");
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = 4 }, context.RequestAborted);
            return Parse(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or BadHttpRequestException or IOException)
        {
            return (null, "The body is not JSON, or larger than allowed.");
        }
    }

    private static (PollRequest? Request, string? Error) Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, "The body must be a JSON object.");
        }

        var acknowledged = new HashSet<string>(StringComparer.Ordinal);
        var errors = new List<(string, string)>();
        var maxEvents = DefaultMaxEvents;
        var returnImmediately = false;
        foreach (var member in body.EnumerateObject())
        {
            switch (member.Name)
            {
                case "ack" when member.Value.ValueKind == JsonValueKind.Array:
                    foreach (var item in member.Value.EnumerateArray())
                    {
                        if (item.ValueKind != JsonValueKind.String || item.GetString() is not { } tokenId || !IsTokenId(tokenId))
                        {
                            return (null, "ack must be an array of SET jti strings.");
                        }

                        acknowledged.Add(tokenId);
                    }

                    break;
                case "setErrs" when member.Value.ValueKind == JsonValueKind.Object:
                    foreach (var failed in member.Value.EnumerateObject())
                    {
                        // RFC 8936 §2.4: reporting an error for a SET also acknowledges it; it is not sent again.
                        if (!IsTokenId(failed.Name))
                        {
                            return (null, "setErrs must be keyed by SET jti.");
                        }

                        acknowledged.Add(failed.Name);
                        errors.Add((failed.Name, ErrorCode(failed.Value)));
                    }

                    break;
                case "maxEvents" when member.Value.ValueKind == JsonValueKind.Number:
                    if (!member.Value.TryGetInt32(out maxEvents) || maxEvents is < 0 or > MaxEvents)
                    {
                        return (null, $"maxEvents must be a whole number from 0 to {MaxEvents}.");
                    }

                    break;
                case "returnImmediately" when member.Value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    returnImmediately = member.Value.GetBoolean();
                    break;
                case "ack" or "setErrs" or "maxEvents" or "returnImmediately":
                    return (null, $"{member.Name} has the wrong JSON type (RFC 8936 §2.4).");
                default:
                    break; // RFC 8936: members a transmitter does not understand are ignored
            }
        }

        return acknowledged.Count > MaxAcknowledgements
            ? (null, $"Acknowledge at most {MaxAcknowledgements} SETs per poll.")
            : (new PollRequest(acknowledged, errors, maxEvents, returnImmediately), null);
    }

    private static bool IsTokenId(string value) =>
        value.Length is > 0 and <= 256 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static string ErrorCode(JsonElement error) =>
        error.ValueKind == JsonValueKind.Object && error.TryGetProperty("err", out var err) && err.ValueKind == JsonValueKind.String
            && err.GetString() is { Length: > 0 and <= 64 } code && code.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? code
            : "unspecified";

    private sealed record PollRequest(IReadOnlyCollection<string> Acknowledged, IReadOnlyList<(string TokenId, string Error)> Errors, int MaxEvents, bool ReturnImmediately);

    private sealed record SnapshotResponse(
        [property: System.Text.Json.Serialization.JsonPropertyName("as_of")] long AsOf,
        [property: System.Text.Json.Serialization.JsonPropertyName("cutoffs")] SnapshotCutoff[] Cutoffs,
        [property: System.Text.Json.Serialization.JsonPropertyName("denied")] SnapshotDenied[] Denied);

    private sealed record SnapshotCutoff(
        [property: System.Text.Json.Serialization.JsonPropertyName("scope")] string Scope,
        [property: System.Text.Json.Serialization.JsonPropertyName("value")] string Value,
        [property: System.Text.Json.Serialization.JsonPropertyName("revoked_before")] long RevokedBefore);

    private sealed record SnapshotDenied(
        [property: System.Text.Json.Serialization.JsonPropertyName("jti")] string Jti,
        [property: System.Text.Json.Serialization.JsonPropertyName("exp")] long Exp);

    private sealed record FeedResponse(
        [property: System.Text.Json.Serialization.JsonPropertyName("sets")] Dictionary<string, string> Sets,
        [property: System.Text.Json.Serialization.JsonPropertyName("moreAvailable")] bool MoreAvailable);
}
