using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Keys;

namespace Tessera.AspNetCore.Jwks;

/// <summary>
/// Fetches and caches an issuer's JWK Set for a token validator. Thread-safe; build one per issuer and keep it.
/// <list type="bullet">
/// <item>A set is fresh for the response's <c>max-age</c> (clamped); after three quarters of that it is refreshed in the
/// background while the current set keeps serving.</item>
/// <item>At most one fetch runs at a time, and a new one starts at most once per
/// <see cref="JwksClientOptions.MinimumRefreshInterval"/>, whatever asks for it: a thousand concurrent lookups of an
/// unknown <c>kid</c> cause one fetch. Nothing else a token says makes the client fetch.</item>
/// <item>When fetches fail, or return a set that is refused, the last known good set stays in use until
/// <see cref="JwksClientOptions.MaxStaleness"/> past its expiry; then the client fails closed and returns no keys.</item>
/// </list>
/// </summary>
public sealed class JwksClient : IDisposable
{
    /// <summary>The name of the <see cref="HttpClient"/> the client asks <see cref="IHttpClientFactory"/> for.</summary>
    public const string HttpClientName = "Tessera.Jwks";

    private const int MaxLoggedKidLength = 64;

    private static readonly CachedSet Empty = new(null, default, default, default, default);

    private readonly JwksFetcher _fetcher;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly JwksMetrics _metrics;
    private readonly TimeSpan _minimumRefreshInterval;
    private readonly TimeSpan _defaultMaxAge;
    private readonly TimeSpan _minimumMaxAge;
    private readonly TimeSpan _maximumMaxAge;
    private readonly TimeSpan _maxStaleness;
    private readonly TimeSpan _timeout;
    private readonly CancellationTokenSource _disposed = new();

    private readonly Lock _gate = new();
    private Task? _inflight;                  // guarded by _gate
    private DateTimeOffset? _lastFetchStart;  // guarded by _gate
    private volatile CachedSet _cached = Empty;

    /// <summary>Creates a client that fetches with <paramref name="httpClient"/> (which it does not dispose).</summary>
    /// <exception cref="ArgumentException">The options are unusable; the message lists each problem and its fix.</exception>
    public JwksClient(
        JwksClientOptions options,
        HttpClient httpClient,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null)
        : this(options, NotNull(httpClient), timeProvider, loggerFactory, meterFactory)
    {
    }

    /// <summary>Creates a client that takes a fresh <see cref="HttpClient"/> named <see cref="HttpClientName"/> for each fetch.</summary>
    /// <exception cref="ArgumentException">The options are unusable; the message lists each problem and its fix.</exception>
    public JwksClient(
        JwksClientOptions options,
        IHttpClientFactory httpClientFactory,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null)
        : this(options, NotNull(httpClientFactory), timeProvider, loggerFactory, meterFactory)
    {
    }

    private JwksClient(
        JwksClientOptions options,
        Func<HttpClient> httpClient,
        TimeProvider? timeProvider,
        ILoggerFactory? loggerFactory,
        IMeterFactory? meterFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = JwksClientOptionsValidator.Check(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        _fetcher = new JwksFetcher(options, httpClient);
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<JwksClient>();
        _metrics = new JwksMetrics(meterFactory);
        _minimumRefreshInterval = options.MinimumRefreshInterval;
        _defaultMaxAge = options.DefaultMaxAge;
        _minimumMaxAge = options.MinimumMaxAge;
        _maximumMaxAge = options.MaximumMaxAge;
        _maxStaleness = options.MaxStaleness;
        _timeout = options.Timeout;
    }

    /// <summary>
    /// The current key set: from the cache while it is fresh, else after a fetch. Null when no set is usable (none was
    /// ever fetched, or the last known good one is past <see cref="JwksClientOptions.MaxStaleness"/>): reject the token.
    /// Never throws for fetch failures; cancelling stops the wait, not a fetch other callers share.
    /// </summary>
    public ValueTask<JsonWebKeySet?> GetKeysAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        var now = _time.GetUtcNow();
        var cached = _cached;
        if (cached.Keys is not null && now < cached.ExpiresAt)
        {
            if (now >= cached.RefreshAt)
            {
                _ = JoinOrStartFetch(now, "refresh_ahead");
            }

            return new ValueTask<JsonWebKeySet?>(cached.Keys);
        }

        return WaitForFetchAsync(JoinOrStartFetch(now, cached.Keys is null ? "initial" : "expired"), cancellationToken);
    }

    /// <summary>
    /// The key set after a token named <paramref name="kid"/> and the current set lacks it. Refreshes the set if no
    /// fetch started within <see cref="JwksClientOptions.MinimumRefreshInterval"/> (joining one in flight), else returns
    /// the current set. The caller still looks the kid up in the result: it may be absent.
    /// </summary>
    public async ValueTask<JsonWebKeySet?> GetKeysForUnknownKidAsync(string kid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kid);
        var keys = await GetKeysAsync(cancellationToken).ConfigureAwait(false);
        if (keys is null || keys.TryGet(kid, out _) || kid.Length is 0 or > JsonWebKey.MaxKidLength)
        {
            // No usable set means GetKeysAsync already fetched or was rate-limited; an impossible kid is not worth a fetch.
            return keys;
        }

        var loggedKid = kid.Length <= MaxLoggedKidLength ? kid : string.Concat(kid.AsSpan(0, MaxLoggedKidLength), "…");
        var fetch = JoinOrStartFetch(_time.GetUtcNow(), "unknown_kid", loggedKid);
        if (fetch is null)
        {
            _logger.JwksUnknownKidRefreshSuppressed(loggedKid, _fetcher.Source, _minimumRefreshInterval);
            return keys;
        }

        return await WaitForFetchAsync(fetch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops any fetch in flight. Later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (!_disposed.IsCancellationRequested)
        {
            _disposed.Cancel();
            _metrics.Dispose();
        }
    }

    private async ValueTask<JsonWebKeySet?> WaitForFetchAsync(Task? fetch, CancellationToken cancellationToken)
    {
        if (fetch is not null)
        {
            await fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return Usable(_time.GetUtcNow());
    }

    /// <summary>The fetch in flight, else a new one if the interval since the last one has passed, else null.</summary>
    private Task? JoinOrStartFetch(DateTimeOffset now, string trigger, string? unknownKid = null)
    {
        lock (_gate)
        {
            if (_inflight is not null)
            {
                return _inflight;
            }

            if (_lastFetchStart is { } last && now - last < _minimumRefreshInterval)
            {
                return null;
            }

            if (unknownKid is not null)
            {
                _logger.JwksUnknownKidRefresh(unknownKid, _fetcher.Source);
            }

            _lastFetchStart = now;

            // The timeout is armed before the fetch is queued, so a fake clock advanced right after this call fires it.
            var timeout = new CancellationTokenSource(_timeout, _time);
            _inflight = Task.Run(() => FetchAsync(trigger, timeout));
            return _inflight;
        }
    }

    /// <summary>Runs one fetch and stores its result. Never throws: failures are logged and counted.</summary>
    private async Task FetchAsync(string trigger, CancellationTokenSource timeout)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _disposed.Token);
        try
        {
            var fetched = await _fetcher.FetchAsync(linked.Token).ConfigureAwait(false);
            Store(fetched);
            _metrics.Fetched(trigger);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // Disposed: nobody is waiting for the answer.
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Failed(trigger, JwksFailure.Timeout, $"No complete answer within Timeout ({_timeout}).");
        }
        catch (OperationCanceledException)
        {
            Failed(trigger, JwksFailure.Timeout, "The HTTP client gave up waiting (its own HttpClient.Timeout).");
        }
        catch (JwksFetchException e)
        {
            Failed(trigger, e.Failure, e.Message);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            Failed(trigger, JwksFailure.NetworkError, e.Message);
        }
#pragma warning disable CA1031 // A background fetch must not fault the task every validator awaits; the exception is logged.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.JwksFetchFailedUnexpectedly(_fetcher.Source, e);
            _metrics.Failed(trigger, "unexpected");
            LogLastKnownGood();
        }
        finally
        {
            timeout.Dispose();
            lock (_gate)
            {
                _inflight = null;
            }
        }
    }

    private void Store(FetchedKeys fetched)
    {
        foreach (var skipped in fetched.Skipped)
        {
            _logger.JwksKeySkipped(fetched.JwksUri, skipped.Key, skipped.Reason);
        }

        var lifetime = fetched.MaxAge ?? _defaultMaxAge;
        lifetime = lifetime < _minimumMaxAge ? _minimumMaxAge : lifetime > _maximumMaxAge ? _maximumMaxAge : lifetime;
        var now = _time.GetUtcNow();
        _cached = new CachedSet(fetched.Keys, now, now + (lifetime * 0.75), now + lifetime, now + lifetime + _maxStaleness);
        _logger.JwksFetched(fetched.JwksUri, fetched.Keys.Keys.Count, lifetime);
    }

    private void Failed(string trigger, JwksFailure failure, string detail)
    {
        var code = JwksFetchException.ToCode(failure);
        if (failure is JwksFailure.Timeout or JwksFailure.NetworkError or JwksFailure.HttpStatus)
        {
            _logger.JwksFetchFailed(_fetcher.Source, code, detail);
        }
        else
        {
            _logger.JwksSetRefused(_fetcher.Source, code, detail);
        }

        _metrics.Failed(trigger, code);
        LogLastKnownGood();
    }

    private void LogLastKnownGood()
    {
        var cached = _cached;
        if (cached.Keys is not null)
        {
            _logger.JwksKeepingLastKnownGood(_fetcher.Source, cached.FetchedAt, cached.UsableUntil);
        }
    }

    /// <summary>The cached set if it is within its staleness bound; otherwise drops it (once, logged) and returns null.</summary>
    private JsonWebKeySet? Usable(DateTimeOffset now)
    {
        var cached = _cached;
        if (cached.Keys is null || now < cached.UsableUntil)
        {
            return cached.Keys;
        }

        if (Interlocked.CompareExchange(ref _cached, Empty, cached) == cached)
        {
            _logger.JwksFailedClosed(_fetcher.Source, cached.ExpiresAt, _maxStaleness);
        }

        return null;
    }

    private static Func<HttpClient> NotNull(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        return () => httpClient;
    }

    private static Func<HttpClient> NotNull(IHttpClientFactory httpClientFactory)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        return () => httpClientFactory.CreateClient(HttpClientName);
    }

    private sealed record CachedSet(
        JsonWebKeySet? Keys,
        DateTimeOffset FetchedAt,
        DateTimeOffset RefreshAt,
        DateTimeOffset ExpiresAt,
        DateTimeOffset UsableUntil);
}
