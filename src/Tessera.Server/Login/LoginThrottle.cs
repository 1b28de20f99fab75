using System.Threading.RateLimiting;
using Tessera.Server.Sessions;

namespace Tessera.Server.Login;

/// <summary>
/// Password attempts per client address per minute, whatever the account — against guessing many accounts from one
/// place. (Guessing one account from many places is stopped by the account lockout.)
/// </summary>
internal sealed class LoginThrottle(UserSessionOptions options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.SignInAttemptsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>True when one more attempt from <paramref name="address"/> is allowed now.</summary>
    public bool TryAcquire(string address)
    {
        using var lease = _limiter.AttemptAcquire(address);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
