using Tessera.Clients;

namespace Tessera.Server.Sessions;

/// <summary>
/// User sign-in and refresh-token settings (configuration section <c>Tessera:Sessions</c>). The defaults are the
/// documented policy (docs/sessions.md); <see cref="Validate"/> refuses unsafe values at start-up with the fix.
/// </summary>
internal sealed class UserSessionOptions
{
    public const string Section = "Tessera:Sessions";

    /// <summary>The longest grace window accepted.</summary>
    public static readonly TimeSpan MaxGraceWindow = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long after a rotation the rotated refresh token may be presented again (a client's retry of a request whose
    /// answer it lost) and receive the same successor. Only the immediate predecessor qualifies; zero turns it off.
    /// </summary>
    public TimeSpan RefreshGraceWindow { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Refresh tokens of web clients (server-side apps and BFFs).</summary>
    public RefreshLifetime Web { get; set; } = new() { Idle = TimeSpan.FromDays(7), Absolute = TimeSpan.FromDays(30) };

    /// <summary>Refresh tokens of native apps (kept in the platform's secure storage).</summary>
    public RefreshLifetime Native { get; set; } = new() { Idle = TimeSpan.FromDays(30), Absolute = TimeSpan.FromDays(90) };

    /// <summary>How long a sign-in at the token service lasts before the password is asked again.</summary>
    public TimeSpan SignInLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Consecutive failed passwords that lock an account.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Password attempts accepted per minute from one client address, whatever the account.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>The refresh lifetimes of a client type; null for browser apps, which never receive refresh tokens.</summary>
    public RefreshLifetime? For(ClientType type) => type switch
    {
        ClientType.Web => Web,
        ClientType.Native => Native,
        _ => null,
    };

    /// <exception cref="InvalidOperationException">A setting is unsafe or inconsistent; the message names the fix.</exception>
    public void Validate()
    {
        if (RefreshGraceWindow < TimeSpan.Zero || RefreshGraceWindow > MaxGraceWindow)
        {
            throw Problem($"RefreshGraceWindow is {RefreshGraceWindow}; use 00:00:00 to 00:01:00 (default 00:00:05). It only absorbs retries; a longer one gives a stolen token more time.");
        }

        Web.Validate("Web");
        Native.Validate("Native");
        if (SignInLifetime < TimeSpan.FromMinutes(1) || SignInLifetime > TimeSpan.FromDays(30))
        {
            throw Problem($"SignInLifetime is {SignInLifetime}; use 00:01:00 to 30.00:00:00 (default 08:00:00).");
        }

        if (MaxFailedSignIns is < 1 or > 100 || LockoutDuration < TimeSpan.FromSeconds(1) || LockoutDuration > TimeSpan.FromDays(1))
        {
            throw Problem($"MaxFailedSignIns {MaxFailedSignIns} / LockoutDuration {LockoutDuration}: use 1 to 100 failures and a lockout of 00:00:01 to 1.00:00:00 (defaults 5 and 00:15:00).");
        }

        if (SignInAttemptsPerMinute is < 1 or > 100_000)
        {
            throw Problem($"SignInAttemptsPerMinute is {SignInAttemptsPerMinute}; use 1 to 100000 (default 10).");
        }
    }

    internal static InvalidOperationException Problem(string message) => new($"{Section}: {message}");
}
