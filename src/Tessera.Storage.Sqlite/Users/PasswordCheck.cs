namespace Tessera.Storage.Sqlite.Users;

/// <summary>The outcome of <see cref="UserPasswords.Verify"/>.</summary>
public enum PasswordCheck
{
    /// <summary>Wrong password (or no such user).</summary>
    Failed,

    /// <summary>Right password.</summary>
    Succeeded,

    /// <summary>Right password, hashed in an older format or with fewer iterations: store a new hash.</summary>
    SucceededRehashNeeded,
}
