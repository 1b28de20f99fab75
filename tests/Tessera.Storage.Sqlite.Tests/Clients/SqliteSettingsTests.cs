using Microsoft.Data.Sqlite;
using Tessera.Storage.Sqlite.Settings;

namespace Tessera.Storage.Sqlite.Tests.Clients;

public sealed class SqliteSettingsTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task GetOrCreateSecretHashingKey_FirstCall_Creates32RandomBytes()
    {
        var key = await new SqliteSettings(SqliteDatabase.Open(_temp.Path)).GetOrCreateSecretHashingKeyAsync();

        Assert.Equal(SqliteSettings.SecretHashingKeyBytes, key.Length);
        Assert.Contains(key, b => b != 0);
    }

    [Fact]
    public async Task GetOrCreateSecretHashingKey_OtherInstancesAndRestart_SameKey()
    {
        var first = await new SqliteSettings(SqliteDatabase.Open(_temp.Path)).GetOrCreateSecretHashingKeyAsync();
        var second = await new SqliteSettings(SqliteDatabase.Open(_temp.Path)).GetOrCreateSecretHashingKeyAsync();
        SqliteConnection.ClearAllPools();
        var restarted = await new SqliteSettings(SqliteDatabase.Open(_temp.Path)).GetOrCreateSecretHashingKeyAsync();

        Assert.Equal(first, second);
        Assert.Equal(first, restarted);
    }

    [Fact]
    public async Task GetOrCreateSecretHashingKey_ConcurrentFirstCalls_AgreeOnOneKey()
    {
        var settings = Enumerable.Range(0, 8).Select(_ => new SqliteSettings(SqliteDatabase.Open(_temp.Path))).ToArray();

        var keys = await Task.WhenAll(settings.Select(s => Task.Run(() => s.GetOrCreateSecretHashingKeyAsync())));

        Assert.All(keys, k => Assert.Equal(keys[0], k));
    }

    [Fact]
    public async Task GetOrCreateSecretHashingKey_OtherDatabase_OtherKey()
    {
        using var other = new TempDatabase();

        var a = await new SqliteSettings(SqliteDatabase.Open(_temp.Path)).GetOrCreateSecretHashingKeyAsync();
        var b = await new SqliteSettings(SqliteDatabase.Open(other.Path)).GetOrCreateSecretHashingKeyAsync();

        Assert.NotEqual(a, b);
    }
}
