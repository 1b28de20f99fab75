using Tessera.Storage.Sqlite.Clients;
using Tessera.Storage.Sqlite.Keys;
using Tessera.Storage.Sqlite.Revocation;
using Tessera.Storage.Sqlite.Sessions;
using Tessera.Storage.Sqlite.Settings;
using Tessera.Storage.Sqlite.Users;

namespace Tessera.Storage.Sqlite;

/// <summary>The migrations of every store in this package, applied by <see cref="SqliteDatabase.Open(string)"/>.</summary>
public static class SqliteSchema
{
    /// <summary>Every store's migrations. A new store adds its list here.</summary>
    public static IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        .. SqliteKeyStore.Migrations,
        .. SqliteSettings.Migrations,
        .. SqliteClientStore.Migrations,
        .. SqliteRevocationStore.Migrations,
        .. SqliteUserStore.Migrations,
        .. SessionsSchema.Migrations,
    ];
}
