using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tessera.Jose;

namespace Tessera.AspNetCore.Introspection;

/// <summary>
/// Asks the token service whether a token is active (RFC 7662), authenticating as this API with
/// <c>client_secret_basic</c>. Answers are cached briefly, keyed by the token's SHA-256 (the token text is never
/// kept): <c>active</c> for <see cref="IntrospectionOptions.CacheDuration"/> at most, <c>inactive</c> until the token
/// would have expired anyway. Concurrent lookups of one token share one request. Thread-safe; never throws for
/// network or protocol failures — it answers <see cref="IntrospectionStatus.Unavailable"/> and the caller fails closed.
/// </summary>
public sealed class IntrospectionClient
{
    /// <summary>The name of the <see cref="HttpClient"/> taken from <see cref="IHttpClientFactory"/>.</summary>
    public const string HttpClientName = "Tessera.Introspection";

    private const int MaxResponseBytes = 64 * 1024;

    private readonly IntrospectionOptions _options;
    private readonly IHttpClientFactory _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IntrospectionMetrics _metrics;
    private readonly AuthenticationHeaderValue _credentials;
    private readonly ConcurrentDictionary<string, CachedAnswer> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<IntrospectionStatus>> _inflight = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _discovery = new(1, 1);
    private Uri? _endpoint;
    private long _lastPurge;

    /// <summary>Creates the client. </summary>
    /// <exception cref="ArgumentException">The options are unusable; the message lists each problem and its fix.</exception>
    public IntrospectionClient(IOptions<IntrospectionOptions> options, IHttpClientFactory httpClientFactory, TimeProvider time, IMeterFactory meterFactory, ILogger<IntrospectionClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(meterFactory);
        _options = options.Value;
        var problems = _options.Check();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(options));
        }

        _http = httpClientFactory;
        _time = time;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _metrics = new IntrospectionMetrics(meterFactory);
        _endpoint = _options.Endpoint;

        // RFC 6749 §2.3.1: the id and secret are form-encoded before they are joined and base64-encoded.
        var pair = $"{Uri.EscapeDataString(_options.ClientId!)}:{Uri.EscapeDataString(_options.ClientSecret!)}";
        _credentials = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
    }

    /// <summary>
    /// Whether <paramref name="token"/> is active at the token service now. <paramref name="expiresAt"/> (the locally
    /// validated <c>exp</c>) bounds how long the answer is cached; <paramref name="tokenId"/>, when given, must match
    /// the answer's <c>jti</c>.
    /// </summary>
    public async ValueTask<IntrospectionStatus> IntrospectAsync(string token, DateTimeOffset? expiresAt = null, string? tokenId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var key = CacheKey(token);
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && now < cached.Until)
        {
            _metrics.Lookup(cached.Status, cached: true);
            return cached.Status;
        }

        var shared = _inflight.GetOrAdd(key, _ => RequestAndCacheAsync(key, token, expiresAt, tokenId));
        try
        {
            var status = await shared.WaitAsync(cancellationToken).ConfigureAwait(false);
            _metrics.Lookup(status, cached: false);
            return status;
        }
        finally
        {
            if (shared.IsCompleted)
            {
                _inflight.TryRemove(new KeyValuePair<string, Task<IntrospectionStatus>>(key, shared));
            }
        }
    }

    private async Task<IntrospectionStatus> RequestAndCacheAsync(string key, string token, DateTimeOffset? expiresAt, string? tokenId)
    {
        await Task.Yield(); // run outside GetOrAdd's factory
        var started = _time.GetTimestamp();
        var status = await RequestAsync(token, tokenId).ConfigureAwait(false);
        _metrics.Requested(status, _time.GetElapsedTime(started));
        var now = _time.GetUtcNow();
        var until = status switch
        {
            IntrospectionStatus.Active => now + _options.CacheDuration,
            IntrospectionStatus.Inactive => expiresAt ?? now + _options.CacheDuration,
            _ => now,
        };
        if (expiresAt is { } exp && until > exp)
        {
            until = exp;
        }

        if (until > now)
        {
            Store(key, new CachedAnswer(status, until), now);
        }

        _inflight.TryRemove(key, out _);
        return status;
    }

    private async Task<IntrospectionStatus> RequestAsync(string token, string? tokenId)
    {
        var where = _endpoint?.ToString() ?? _options.Issuer ?? "-";
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        try
        {
            var http = _http.CreateClient(HttpClientName);
            var endpoint = _endpoint ?? await DiscoverAsync(http, timeout.Token).ConfigureAwait(false);
            where = endpoint.ToString();
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
            {
                Content = new FormUrlEncodedContent([new("token", token), new("token_type_hint", "access_token")]),
            };
            request.Headers.Authorization = _credentials;
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                LoggingExtensions.IntrospectionCredentialsRefused(_logger, where, (int)response.StatusCode);
                return IntrospectionStatus.Unavailable;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                LoggingExtensions.IntrospectionFailed(_logger, where, "http_status", $"HTTP {(int)response.StatusCode}");
                return IntrospectionStatus.Unavailable;
            }

            var body = await ReadBoundedAsync(response, timeout.Token).ConfigureAwait(false);
            return Interpret(body, tokenId, where);
        }
        catch (OperationCanceledException)
        {
            LoggingExtensions.IntrospectionFailed(_logger, where, "timeout", $"no answer within {_options.Timeout}");
            return IntrospectionStatus.Unavailable;
        }
        catch (HttpRequestException e)
        {
            LoggingExtensions.IntrospectionFailed(_logger, where, "network_error", e.Message);
            return IntrospectionStatus.Unavailable;
        }
    }

    private IntrospectionStatus Interpret(byte[]? body, string? tokenId, string where)
    {
        if (body is null)
        {
            LoggingExtensions.IntrospectionFailed(_logger, where, "too_large", $"the answer exceeds {MaxResponseBytes} bytes");
            return IntrospectionStatus.Unavailable;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("active", out var active) || active.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                LoggingExtensions.IntrospectionFailed(_logger, where, "invalid_response", "the answer has no boolean \"active\"");
                return IntrospectionStatus.Unavailable;
            }

            if (!active.GetBoolean())
            {
                return IntrospectionStatus.Inactive;
            }

            if (tokenId is not null && root.TryGetProperty("jti", out var jti) && (jti.ValueKind != JsonValueKind.String || jti.GetString() != tokenId))
            {
                LoggingExtensions.IntrospectionFailed(_logger, where, "invalid_response", "the answer describes another token (jti differs)");
                return IntrospectionStatus.Unavailable;
            }

            return IntrospectionStatus.Active;
        }
        catch (JsonException)
        {
            LoggingExtensions.IntrospectionFailed(_logger, where, "invalid_response", "the answer is not JSON");
            return IntrospectionStatus.Unavailable;
        }
    }

    private async Task<Uri> DiscoverAsync(HttpClient http, CancellationToken cancellationToken)
    {
        await _discovery.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _endpoint ??= await IssuerMetadata.ReadEndpointAsync(http, _options.Issuer!, "introspection_endpoint", _options.RequireHttps, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _discovery.Release();
        }
    }

    private void Store(string key, CachedAnswer answer, DateTimeOffset now)
    {
        if (_cache.Count >= _options.MaxCacheEntries)
        {
            var last = Interlocked.Read(ref _lastPurge);
            if (now.UtcTicks - last > TimeSpan.TicksPerSecond && Interlocked.CompareExchange(ref _lastPurge, now.UtcTicks, last) == last)
            {
                foreach (var (k, v) in _cache)
                {
                    if (v.Until <= now)
                    {
                        _cache.TryRemove(k, out _);
                    }
                }
            }

            if (_cache.Count >= _options.MaxCacheEntries)
            {
                return; // full of live answers: ask again next time rather than grow
            }
        }

        _cache[key] = answer;
    }

    private static async Task<byte[]?> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            return null;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[Math.Min(MaxResponseBytes + 1, (int?)response.Content.Headers.ContentLength + 1 ?? MaxResponseBytes + 1)];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
        {
            read += n;
        }

        return read > MaxResponseBytes ? null : buffer[..read];
    }

    private static string CacheKey(string token)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(token), hash);
        return Base64Url.Encode(hash);
    }

    private readonly record struct CachedAnswer(IntrospectionStatus Status, DateTimeOffset Until);
}
