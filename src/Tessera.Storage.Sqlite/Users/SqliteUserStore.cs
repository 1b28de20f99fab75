using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Tessera.Jose;

namespace Tessera.Storage.Sqlite.Users;

/// <summary>
/// The local user store in a <see cref="SqliteDatabase"/> (area <c>users</c>): one row per user with the password's
/// slow hash and the failed-sign-in counter behind the lockout, shared by the token service and
/// <c>tessera users</c>. Thread-safe; counters change in single statements, so parallel failures all count.
/// </summary>
public sealed class SqliteUserStore
{
    private const string Columns = "user_id, username, tenant, password_hash, created_at, password_changed_at, failed_sign_ins, locked_until";

    private readonly SqliteDatabase _database;

    /// <summary>A store in <paramref name="database"/>.</summary>
    public SqliteUserStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <summary>The <c>users</c> schema migrations (part of <see cref="SqliteSchema.Migrations"/>).</summary>
    public static IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new("users", 1, "local users", """
            CREATE TABLE users (
                user_id             TEXT    NOT NULL PRIMARY KEY,
                username            TEXT    NOT NULL UNIQUE COLLATE NOCASE,
                tenant              TEXT,
                password_hash       TEXT    NOT NULL,
                created_at          INTEGER NOT NULL,
                password_changed_at INTEGER NOT NULL,
                failed_sign_ins     INTEGER NOT NULL DEFAULT 0,
                locked_until        INTEGER,
                last_sign_in_at     INTEGER
            ) STRICT;
            CREATE INDEX users_tenant ON users (tenant) WHERE tenant IS NOT NULL;
            """),
    ];

    /// <summary>A new subject identifier: <c>usr_</c> and 128 random bits.</summary>
    public static string NewUserId() => "usr_" + Base64Url.Encode(RandomNumberGenerator.GetBytes(16));

    /// <summary>Adds a user; false when the user name (in any ASCII case) or the id is taken.</summary>
    /// <exception cref="ArgumentException">The user name or tenant breaks <see cref="UserRules"/>.</exception>
    public async Task<bool> AddAsync(UserAccount user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if ((UserRules.UsernameProblem(user.Username) ?? UserRules.TenantProblem(user.Tenant)) is { } problem)
        {
            throw new ArgumentException(problem, nameof(user));
        }

        ArgumentException.ThrowIfNullOrEmpty(user.PasswordHash);
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO users ({Columns}) VALUES ($user_id, $username, $tenant, $hash, $created_at, $changed_at, 0, NULL)
            ON CONFLICT DO NOTHING;
            """;
        command.Parameters.AddWithValue("$user_id", user.UserId);
        command.Parameters.AddWithValue("$username", user.Username);
        command.Parameters.AddWithValue("$tenant", (object?)user.Tenant ?? DBNull.Value);
        command.Parameters.AddWithValue("$hash", user.PasswordHash);
        command.Parameters.AddWithValue("$created_at", user.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$changed_at", (user.PasswordChangedAt == default ? user.CreatedAt : user.PasswordChangedAt).ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>The user signing in as <paramref name="username"/> (ASCII case ignored), or null.</summary>
    public Task<UserAccount?> FindByUsernameAsync(string username, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        return FindAsync("username = $value", username, cancellationToken);
    }

    /// <summary>The user with subject <paramref name="userId"/>, or null.</summary>
    public Task<UserAccount?> FindByIdAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return FindAsync("user_id = $value", userId, cancellationToken);
    }

    /// <summary>Every user, ordered by user name.</summary>
    public async Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken = default)
    {
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM users ORDER BY username COLLATE NOCASE;";
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var users = new List<UserAccount>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            users.Add(Read(reader));
        }

        return users;
    }

    /// <summary>Removes the user; returns the removed account, or null when there was none.</summary>
    public async Task<UserAccount?> RemoveAsync(string username, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        using var connection = _database.OpenConnection();
        SqliteDatabase.Execute(connection, "PRAGMA secure_delete = ON;");
        using var command = connection.CreateCommand();
        command.CommandText = $"DELETE FROM users WHERE username = $username RETURNING {Columns};";
        command.Parameters.AddWithValue("$username", username);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    /// <summary>Stores a new password hash and lifts any lockout; returns the updated account, or null when there is no such user.</summary>
    public async Task<UserAccount?> SetPasswordHashAsync(string username, string passwordHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentException.ThrowIfNullOrEmpty(passwordHash);
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            UPDATE users SET password_hash = $hash, password_changed_at = $now, failed_sign_ins = 0, locked_until = NULL
            WHERE username = $username RETURNING {Columns};
            """;
        command.Parameters.AddWithValue("$username", username);
        command.Parameters.AddWithValue("$hash", passwordHash);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    /// <summary>
    /// Counts a failed sign-in in one statement; the <paramref name="maxFailures"/>th in a row locks the account until
    /// <paramref name="now"/> + <paramref name="lockout"/>. A failure after a lockout has ended starts the count again.
    /// Returns the account as it is now, or null when there is no such user.
    /// </summary>
    public async Task<UserAccount?> RecordFailedSignInAsync(string userId, DateTimeOffset now, int maxFailures, TimeSpan lockout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFailures, 1);
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            UPDATE users SET
                failed_sign_ins = CASE WHEN locked_until IS NOT NULL AND locked_until <= $now THEN 1 ELSE failed_sign_ins + 1 END,
                locked_until = CASE
                    WHEN locked_until IS NOT NULL AND locked_until <= $now THEN NULL
                    WHEN locked_until IS NOT NULL THEN locked_until
                    WHEN failed_sign_ins + 1 >= $max THEN $until
                    ELSE NULL END
            WHERE user_id = $user_id RETURNING {Columns};
            """;
        command.Parameters.AddWithValue("$user_id", userId);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$max", maxFailures);
        command.Parameters.AddWithValue("$until", (now + lockout).ToUnixTimeMilliseconds());
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    /// <summary>Records a successful sign-in: clears the failure count, and stores <paramref name="upgradedHash"/> when given.</summary>
    public async Task RecordSignInAsync(string userId, DateTimeOffset now, string? upgradedHash = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE users SET failed_sign_ins = 0, locked_until = NULL, last_sign_in_at = $now,
                password_hash = coalesce($hash, password_hash)
            WHERE user_id = $user_id;
            """;
        command.Parameters.AddWithValue("$user_id", userId);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$hash", (object?)upgradedHash ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<UserAccount?> FindAsync(string where, string value, CancellationToken cancellationToken)
    {
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM users WHERE {where};";
        command.Parameters.AddWithValue("$value", value);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    private static UserAccount Read(SqliteDataReader reader) => new()
    {
        UserId = reader.GetString(0),
        Username = reader.GetString(1),
        Tenant = reader.IsDBNull(2) ? null : reader.GetString(2),
        PasswordHash = reader.GetString(3),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
        PasswordChangedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
        FailedSignIns = reader.GetInt32(6),
        LockedUntil = reader.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
    };
}
