using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore.Jwks;
using Tessera.Keys;

namespace Tessera.AspNetCore.Revocation;

/// <summary>
/// Keeps this API's revocation index current from the token service's revocation feed: long-polls it (RFC 8936)
/// as a client (<c>client_secret_basic</c>), verifies each Security Event Token with the issuer's JWK Set, applies
/// cut-offs and denied tokens, acknowledges them in the next poll (or reports them in <c>setErrs</c>), and records in
/// <see cref="RevocationFeedState"/> when the state was last confirmed. Failed polls are retried with capped,
/// jittered exponential back-off; nothing the feed sends can stop the loop.
/// </summary>
public sealed class RevocationFeedSubscriber : BackgroundService
{
    /// <summary>The name of the <see cref="HttpClient"/> taken from <see cref="IHttpClientFactory"/>.</summary>
    public const string HttpClientName = "Tessera.RevocationFeed";

    private const int MaxResponseBytes = 4 * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly RevocationFeedOptions _options;
    private readonly IHttpClientFactory _http;
    private readonly JwksClient _jwks;
    private readonly SecurityEventApplier _applier;
    private readonly RevocationFeedState _state;
    private readonly RevocationFeedMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AuthenticationHeaderValue _credentials;
    private readonly Uri _endpoint;

    internal RevocationFeedSubscriber(
        RevocationFeedOptions options,
        IHttpClientFactory http,
        JwksClient jwks,
        SecurityEventApplier applier,
        RevocationFeedState state,
        RevocationFeedMetrics metrics,
        TimeProvider time,
        ILogger logger)
    {
        _options = options;
        _http = http;
        _jwks = jwks;
        _applier = applier;
        _state = state;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _endpoint = options.EffectivePollEndpoint;
        var pair = $"{Uri.EscapeDataString(options.ClientId!)}:{Uri.EscapeDataString(options.ClientSecret!)}";
        _credentials = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _jwks.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var acknowledge = new List<string>();
        var errors = new Dictionary<string, SetError>(StringComparer.Ordinal);
        var delay = _options.MinRetryDelay;
        var returnImmediately = true; // catch up first
        var current = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            PollOutcome outcome;
            try
            {
                outcome = await PollOnceAsync(acknowledge, errors, returnImmediately, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // The subscriber must outlive any bug or surprise; it is logged and retried.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LoggingExtensions.SubscriberFailed(_logger, e);
                _metrics.Polled("unexpected");
                outcome = PollOutcome.Failed("unexpected");
            }

            if (outcome.ErrorType is null)
            {
                acknowledge = outcome.Acknowledge;
                errors = outcome.Errors;
                if (outcome.Pending == 0)
                {
                    if (!outcome.MoreAvailable)
                    {
                        _state.Synced(outcome.AnsweredAt);
                        if (!current)
                        {
                            current = true;
                            LoggingExtensions.FeedCurrent(_logger, _endpoint, _state.EventsApplied);
                        }
                    }

                    // More to fetch: at once; else the next poll waits at the token service for new events.
                    returnImmediately = outcome.MoreAvailable;
                    delay = _options.MinRetryDelay;
                    continue;
                }

                // Events wait for keys: poll again after a pause, not in a tight loop.
                returnImmediately = true;
                LoggingExtensions.KeysUnavailable(_logger, outcome.Pending);
            }

            if (current && !_state.IsFresh())
            {
                current = false;
                LoggingExtensions.StateStale(_logger, _state.Staleness ?? TimeSpan.Zero, _options.MaxStaleness);
            }

            var wait = Jitter(delay);
            if (outcome.ErrorType is { } errorType)
            {
                LoggingExtensions.PollFailed(_logger, _endpoint, errorType, outcome.Detail ?? errorType, wait);
            }

            try
            {
                await Task.Delay(wait, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
        }

        await AcknowledgeOnStopAsync(acknowledge, errors).ConfigureAwait(false);
    }

    private async Task<PollOutcome> PollOnceAsync(List<string> acknowledge, Dictionary<string, SetError> errors, bool returnImmediately, CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(_options.PollTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stoppingToken);
        FeedResponse? feed;
        try
        {
            var http = _http.CreateClient(HttpClientName);
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
            {
                Content = JsonContent.Create(new PollRequest(acknowledge, errors.Count > 0 ? errors : null, _options.MaxEventsPerPoll, returnImmediately), options: Json),
            };
            request.Headers.Authorization = _credentials;
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                LoggingExtensions.FeedCredentialsRefused(_logger, _endpoint, (int)response.StatusCode);
                _metrics.Polled("credentials_refused");
                return PollOutcome.Failed("credentials_refused", $"HTTP {(int)response.StatusCode}");
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                _metrics.Polled("http_status");
                return PollOutcome.Failed("http_status", $"HTTP {(int)response.StatusCode}");
            }

            feed = await ReadAsync(response, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            _metrics.Polled("timeout");
            return PollOutcome.Failed("timeout", $"no answer within PollTimeout ({_options.PollTimeout})");
        }
        catch (HttpRequestException e)
        {
            _metrics.Polled("network_error");
            return PollOutcome.Failed("network_error", e.Message);
        }
        catch (IOException e)
        {
            _metrics.Polled("network_error");
            return PollOutcome.Failed("network_error", e.Message);
        }

        var answeredAt = _time.GetUtcNow();
        if (feed?.Sets is null)
        {
            _metrics.Polled("invalid_response");
            return PollOutcome.Failed("invalid_response", "the answer is not an RFC 8936 poll response");
        }

        _metrics.Polled(null);
        return await ApplyAsync(feed, answeredAt, stoppingToken).ConfigureAwait(false);
    }

    private async Task<PollOutcome> ApplyAsync(FeedResponse feed, DateTimeOffset answeredAt, CancellationToken cancellationToken)
    {
        var acknowledge = new List<string>(feed.Sets!.Count);
        var errors = new Dictionary<string, SetError>(StringComparer.Ordinal);
        var pending = 0;
        if (feed.Sets.Count == 0)
        {
            return new PollOutcome(acknowledge, errors, feed.MoreAvailable, pending, answeredAt, null, null);
        }

        var keys = await _jwks.GetKeysAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (setId, set) in feed.Sets)
        {
            if (keys is null || setId.Length is 0 or > 256)
            {
                pending += keys is null ? 1 : 0;
                continue;
            }

            var (outcome, error, description) = _applier.Apply(setId, set, keys);
            if (outcome == SecurityEventApplier.Outcome.KeyMissing)
            {
                // A SET signed by a key published after the last fetch: refresh (rate-limited) and try once more.
                var refreshed = await _jwks.GetKeysForUnknownKidAsync(KidOf(set) ?? string.Empty, cancellationToken).ConfigureAwait(false);
                (outcome, error, description) = refreshed is null ? (outcome, null, null) : _applier.Apply(setId, set, refreshed);
                if (outcome == SecurityEventApplier.Outcome.KeyMissing)
                {
                    pending++;
                    continue;
                }
            }

            if (outcome == SecurityEventApplier.Outcome.Applied)
            {
                acknowledge.Add(setId);
                _state.Applied(1);
            }
            else
            {
                errors[setId] = new SetError(error!, description!);
            }
        }

        return new PollOutcome(acknowledge, errors, feed.MoreAvailable, pending, answeredAt, null, null);
    }

    /// <summary>On shutdown, acknowledges what was applied so another start is not sent it again; best effort, briefly.</summary>
    private async Task AcknowledgeOnStopAsync(List<string> acknowledge, Dictionary<string, SetError> errors)
    {
        if (acknowledge.Count + errors.Count == 0)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
            {
                Content = JsonContent.Create(new PollRequest(acknowledge, errors.Count > 0 ? errors : null, 0, true), options: Json),
            };
            request.Headers.Authorization = _credentials;
            using var response = await _http.CreateClient(HttpClientName).SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            // Unacknowledged events are delivered again and applied again: harmless.
        }
    }

    private static async Task<FeedResponse?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
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
            return JsonSerializer.Deserialize<FeedResponse>(bounded.GetBuffer().AsSpan(0, (int)bounded.Length));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The header's <c>kid</c> of a SET, only to ask the JWKS client for a refresh (bounded by the client itself).</summary>
    private static string? KidOf(string set)
    {
        var dot = set.IndexOf('.', StringComparison.Ordinal);
        if (dot is <= 0 or > 2048)
        {
            return null;
        }

        if (Jose.Base64Url.DecodeOrNull(set[..dot]) is not { } header)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(header);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("kid", out var kid) && kid.ValueKind == JsonValueKind.String ? kid.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static TimeSpan Jitter(TimeSpan delay) =>
        TimeSpan.FromTicks(delay.Ticks * RandomNumberGenerator.GetInt32(80, 121) / 100);

    private sealed record PollRequest(
        [property: JsonPropertyName("ack")] IReadOnlyList<string> Ack,
        [property: JsonPropertyName("setErrs")] IReadOnlyDictionary<string, SetError>? SetErrs,
        [property: JsonPropertyName("maxEvents")] int MaxEvents,
        [property: JsonPropertyName("returnImmediately")] bool ReturnImmediately);

    private sealed record SetError(
        [property: JsonPropertyName("err")] string Err,
        [property: JsonPropertyName("description")] string Description);

    private sealed record FeedResponse(
        [property: JsonPropertyName("sets")] Dictionary<string, string>? Sets,
        [property: JsonPropertyName("moreAvailable")] bool MoreAvailable);

    private sealed record PollOutcome(
        List<string> Acknowledge,
        Dictionary<string, SetError> Errors,
        bool MoreAvailable,
        int Pending,
        DateTimeOffset AnsweredAt,
        string? ErrorType,
        string? Detail)
    {
        public static PollOutcome Failed(string errorType, string? detail = null) => new([], [], false, 0, default, errorType, detail);
    }
}
