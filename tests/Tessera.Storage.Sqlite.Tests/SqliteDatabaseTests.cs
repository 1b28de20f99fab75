using Microsoft.Data.Sqlite;

namespace Tessera.Storage.Sqlite.Tests;

public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static SqliteMigration Example(int version) =>
        new("example", version, $"example v{version}", version == 1
            ? "CREATE TABLE example (id TEXT PRIMARY KEY) STRICT;"
            : $"ALTER TABLE example ADD COLUMN extra{version} TEXT;");

    private string Scalar(SqliteDatabase database, string sql)
    {
        using var connection = database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    [Fact]
    public void Open_NewFile_CreatesItInWalModeWithEveryStoreSchema()
    {
        var database = SqliteDatabase.Open(_temp.Path);

        Assert.True(File.Exists(_temp.Path));
        Assert.Equal("wal", Scalar(database, "PRAGMA journal_mode;"));
        Assert.Equal("10000", Scalar(database, "PRAGMA busy_timeout;"));
        Assert.Equal(1, database.SchemaVersions["keys"]);
        Assert.Equal("0", Scalar(database, "SELECT COUNT(*) FROM signing_keys;"));
    }

    [Fact]
    public void Open_Again_AppliesEachMigrationOnce()
    {
        SqliteDatabase.Open(_temp.Path, [Example(1)]);
        var database = SqliteDatabase.Open(_temp.Path, [Example(1)]);
        Assert.Equal("1", Scalar(database, "SELECT COUNT(*) FROM schema_migrations WHERE area = 'example';"));
    }

    [Fact]
    public void Open_StoreAddsLaterMigration_OnlyTheNewOneRuns()
    {
        SqliteDatabase.Open(_temp.Path, [.. SqliteSchema.Migrations, Example(1)]);
        var database = SqliteDatabase.Open(_temp.Path, [.. SqliteSchema.Migrations, Example(1), Example(2)]);

        Assert.Equal(2, database.SchemaVersions["example"]);
        Assert.Equal(1, database.SchemaVersions["keys"]);
        Assert.Equal("0", Scalar(database, "SELECT COUNT(extra2) FROM example;"));
    }

    [Fact]
    public void Open_SchemaNewerThanThisBuild_RefusesWithTheFix()
    {
        SqliteDatabase.Open(_temp.Path, [Example(1), Example(2)]);
        var e = Assert.Throws<InvalidOperationException>(() => SqliteDatabase.Open(_temp.Path, [Example(1)]));
        Assert.Contains("newer Tessera", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MigrationsNotNumberedFromOne_Refused()
    {
        Assert.Throws<ArgumentException>(() => SqliteDatabase.Open(_temp.Path, [Example(2)]));
        Assert.Throws<ArgumentException>(() => SqliteDatabase.Open(_temp.Path, [Example(1), Example(1)]));
        Assert.Throws<ArgumentException>(() => SqliteDatabase.Open(_temp.Path, [new SqliteMigration("Example", 1, "x", "SELECT 1;")]));
    }

    [Fact]
    public void Open_FailingMigration_LeavesNothingApplied()
    {
        var broken = new SqliteMigration("example", 2, "broken", "CREATE TABLE t (a TEXT); THIS IS NOT SQL;");
        Assert.Throws<InvalidOperationException>(() => SqliteDatabase.Open(_temp.Path, [Example(1), broken]));
        var database = SqliteDatabase.Open(_temp.Path, []);
        Assert.Equal("0", Scalar(database, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('example', 't');"));
    }

    [Fact]
    public void Open_MissingDirectory_SaysWhatToCreate()
    {
        var e = Assert.Throws<InvalidOperationException>(() => SqliteDatabase.Open(Path.Combine(_temp.Directory, "nope", "x.db")));
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_ManyProcessesAtOnceOnANewFile_AllSucceedAndMigrateOnce()
    {
        var opened = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => SqliteDatabase.Open(_temp.Path, [.. SqliteSchema.Migrations, Example(1)]))));
        Assert.All(opened, d => Assert.Equal(1, d.SchemaVersions["example"]));
        Assert.Equal((SqliteSchema.Migrations.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Scalar(opened[0], "SELECT COUNT(*) FROM schema_migrations;"));
    }
}
