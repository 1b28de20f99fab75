using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.AspNetCore.Revocation;

/// <summary>
/// The wire side of one RFC 8936 poll: the JSON request (acknowledgements, errors, <c>maxEvents</c>,
/// <c>returnImmediately</c>) with <c>client_secret_basic</c>, and the bounded, typed reading of the answer.
/// Never throws for network or protocol failures: it says what failed.
/// </summary>
internal sealed class FeedPollClient(RevocationFeedOptions options, IHttpClientFactory http, TimeProvider time)
{
    private const int MaxResponseBytes = 4 * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly AuthenticationHeaderValue _credentials = new(
        "Basic",
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(options.ClientId!)}:{Uri.EscapeDataString(options.ClientSecret!)}")));

    public Uri Endpoint { get; } = options.EffectivePollEndpoint;

    /// <summary>One poll, abandoned after <paramref name="timeout"/>; <paramref name="stopping"/> cancels it (and throws).</summary>
    public async Task<Answer> PollAsync(PollRequest request, TimeSpan timeout, CancellationToken stopping)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, stopping);
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = JsonContent.Create(request, options: Json) };
            message.Headers.Authorization = _credentials;
            using var response = await http.CreateClient(RevocationFeedSubscriber.HttpClientName)
                .SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                return Answer.Failed("credentials_refused", $"HTTP {(int)response.StatusCode}", (int)response.StatusCode);
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                return Answer.Failed("http_status", $"HTTP {(int)response.StatusCode}", (int)response.StatusCode);
            }

            var feed = await ReadAsync(response, linked.Token).ConfigureAwait(false);
            return feed?.Sets is null
                ? Answer.Failed("invalid_response", "the answer is not an RFC 8936 poll response")
                : new Answer(feed.Sets, feed.MoreAvailable, time.GetUtcNow(), null, null, 200);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            return Answer.Failed("timeout", $"no answer within PollTimeout ({timeout})");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return Answer.Failed("network_error", e.Message);
        }
    }

    /// <summary>
    /// <c>GET /feed/snapshot</c> next to the poll endpoint: the token service's whole revocation state, abandoned after
    /// <paramref name="timeout"/>; else why it could not be had.
    /// </summary>
    public async Task<(Snapshot? Snapshot, string? ErrorType, string? Detail, int Status)> SnapshotAsync(TimeSpan timeout, CancellationToken stopping)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, stopping);
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, SnapshotEndpoint);
            message.Headers.Authorization = _credentials;
            using var response = await http.CreateClient(RevocationFeedSubscriber.HttpClientName)
                .SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                return (null, "credentials_refused", $"HTTP {(int)response.StatusCode}", (int)response.StatusCode);
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (null, "http_status", $"HTTP {(int)response.StatusCode}", (int)response.StatusCode);
            }

            var snapshot = await ReadAsync<Snapshot>(response, linked.Token).ConfigureAwait(false);
            return snapshot?.Cutoffs is null || snapshot.Denied is null
                ? (null, "invalid_response", "the answer is not a revocation snapshot", 200)
                : (snapshot, null, null, 200);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            return (null, "timeout", $"no snapshot within PollTimeout ({timeout})", 0);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return (null, "network_error", e.Message, 0);
        }
    }

    /// <summary>The snapshot endpoint: <c>snapshot</c> beside the poll endpoint (<c>/feed/poll</c> → <c>/feed/snapshot</c>).</summary>
    public Uri SnapshotEndpoint => new(Endpoint, "snapshot");

    private static Task<FeedResponse?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        ReadAsync<FeedResponse>(response, cancellationToken);

    private static async Task<T?> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
        where T : class
    {
        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            return null;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var bounded = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (bounded.Length + n > MaxResponseBytes)
            {
                return null;
            }

            bounded.Write(buffer, 0, n);
        }

        try
        {
            return JsonSerializer.Deserialize<T>(bounded.GetBuffer().AsSpan(0, (int)bounded.Length));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The poll request body (RFC 8936 §2.4).</summary>
    internal sealed record PollRequest(
        [property: JsonPropertyName("ack")] IReadOnlyList<string> Ack,
        [property: JsonPropertyName("setErrs")] IReadOnlyDictionary<string, SetError>? SetErrs,
        [property: JsonPropertyName("maxEvents")] int MaxEvents,
        [property: JsonPropertyName("returnImmediately")] bool ReturnImmediately);

    /// <summary>An RFC 8935 error report for one SET.</summary>
    internal sealed record SetError(
        [property: JsonPropertyName("err")] string Err,
        [property: JsonPropertyName("description")] string Description);

    /// <summary>What one poll brought: the SETs by <c>jti</c>, or why there are none.</summary>
    internal sealed record Answer(IReadOnlyDictionary<string, string> Sets, bool MoreAvailable, DateTimeOffset AnsweredAt, string? ErrorType, string? Detail, int Status)
    {
        public static Answer Failed(string errorType, string detail, int status = 0) =>
            new(new Dictionary<string, string>(), false, default, errorType, detail, status);
    }

    /// <summary>The token service's revocation state (<c>GET /feed/snapshot</c>); times are NumericDate seconds.</summary>
    internal sealed record Snapshot(
        [property: JsonPropertyName("as_of")] long AsOf,
        [property: JsonPropertyName("cutoffs")] IReadOnlyList<SnapshotCutoff>? Cutoffs,
        [property: JsonPropertyName("denied")] IReadOnlyList<SnapshotDenied>? Denied);

    /// <summary>One cut-off of a <see cref="Snapshot"/>.</summary>
    internal sealed record SnapshotCutoff(
        [property: JsonPropertyName("scope")] string? Scope,
        [property: JsonPropertyName("value")] string? Value,
        [property: JsonPropertyName("revoked_before")] long RevokedBefore);

    /// <summary>One denied token of a <see cref="Snapshot"/>.</summary>
    internal sealed record SnapshotDenied(
        [property: JsonPropertyName("jti")] string? Jti,
        [property: JsonPropertyName("exp")] long Exp);

    private sealed record FeedResponse(
        [property: JsonPropertyName("sets")] Dictionary<string, string>? Sets,
        [property: JsonPropertyName("moreAvailable")] bool MoreAvailable);
}
