using System.Text.Json;
using System.Threading.Channels;
using Tessera.Jose;
using Tessera.Revocation;
using Tessera.Server.Endpoints;
using Tessera.Tokens;

namespace Tessera.Server.Revocation;

/// <summary>
/// Records every JWT the token endpoint issues, so <c>account_compromise</c> can deny the outstanding ones by
/// <c>jti</c>. Cheap on the request path: a token is queued and written in batches by one background loop (one
/// transaction per batch); <see cref="FlushAsync"/> waits for what was queued before it. The queue is bounded,
/// so a slow disk slows issuance rather than dropping records; at shutdown it is drained.
/// </summary>
internal sealed class IssuedTokenRecorder : IHostedService
{
    private const int Capacity = 16_384;
    private const int BatchSize = 512;

    private readonly Channel<object> _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly IRevocationStore _store;
    private readonly string _tenantClaim;
    private readonly ILogger<IssuedTokenRecorder> _logger;
    private Task _loop = Task.CompletedTask;

    // Not the profiles themselves: they fix the issuer, which is known only once the server has bound its port.
    public IssuedTokenRecorder(IRevocationStore store, ILogger<IssuedTokenRecorder> logger)
    {
        _store = store;
        _tenantClaim = ServerProfiles.TenantClaim;
        _logger = logger;
    }

    /// <summary>Queues <paramref name="token"/>; completes at once unless the queue is full.</summary>
    public ValueTask RecordAsync(IssuedToken token, CancellationToken cancellationToken) =>
        _queue.Writer.TryWrite(token) ? ValueTask.CompletedTask : QueueSlowlyAsync(token, cancellationToken);

    /// <summary>Completes when everything queued before the call is stored.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _queue.Writer.WriteAsync(flushed, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            await _loop.WaitAsync(cancellationToken);
            return;
        }

        await flushed.Task.WaitAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await _loop.WaitAsync(cancellationToken);
    }

    private async ValueTask QueueSlowlyAsync(IssuedToken token, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(token, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            // Shutting down: a request still in flight records its token itself.
            await _store.RecordIssuedAsync([ToRecord(token)], cancellationToken);
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<IssuedToken>(BatchSize);
        var flushes = new List<TaskCompletionSource>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < BatchSize && _queue.Reader.TryRead(out var item))
            {
                if (item is TaskCompletionSource flush)
                {
                    flushes.Add(flush);
                }
                else
                {
                    batch.Add((IssuedToken)item);
                }
            }

            try
            {
                await _store.RecordIssuedAsync([.. batch.Select(ToRecord)]);
            }
#pragma warning disable CA1031 // The loop must outlive a failed write; the failure is logged and the next batch tried.
            catch (Exception e)
#pragma warning restore CA1031
            {
                RevocationLog.RecordingFailed(_logger, batch.Count, e);
            }

            batch.Clear();
            flushes.ForEach(f => f.TrySetResult());
            flushes.Clear();
        }
    }

    /// <summary>Reads <c>sub</c>, the tenant and <c>client_id</c> back from the token this process just signed.</summary>
    private IssuedTokenRecord ToRecord(IssuedToken token)
    {
        var payloadStart = token.Token.IndexOf('.', StringComparison.Ordinal) + 1;
        var payloadEnd = token.Token.IndexOf('.', payloadStart);
        var payload = Base64Url.DecodeOrNull(token.Token[payloadStart..payloadEnd]);
        using var document = JsonDocument.Parse(payload);
        var claims = document.RootElement;
        return new IssuedTokenRecord(
            token.TokenId,
            ServerMetrics.KindName(token.Kind),
            String(claims, "sub"),
            String(claims, _tenantClaim),
            String(claims, "client_id") ?? string.Empty,
            token.ExpiresAt);

        static string? String(JsonElement claims, string name) =>
            claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
