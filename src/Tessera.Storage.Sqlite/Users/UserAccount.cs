namespace Tessera.Storage.Sqlite.Users;

/// <summary>
/// A local user who can sign in at the token service. The <see cref="UserId"/> is the tokens' <c>sub</c>: random and
/// stable, never the user name, so tokens carry no personal data. The password exists only as its slow hash.
/// </summary>
public sealed record UserAccount
{
    /// <summary>The subject identifier (<c>sub</c>): <c>usr_</c> and 128 random bits, base64url.</summary>
    public required string UserId { get; init; }

    /// <summary>The name typed at sign-in; unique without regard to ASCII case.</summary>
    public required string Username { get; init; }

    /// <summary>The tenant the user belongs to, if any (the tokens' tenant claim).</summary>
    public string? Tenant { get; init; }

    /// <summary>The password hash in ASP.NET Core Identity's format (<see cref="UserPasswords"/>).</summary>
    public required string PasswordHash { get; init; }

    /// <summary>When the account was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the password was last set.</summary>
    public DateTimeOffset PasswordChangedAt { get; init; }

    /// <summary>Failed sign-ins since the last successful one (or since the last lockout ended).</summary>
    public int FailedSignIns { get; init; }

    /// <summary>Until when sign-in is refused after repeated failures; null when not locked.</summary>
    public DateTimeOffset? LockedUntil { get; init; }

    /// <summary>True when sign-in is refused at <paramref name="now"/>.</summary>
    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && until > now;
}
