using Microsoft.Data.Sqlite;
using static Tessera.Storage.Sqlite.Sessions.SessionRows;

namespace Tessera.Storage.Sqlite.Sessions;

/// <summary>
/// Sign-in sessions (area <c>sessions</c>), found by the SHA-256 of the session cookie. Ending a session revokes the
/// refresh families that came from it. Also applies revocation triggers to sessions and families, once per trigger.
/// Thread-safe, and shared by every process on the file.
/// </summary>
public sealed class SqliteSignInSessionStore
{
    private readonly SqliteDatabase _database;

    /// <summary>A store in <paramref name="database"/>.</summary>
    public SqliteSignInSessionStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <summary>Stores a new session under the hash of its cookie; long-ended sessions are purged on the way.</summary>
    public async Task AddAsync(SignInSession session, byte[] secretHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(secretHash);
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);
        await PurgeAsync(connection, transaction, "sign_in_sessions", "expires_at", session.AuthenticatedAt - SessionsSchema.Retention, cancellationToken).ConfigureAwait(false);
        using (var insert = Command(connection, transaction, """
            INSERT INTO sign_in_sessions (id, secret_hash, user_id, tenant, authenticated_at, expires_at, ended_at, end_reason)
            VALUES ($id, $hash, $user_id, $tenant, $auth_time, $expires_at, NULL, NULL);
            """))
        {
            insert.Parameters.AddWithValue("$id", session.Id);
            insert.Parameters.Add("$hash", SqliteType.Blob).Value = secretHash;
            insert.Parameters.AddWithValue("$user_id", session.UserId);
            insert.Parameters.AddWithValue("$tenant", OrNull(session.Tenant));
            insert.Parameters.AddWithValue("$auth_time", Ms(session.AuthenticatedAt));
            insert.Parameters.AddWithValue("$expires_at", Ms(session.ExpiresAt));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The session named by a cookie's hash, if it has neither ended nor expired at <paramref name="now"/>.</summary>
    public Task<SignInSession?> FindActiveAsync(byte[] secretHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secretHash);
        return FindActiveAsync("secret_hash = $value", secretHash, now, cancellationToken);
    }

    /// <summary>The session with public id <paramref name="sessionId"/> (<c>sid</c>), if it has neither ended nor expired.</summary>
    public Task<SignInSession?> FindActiveByIdAsync(string sessionId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        return FindActiveAsync("id = $value", sessionId, now, cancellationToken);
    }

    /// <summary>
    /// Ends one session and, with <paramref name="revokeFamilies"/>, revokes the families that came from it (a sign-out).
    /// Returns the number of families revoked, or -1 when the session was not active.
    /// </summary>
    public async Task<int> EndAsync(string sessionId, string reason, DateTimeOffset now, bool revokeFamilies = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);
        var ended = await EndSessionsAsync(connection, transaction, "id = $value", sessionId, reason, now, null, cancellationToken).ConfigureAwait(false);
        var families = revokeFamilies
            ? await RevokeFamiliesAsync(connection, transaction, "session_id = $value", sessionId, reason, now, null, cancellationToken).ConfigureAwait(false)
            : 0;
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ended == 0 ? -1 : families;
    }

    /// <summary>Ends every session of a user and revokes every family of the user (a password change, a removed account).</summary>
    public async Task<(int Sessions, int Families)> EndForUserAsync(string userId, string reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);
        var families = await RevokeFamiliesAsync(connection, transaction, "user_id = $value", userId, reason, now, null, cancellationToken).ConfigureAwait(false);
        var sessions = await EndSessionsAsync(connection, transaction, "user_id = $value", userId, reason, now, null, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (sessions, families);
    }

    /// <summary>The triggers among <paramref name="triggerIds"/> already enforced here.</summary>
    public async Task<IReadOnlySet<string>> EnforcedTriggersAsync(IReadOnlyCollection<string> triggerIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(triggerIds);
        var enforced = new HashSet<string>(StringComparer.Ordinal);
        if (triggerIds.Count == 0)
        {
            return enforced;
        }

        using var connection = _database.OpenConnection();
        using var select = Command(connection, null, "SELECT trigger_id FROM enforced_triggers WHERE trigger_id IN (SELECT value FROM json_each($ids));");
        select.Parameters.AddWithValue("$ids", System.Text.Json.JsonSerializer.Serialize(triggerIds));
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            enforced.Add(reader.GetString(0));
        }

        return enforced;
    }

    /// <summary>
    /// Enforces one revocation trigger, once: revokes the families and/or ends the sessions of a subject (<c>user_id</c>)
    /// or tenant that began at or before <paramref name="at"/>. Null when the trigger was already enforced.
    /// </summary>
    public async Task<(int Families, int Sessions)?> EnforceTriggerAsync(
        string triggerId, string eventName, bool tenantScope, string value, DateTimeOffset at, bool revokeFamilies, bool endSessions, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(triggerId);
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(value);
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);
        using (var claim = Command(connection, transaction, """
            INSERT INTO enforced_triggers (trigger_id, event, enforced_at, families_revoked, sessions_ended) VALUES ($id, $event, $now, 0, 0)
            ON CONFLICT (trigger_id) DO NOTHING;
            """))
        {
            claim.Parameters.AddWithValue("$id", triggerId);
            claim.Parameters.AddWithValue("$event", eventName);
            claim.Parameters.AddWithValue("$now", Ms(now));
            if (await claim.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return null;
            }
        }

        var column = tenantScope ? "tenant" : "user_id";
        var families = revokeFamilies
            ? await RevokeFamiliesAsync(connection, transaction, $"{column} = $value", value, eventName, now, at, cancellationToken).ConfigureAwait(false)
            : 0;
        var sessions = endSessions
            ? await EndSessionsAsync(connection, transaction, $"{column} = $value", value, eventName, now, at, cancellationToken).ConfigureAwait(false)
            : 0;
        using (var record = Command(connection, transaction, "UPDATE enforced_triggers SET families_revoked = $families, sessions_ended = $sessions WHERE trigger_id = $id;"))
        {
            record.Parameters.AddWithValue("$id", triggerId);
            record.Parameters.AddWithValue("$families", families);
            record.Parameters.AddWithValue("$sessions", sessions);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (families, sessions);
    }

    private async Task<SignInSession?> FindActiveAsync(string where, object value, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var connection = _database.OpenConnection();
        using var select = Command(connection, null, $"""
            SELECT id, user_id, tenant, authenticated_at, expires_at FROM sign_in_sessions
            WHERE {where} AND ended_at IS NULL AND expires_at > $now;
            """);
        select.Parameters.AddWithValue("$value", value);
        select.Parameters.AddWithValue("$now", Ms(now));
        using var r = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new SignInSession(r.GetString(0), r.GetString(1), NullableString(r, 2), Time(r.GetInt64(3)), Time(r.GetInt64(4)))
            : null;
    }

    private static async Task<int> EndSessionsAsync(
        SqliteConnection connection, SqliteTransaction transaction, string where, string value, string reason, DateTimeOffset now, DateTimeOffset? startedBy, CancellationToken cancellationToken)
    {
        using var end = Command(connection, transaction, $"""
            UPDATE sign_in_sessions SET ended_at = $now, end_reason = $reason
            WHERE {where} AND ended_at IS NULL AND expires_at > $now AND ($by IS NULL OR authenticated_at <= $by);
            """);
        end.Parameters.AddWithValue("$value", value);
        end.Parameters.AddWithValue("$reason", reason);
        end.Parameters.AddWithValue("$now", Ms(now));
        end.Parameters.AddWithValue("$by", startedBy is { } by ? Ms(by) : DBNull.Value);
        return await end.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> RevokeFamiliesAsync(
        SqliteConnection connection, SqliteTransaction transaction, string where, string value, string reason, DateTimeOffset now, DateTimeOffset? createdBy, CancellationToken cancellationToken)
    {
        using var revoke = Command(connection, transaction, $"""
            UPDATE refresh_families SET revoked_at = $now, revoke_reason = $reason
            WHERE {where} AND revoked_at IS NULL AND expires_at > $now AND ($by IS NULL OR created_at <= $by);
            """);
        revoke.Parameters.AddWithValue("$value", value);
        revoke.Parameters.AddWithValue("$reason", reason);
        revoke.Parameters.AddWithValue("$now", Ms(now));
        revoke.Parameters.AddWithValue("$by", createdBy is { } by ? Ms(by) : DBNull.Value);
        return await revoke.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
