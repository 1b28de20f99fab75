namespace Tessera.Server.Sessions;

/// <summary>How long the refresh tokens of one client type live: unused (idle) and in all (absolute, from sign-in).</summary>
internal sealed class RefreshLifetime
{
    /// <summary>The longest absolute lifetime accepted.</summary>
    public static readonly TimeSpan MaxAbsolute = TimeSpan.FromDays(365);

    /// <summary>A refresh token not used within this lapses (each rotation starts it again).</summary>
    public TimeSpan Idle { get; set; }

    /// <summary>No refresh after this, counted from the code exchange, however active the client is.</summary>
    public TimeSpan Absolute { get; set; }

    public void Validate(string clientType)
    {
        if (Idle < TimeSpan.FromMinutes(1) || Absolute > MaxAbsolute || Idle > Absolute)
        {
            throw UserSessionOptions.Problem(
                $"{clientType} refresh lifetimes (Idle {Idle}, Absolute {Absolute}) must satisfy 00:01:00 <= Idle <= Absolute <= 365.00:00:00.");
        }
    }
}
