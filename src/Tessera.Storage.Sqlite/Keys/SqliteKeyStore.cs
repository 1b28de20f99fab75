using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Tessera.Keys;
using Tessera.Keys.Ring;

namespace Tessera.Storage.Sqlite.Keys;

/// <summary>
/// The key ring's store in a <see cref="SqliteDatabase"/>. Public keys and transition times are kept in
/// clear; private keys only sealed with AES-256-GCM under the <see cref="KeyEncryptionKey"/>, bound to their
/// kid and algorithm. Writes are all-or-nothing and guarded by the ring version, so two processes sharing the
/// file never both create a key for the same slot. Thread-safe.
/// </summary>
public sealed class SqliteKeyStore : IKeyStore
{
    private const string Columns = "kid, algorithm, generation, public_jwk, sealed_private_jwk, kek_id, created_at, activates_at, retires_at, removes_at, removed_early";

    private readonly SqliteDatabase _database;
    private readonly KeyEncryptionKey? _kek;

    // Keys already opened, by kid, with the stored bytes they came from: a refresh that finds the same
    // bytes reuses the key instead of decrypting and importing it again.
    private readonly ConcurrentDictionary<string, (byte[] Stored, JsonWebKey Key)> _opened = new(StringComparer.Ordinal);

    /// <summary>A store that reads and writes private keys with <paramref name="keyEncryptionKey"/>.</summary>
    public SqliteKeyStore(SqliteDatabase database, KeyEncryptionKey keyEncryptionKey)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(keyEncryptionKey);
        _database = database;
        _kek = keyEncryptionKey;
    }

    private SqliteKeyStore(SqliteDatabase database)
    {
        _database = database;
    }

    /// <summary>The <c>keys</c> schema migrations (part of <see cref="SqliteSchema.Migrations"/>).</summary>
    public static IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new("keys", 1, "key ring version and signing keys", """
            CREATE TABLE key_ring (
                id      INTEGER PRIMARY KEY CHECK (id = 1),
                version INTEGER NOT NULL
            ) STRICT;
            INSERT INTO key_ring (id, version) VALUES (1, 0);
            CREATE TABLE signing_keys (
                kid                TEXT    NOT NULL PRIMARY KEY,
                algorithm          TEXT    NOT NULL,
                generation         INTEGER NOT NULL,
                public_jwk         TEXT    NOT NULL,
                sealed_private_jwk BLOB,
                kek_id             TEXT,
                created_at         INTEGER NOT NULL,
                activates_at       INTEGER NOT NULL,
                retires_at         INTEGER,
                removes_at         INTEGER,
                removed_early      INTEGER NOT NULL DEFAULT 0,
                UNIQUE (algorithm, generation)
            ) STRICT;
            """),
    ];

    /// <summary>
    /// A store that reads public keys only, needing no KEK: for listing keys and exporting the JWKS. Its records
    /// carry no private keys and it refuses to write.
    /// </summary>
    public static SqliteKeyStore PublicKeysOnly(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new SqliteKeyStore(database);
    }

    /// <inheritdoc />
    public async Task<KeyStoreContents> LoadAsync(CancellationToken cancellationToken = default)
    {
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: true);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT version FROM key_ring WHERE id = 1; SELECT {Columns} FROM signing_keys ORDER BY algorithm, generation;";
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var version = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<KeyRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(ReadRecord(reader));
        }

        return new KeyStoreContents(version, keys);
    }

    /// <inheritdoc />
    public async Task<bool> TryWriteAsync(long expectedVersion, IReadOnlyList<KeyRecord> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var kek = _kek ?? throw new InvalidOperationException("This key store was opened for public keys only and cannot write. Open it with the key-encryption key.");
        using var connection = _database.OpenConnection();
        SqliteDatabase.Execute(connection, "PRAGMA secure_delete = ON;");
        using var transaction = connection.BeginTransaction(deferred: false);
        using (var bump = connection.CreateCommand())
        {
            bump.Transaction = transaction;
            bump.CommandText = "UPDATE key_ring SET version = version + 1 WHERE id = 1 AND version = $expected;";
            bump.Parameters.AddWithValue("$expected", expectedVersion);
            if (await bump.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                return false;
            }
        }

        try
        {
            foreach (var record in changes)
            {
                await WriteRecordAsync(connection, transaction, record, kek, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            // SQLITE_CONSTRAINT: a new key would take a slot (algorithm, generation) another writer has filled.
            return false;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static async Task WriteRecordAsync(SqliteConnection connection, SqliteTransaction transaction, KeyRecord record, KeyEncryptionKey kek, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO signing_keys ({Columns})
            VALUES ($kid, $algorithm, $generation, $public_jwk, $sealed, $kek_id, $created_at, $activates_at, $retires_at, $removes_at, $removed_early)
            ON CONFLICT (kid) DO UPDATE SET
                sealed_private_jwk = excluded.sealed_private_jwk, kek_id = excluded.kek_id,
                activates_at = excluded.activates_at, retires_at = excluded.retires_at,
                removes_at = excluded.removes_at, removed_early = excluded.removed_early;
            """;
        byte[]? sealedKey = null;
        if (record.Key.HasPrivateKey)
        {
            var privateJwk = Encoding.UTF8.GetBytes(record.Key.ToPrivateJwkUnsafe());
            try
            {
                sealedKey = kek.Seal(privateJwk, SealContext(record.Kid, record.Algorithm.Name));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(privateJwk);
            }
        }

        var p = command.Parameters;
        p.AddWithValue("$kid", record.Kid);
        p.AddWithValue("$algorithm", record.Algorithm.Name);
        p.AddWithValue("$generation", record.Generation);
        p.AddWithValue("$public_jwk", record.Key.ToPublicJwk());
        p.AddWithValue("$sealed", (object?)sealedKey ?? DBNull.Value);
        p.AddWithValue("$kek_id", sealedKey is null ? DBNull.Value : kek.Id);
        p.AddWithValue("$created_at", record.CreatedAt.ToUnixTimeMilliseconds());
        p.AddWithValue("$activates_at", record.ActivatesAt.ToUnixTimeMilliseconds());
        p.AddWithValue("$retires_at", (object?)record.RetiresAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        p.AddWithValue("$removes_at", (object?)record.RemovesAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        p.AddWithValue("$removed_early", record.RemovedEarly ? 1 : 0);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private KeyRecord ReadRecord(SqliteDataReader reader)
    {
        var kid = reader.GetString(0);
        var algorithm = reader.GetString(1);
        var usePrivate = !reader.IsDBNull(4) && _kek is not null;
        var stored = usePrivate
            ? [.. (byte[])reader.GetValue(4), .. Encoding.UTF8.GetBytes(reader.GetString(5))]
            : Encoding.UTF8.GetBytes(reader.GetString(3));
        if (!_opened.TryGetValue(kid, out var cached) || !cached.Stored.AsSpan().SequenceEqual(stored))
        {
            var key = usePrivate
                ? OpenPrivateKey(kid, algorithm, (byte[])reader.GetValue(4), reader.GetString(5))
                : JsonWebKey.FromJwk(reader.GetString(3));
            if (key.Kid != kid || key.Algorithm.Name != algorithm)
            {
                throw new InvalidOperationException($"Signing key row '{kid}' does not match the key it holds. The database has been altered; restore it from a backup.");
            }

            cached = (stored, key);
            _opened[kid] = cached;
        }

        return new KeyRecord(
            cached.Key,
            reader.GetInt32(2),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
            reader.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
            reader.IsDBNull(9) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)),
            reader.GetInt64(10) != 0);
    }

    private JsonWebKey OpenPrivateKey(string kid, string algorithm, byte[] sealedKey, string kekId)
    {
        var kek = _kek!;
        if (kekId != kek.Id)
        {
            throw new InvalidOperationException(
                $"Signing key '{kid}' was sealed with key-encryption key {kekId}, but the configured KEK is {kek.Id}"
                + (kek.IsUnsafeDevelopmentKey ? " (the unsafe development key)" : string.Empty)
                + ". Configure the KEK the keys were sealed with.");
        }

        byte[] plaintext;
        try
        {
            plaintext = kek.Open(sealedKey, SealContext(kid, algorithm));
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"Signing key '{kid}' cannot be decrypted: its sealed bytes were altered or moved to another row. Restore the database from a backup, or remove the key.", e);
        }

        try
        {
            return JsonWebKey.FromJwk(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static string SealContext(string kid, string algorithm) => $"tessera/signing-key/v1\0{kid}\0{algorithm}";
}
