using Microsoft.Data.Sqlite;
using Tessera.Revocation;

namespace Tessera.Storage.Sqlite.Sessions;

/// <summary>Row mapping and the statements the session stores share (family revocation, housekeeping).</summary>
internal static class SessionRows
{
    public const string FamilyColumns =
        "id, client_id, user_id, tenant, session_id, scopes, audiences, authenticated_at, created_at, expires_at, generation, revoked_at, revoke_reason";

    public static string Join(IReadOnlyList<string> values) => string.Join(' ', values);

    public static string[] Split(string value) => value.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static object OrNull(object? value) => value ?? DBNull.Value;

    public static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Reads the columns of <see cref="FamilyColumns"/>, in order, from <paramref name="first"/>.</summary>
    public static RefreshFamily ReadFamily(SqliteDataReader r, int first = 0) => new()
    {
        Id = r.GetString(first),
        ClientId = r.GetString(first + 1),
        UserId = r.GetString(first + 2),
        Tenant = NullableString(r, first + 3),
        SessionId = NullableString(r, first + 4),
        Scopes = Split(r.GetString(first + 5)),
        Audiences = Split(r.GetString(first + 6)),
        AuthenticatedAt = Time(r.GetInt64(first + 7)),
        CreatedAt = Time(r.GetInt64(first + 8)),
        ExpiresAt = Time(r.GetInt64(first + 9)),
        Generation = r.GetInt32(first + 10),
        RevokedAt = r.IsDBNull(first + 11) ? null : Time(r.GetInt64(first + 11)),
        RevokeReason = NullableString(r, first + 12),
    };

    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    public static async Task<RefreshFamily?> FindFamilyAsync(SqliteConnection connection, SqliteTransaction? transaction, string familyId, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, $"SELECT {FamilyColumns} FROM refresh_families WHERE id = $id;");
        command.Parameters.AddWithValue("$id", familyId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadFamily(reader) : null;
    }

    /// <summary>Revokes one family (if not already) and returns its unexpired JWTs, to deny.</summary>
    public static async Task<IReadOnlyList<DeniedToken>> RevokeFamilyAsync(
        SqliteConnection connection, SqliteTransaction transaction, string familyId, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using (var revoke = Command(connection, transaction, "UPDATE refresh_families SET revoked_at = $now, revoke_reason = $reason WHERE id = $id AND revoked_at IS NULL;"))
        {
            revoke.Parameters.AddWithValue("$id", familyId);
            revoke.Parameters.AddWithValue("$now", Ms(now));
            revoke.Parameters.AddWithValue("$reason", reason);
            await revoke.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        using var select = Command(connection, transaction, "SELECT jti, expires_at, subject FROM family_tokens WHERE family_id = $id AND expires_at > $now;");
        select.Parameters.AddWithValue("$id", familyId);
        select.Parameters.AddWithValue("$now", Ms(now));
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var tokens = new List<DeniedToken>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            tokens.Add(new DeniedToken(reader.GetString(0), Time(reader.GetInt64(1)), reader.GetString(2)));
        }

        return tokens;
    }

    /// <summary>Removes up to a batch of rows of <paramref name="table"/> whose <paramref name="column"/> is before <paramref name="before"/>.</summary>
    public static async Task PurgeAsync(SqliteConnection connection, SqliteTransaction transaction, string table, string column, DateTimeOffset before, CancellationToken cancellationToken)
    {
        using var purge = Command(connection, transaction, $"""
            DELETE FROM {table} WHERE rowid IN (SELECT rowid FROM {table} WHERE {column} < $before ORDER BY {column} LIMIT {SessionsSchema.PurgeBatch});
            """);
        purge.Parameters.AddWithValue("$before", Ms(before));
        await purge.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
