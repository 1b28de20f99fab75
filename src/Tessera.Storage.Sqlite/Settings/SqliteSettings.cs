using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Tessera.Clients;

namespace Tessera.Storage.Sqlite.Settings;

/// <summary>
/// Values the server creates once per database and every process that opens the file shares — today the key
/// that client secrets are hashed under, so the token service and <c>tessera clients add</c> hash alike.
/// Thread-safe; two processes creating a value at once agree on one.
/// </summary>
/// <remarks>
/// The secret-hashing key is kept beside the hashes it makes, and that is enough: client secrets are 256 random
/// bits the server generated (<see cref="ClientSecrets"/>), so a stolen hash cannot be reversed by guessing even by
/// someone who also holds the key. A slow password hash buys nothing against 2^256 candidates; what the key adds
/// is that hashes are specific to this database, so a hash copied from one deployment verifies nothing in another.
/// User passwords, which are guessable, are never hashed this way.
/// </remarks>
public sealed class SqliteSettings
{
    private const string SecretHashingKeyName = "client_secret_hashing_key";

    /// <summary>Bytes in the secret-hashing key.</summary>
    public const int SecretHashingKeyBytes = 32;

    private readonly SqliteDatabase _database;

    /// <summary>Settings kept in <paramref name="database"/>.</summary>
    public SqliteSettings(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <summary>The <c>settings</c> schema migrations (part of <see cref="SqliteSchema.Migrations"/>).</summary>
    public static IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new("settings", 1, "server-held settings", """
            CREATE TABLE settings (
                name  TEXT NOT NULL PRIMARY KEY,
                value BLOB NOT NULL
            ) STRICT;
            """),
    ];

    /// <summary>
    /// The key client secrets are hashed under (<see cref="ClientSecrets.Hash"/>): 32 random bytes, created by
    /// the first caller for this database and the same for every caller after. Returns a fresh copy.
    /// </summary>
    /// <exception cref="InvalidOperationException">The stored key has been altered; the message says the fix.</exception>
    public async Task<byte[]> GetOrCreateSecretHashingKeyAsync(CancellationToken cancellationToken = default)
    {
        var key = await GetOrCreateAsync(SecretHashingKeyName, () => RandomNumberGenerator.GetBytes(SecretHashingKeyBytes), cancellationToken).ConfigureAwait(false);
        return key.Length == SecretHashingKeyBytes
            ? key
            : throw new InvalidOperationException(
                $"The database's client secret hashing key is {key.Length} bytes instead of {SecretHashingKeyBytes}; the file has been altered. Restore it from a backup.");
    }

    private async Task<byte[]> GetOrCreateAsync(string name, Func<byte[]> create, CancellationToken cancellationToken)
    {
        var candidate = create();
        try
        {
            using var connection = _database.OpenConnection();
            using var command = connection.CreateCommand();
            // One statement pair in one connection: the first writer's value wins, and everyone reads it back.
            command.CommandText = "INSERT INTO settings (name, value) VALUES ($name, $value) ON CONFLICT (name) DO NOTHING; SELECT value FROM settings WHERE name = $name;";
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.Add("$value", SqliteType.Blob).Value = candidate;
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? (byte[])reader.GetValue(0)
                : throw new InvalidOperationException($"The setting '{name}' could not be stored.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(candidate);
        }
    }
}
