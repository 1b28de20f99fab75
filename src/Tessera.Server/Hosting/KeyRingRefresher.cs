using Tessera.Keys.Ring;
using Tessera.Server.Logging;

namespace Tessera.Server.Hosting;

/// <summary>Applies due key transitions on the policy's interval, so rotation happens without traffic and without a leader.</summary>
internal sealed class KeyRingRefresher(KeyRing ring, TimeProvider time, ILogger<KeyRingRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ring.Policy.RefreshInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ring.RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ServerLog.KeyRingRefreshFailed(logger, e);
            }
        }
    }
}
