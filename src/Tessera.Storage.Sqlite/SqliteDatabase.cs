using Microsoft.Data.Sqlite;

namespace Tessera.Storage.Sqlite;

/// <summary>
/// One SQLite database file shared by Tessera's stores. Opening it creates the file if needed, switches it
/// to write-ahead logging (readers never block the writer) and applies every migration not yet applied.
/// Connections wait for a busy database instead of failing at once, so several processes can share the file.
/// Thread-safe; create one per file and share it.
/// </summary>
public sealed class SqliteDatabase
{
    /// <summary>How long a connection waits for another writer before failing.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    private readonly string _connectionString;

    private SqliteDatabase(string path, IReadOnlyDictionary<string, int> schemaVersions)
    {
        Path = path;
        _connectionString = ConnectionString(path);
        SchemaVersions = schemaVersions;
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <summary>The schema version of each area after opening.</summary>
    public IReadOnlyDictionary<string, int> SchemaVersions { get; }

    /// <summary>Opens (creating if needed) the database at <paramref name="path"/> with every store's migrations (<see cref="SqliteSchema.Migrations"/>).</summary>
    public static SqliteDatabase Open(string path) => Open(path, SqliteSchema.Migrations);

    /// <summary>Opens (creating if needed) the database at <paramref name="path"/> and applies <paramref name="migrations"/>.</summary>
    /// <exception cref="InvalidOperationException">The file is unusable or was written by a newer Tessera; the message says the fix.</exception>
    public static SqliteDatabase Open(string path, IEnumerable<SqliteMigration> migrations)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(migrations);
        var fullPath = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(fullPath);
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new InvalidOperationException($"The database directory '{directory}' does not exist. Create it, or choose a database path in an existing directory.");
        }

        var plan = SqliteMigrator.Check(migrations);
        try
        {
            using var connection = new SqliteConnection(ConnectionString(fullPath));
            connection.Open();
            Configure(connection);
            Execute(connection, "PRAGMA journal_mode = WAL;");
            var versions = SqliteMigrator.Apply(connection, plan);
            return new SqliteDatabase(fullPath, versions);
        }
        catch (SqliteException e)
        {
            throw new InvalidOperationException($"The database '{fullPath}' cannot be opened: {e.Message}. Check that the path is a Tessera SQLite file and that this process may write it.", e);
        }
    }

    /// <summary>Opens a new connection with the busy timeout and foreign keys on. The caller disposes it.</summary>
    public SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Configure(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static string ConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        Pooling = true,
    }.ToString();

    private static void Configure(SqliteConnection connection) =>
        Execute(connection, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys = ON;");

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
