using Microsoft.Data.Sqlite;

namespace Tessera.Storage.Sqlite;

/// <summary>Applies numbered migrations per area, once each, inside one immediate transaction.</summary>
internal static class SqliteMigrator
{
    private const string CreateHistory = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            area       TEXT    NOT NULL,
            version    INTEGER NOT NULL,
            name       TEXT    NOT NULL,
            applied_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            PRIMARY KEY (area, version)
        );
        """;

    /// <summary>Groups migrations by area and checks each area numbers its steps 1, 2, 3… without gaps.</summary>
    public static IReadOnlyList<IGrouping<string, SqliteMigration>> Check(IEnumerable<SqliteMigration> migrations)
    {
        var areas = migrations.OrderBy(m => m.Version).GroupBy(m => m.Area, StringComparer.Ordinal).ToArray();
        foreach (var area in areas)
        {
            if (string.IsNullOrWhiteSpace(area.Key) || area.Key != area.Key.ToLowerInvariant())
            {
                throw new ArgumentException($"Migration area '{area.Key}' must be a non-empty lower-case name such as \"keys\".", nameof(migrations));
            }

            var expected = 1;
            foreach (var migration in area)
            {
                if (migration.Version != expected++)
                {
                    throw new ArgumentException($"The '{area.Key}' migrations must be numbered 1, 2, 3… once each; found {string.Join(", ", area.Select(m => m.Version))}.", nameof(migrations));
                }
            }
        }

        return areas;
    }

    public static IReadOnlyDictionary<string, int> Apply(SqliteConnection connection, IReadOnlyList<IGrouping<string, SqliteMigration>> areas)
    {
        // IMMEDIATE: two processes opening a new file at once take turns, and the second sees the first's work.
        using var transaction = connection.BeginTransaction(deferred: false);
        SqliteDatabase.Execute(connection, CreateHistory, transaction);
        var applied = ReadApplied(connection, transaction);
        foreach (var area in areas)
        {
            var current = applied.GetValueOrDefault(area.Key);
            var known = area.Count();
            if (current > known)
            {
                throw new InvalidOperationException(
                    $"The database's '{area.Key}' schema is at version {current}, newer than this Tessera knows ({known}). Run a newer Tessera against it, or use another database file.");
            }

            foreach (var migration in area.Where(m => m.Version > current))
            {
                SqliteDatabase.Execute(connection, migration.Sql, transaction);
                using var record = connection.CreateCommand();
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (area, version, name) VALUES ($area, $version, $name);";
                record.Parameters.AddWithValue("$area", migration.Area);
                record.Parameters.AddWithValue("$version", migration.Version);
                record.Parameters.AddWithValue("$name", migration.Name);
                record.ExecuteNonQuery();
                applied[area.Key] = migration.Version;
            }
        }

        transaction.Commit();
        return applied;
    }

    private static Dictionary<string, int> ReadApplied(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT area, MAX(version) FROM schema_migrations GROUP BY area;";
        using var reader = command.ExecuteReader();
        var applied = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.Read())
        {
            applied[reader.GetString(0)] = reader.GetInt32(1);
        }

        return applied;
    }
}
