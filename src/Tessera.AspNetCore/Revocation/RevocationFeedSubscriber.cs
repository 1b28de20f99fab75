using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore.Jwks;

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

    private readonly RevocationFeedOptions _options;
    private readonly FeedPollClient _client;
    private readonly JwksClient _jwks;
    private readonly SecurityEventApplier _applier;
    private readonly RevocationFeedState _state;
    private readonly RevocationFeedMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Uri _endpoint;
    private bool _snapshotNeeded = true; // at start, and after losing the feed beyond MaxStaleness

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
        _client = new FeedPollClient(options, http, time);
        _jwks = jwks;
        _applier = applier;
        _state = state;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _endpoint = _client.Endpoint;
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
        var errors = new Dictionary<string, FeedPollClient.SetError>(StringComparer.Ordinal);
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
                _snapshotNeeded = true; // events may have been missed for good: rebuild before calling the state fresh again
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

    private async Task<PollOutcome> PollOnceAsync(List<string> acknowledge, Dictionary<string, FeedPollClient.SetError> errors, bool returnImmediately, CancellationToken stoppingToken)
    {
        if (_snapshotNeeded)
        {
            // The feed never re-sends what was acknowledged (by an earlier run, or a replica sharing the client), so the
            // whole state is loaded first; the state is not confirmed (fresh) until a poll after it completes.
            var (snapshot, snapshotError, detail, status) = await _client.SnapshotAsync(_options.PollTimeout, stoppingToken).ConfigureAwait(false);
            if (snapshot is null)
            {
                _metrics.Polled(snapshotError);
                if (snapshotError == "credentials_refused")
                {
                    LoggingExtensions.FeedCredentialsRefused(_logger, _client.SnapshotEndpoint, status);
                }

                return PollOutcome.Failed(snapshotError!, detail);
            }

            LoggingExtensions.SnapshotLoaded(_logger, _client.SnapshotEndpoint, _applier.ApplySnapshot(snapshot));
            _snapshotNeeded = false;
        }

        var request = new FeedPollClient.PollRequest(acknowledge, errors.Count > 0 ? errors : null, _options.MaxEventsPerPoll, returnImmediately);
        var answer = await _client.PollAsync(request, _options.PollTimeout, stoppingToken).ConfigureAwait(false);
        _metrics.Polled(answer.ErrorType);
        if (answer.ErrorType is { } errorType)
        {
            if (errorType == "credentials_refused")
            {
                LoggingExtensions.FeedCredentialsRefused(_logger, _endpoint, answer.Status);
            }

            return PollOutcome.Failed(errorType, answer.Detail);
        }

        return await ApplyAsync(answer, stoppingToken).ConfigureAwait(false);
    }

    private async Task<PollOutcome> ApplyAsync(FeedPollClient.Answer feed, CancellationToken cancellationToken)
    {
        var answeredAt = feed.AnsweredAt;
        var acknowledge = new List<string>(feed.Sets.Count);
        var errors = new Dictionary<string, FeedPollClient.SetError>(StringComparer.Ordinal);
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
                var refreshed = await _jwks.GetKeysForUnknownKidAsync(SecurityEventApplier.KidOf(set) ?? string.Empty, cancellationToken).ConfigureAwait(false);
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
                errors[setId] = new FeedPollClient.SetError(error!, description!);
            }
        }

        return new PollOutcome(acknowledge, errors, feed.MoreAvailable, pending, answeredAt, null, null);
    }

    /// <summary>On shutdown, acknowledges what was applied so another start is not sent it again; best effort, briefly.</summary>
    private async Task AcknowledgeOnStopAsync(List<string> acknowledge, Dictionary<string, FeedPollClient.SetError> errors)
    {
        if (acknowledge.Count + errors.Count == 0)
        {
            return;
        }

        // A failure here is harmless: unacknowledged events are delivered again and applied again.
        var request = new FeedPollClient.PollRequest(acknowledge, errors.Count > 0 ? errors : null, 0, true);
        await _client.PollAsync(request, TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(false);
    }

    private static TimeSpan Jitter(TimeSpan delay) =>
        TimeSpan.FromTicks(delay.Ticks * RandomNumberGenerator.GetInt32(80, 121) / 100);

    private sealed record PollOutcome(
        List<string> Acknowledge,
        Dictionary<string, FeedPollClient.SetError> Errors,
        bool MoreAvailable,
        int Pending,
        DateTimeOffset AnsweredAt,
        string? ErrorType,
        string? Detail)
    {
        public static PollOutcome Failed(string errorType, string? detail = null) => new([], [], false, 0, default, errorType, detail);
    }
}
