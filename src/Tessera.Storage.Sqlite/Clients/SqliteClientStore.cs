using Microsoft.Data.Sqlite;
using Tessera.Clients;

namespace Tessera.Storage.Sqlite.Clients;

/// <summary>
/// The client registry in a <see cref="SqliteDatabase"/>: one row per client, secrets only as their keyed hash, and
/// the <c>jti</c>s of client assertions seen until they expire, shared by every process that opens the file so a
/// replay is caught whichever node sees it. Thread-safe.
/// </summary>
public sealed class SqliteClientStore : IClientStore
{
    /// <summary>The longest assertion <c>jti</c> recorded, in characters.</summary>
    public const int MaxTokenIdLength = 256;

    /// <summary>Expired assertion records removed, at most, by each new one.</summary>
    internal const int PurgeBatch = 100;

    private const string Columns =
        "client_id, type, secret_hash, jwks, grant_types, audiences, scopes, redirect_uris, access_token_lifetime_seconds, first_party, created_at";

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;

    /// <summary>A store in <paramref name="database"/> reading the clock from <paramref name="timeProvider"/>.</summary>
    public SqliteClientStore(SqliteDatabase database, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _database = database;
        _time = timeProvider;
    }

    /// <summary>The <c>clients</c> schema migrations (part of <see cref="SqliteSchema.Migrations"/>).</summary>
    public static IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new("clients", 1, "clients and client assertion jtis", """
            CREATE TABLE clients (
                client_id                     TEXT    NOT NULL PRIMARY KEY,
                type                          TEXT    NOT NULL CHECK (type IN ('service', 'web', 'native', 'browser')),
                secret_hash                   BLOB,
                jwks                          TEXT,
                grant_types                   TEXT    NOT NULL CHECK (json_type(grant_types) = 'array'),
                audiences                     TEXT    NOT NULL CHECK (json_type(audiences) = 'array'),
                scopes                        TEXT    NOT NULL CHECK (json_type(scopes) = 'array'),
                redirect_uris                 TEXT    NOT NULL CHECK (json_type(redirect_uris) = 'array'),
                access_token_lifetime_seconds INTEGER,
                first_party                   INTEGER NOT NULL,
                created_at                    INTEGER NOT NULL
            ) STRICT;
            CREATE TABLE client_assertion_jtis (
                client_id  TEXT    NOT NULL,
                jti        TEXT    NOT NULL,
                expires_at INTEGER NOT NULL,
                PRIMARY KEY (client_id, jti)
            ) STRICT;
            CREATE INDEX client_assertion_jtis_expires_at ON client_assertion_jtis (expires_at);
            """),
    ];

    /// <inheritdoc />
    public async Task<ClientRegistration?> FindAsync(string clientId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM clients WHERE client_id = $client_id;";
        command.Parameters.AddWithValue("$client_id", clientId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ClientRow.Read(reader) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ClientRegistration>> ListAsync(CancellationToken cancellationToken = default)
    {
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM clients ORDER BY client_id;";
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var clients = new List<ClientRegistration>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            clients.Add(ClientRow.Read(reader));
        }

        return clients;
    }

    /// <inheritdoc />
    /// <remarks>A <see cref="ClientRegistration.CreatedAt"/> left at its default is set to now.</remarks>
    /// <exception cref="TesseraConfigurationException">The registration is inconsistent (<see cref="ClientRules.Validate"/>).</exception>
    public async Task<bool> AddAsync(ClientRegistration client, CancellationToken cancellationToken = default)
    {
        ClientRules.Validate(client);
        var createdAt = client.CreatedAt == default ? _time.GetUtcNow() : client.CreatedAt;
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO clients ({Columns})
            VALUES ($client_id, $type, $secret_hash, $jwks, $grant_types, $audiences, $scopes, $redirect_uris, $lifetime, $first_party, $created_at)
            ON CONFLICT (client_id) DO NOTHING;
            """;
        ClientRow.Bind(command.Parameters, client, createdAt);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The client's recorded assertion <c>jti</c>s stay until they expire, so re-adding the same id with the same
    /// keys does not reopen a window for replaying its old assertions.
    /// </remarks>
    public async Task<bool> RemoveAsync(string clientId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        using var connection = _database.OpenConnection();
        SqliteDatabase.Execute(connection, "PRAGMA secure_delete = ON;");
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM clients WHERE client_id = $client_id;";
        command.Parameters.AddWithValue("$client_id", clientId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Each call first removes up to <see cref="PurgeBatch"/> records that have expired, oldest first, so the table
    /// holds only live assertions without a background job. A <c>jti</c> still on record is a replay, even if it has
    /// expired and not yet been purged.
    /// </remarks>
    public async Task<bool> TryUseAssertionAsync(string clientId, string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        if (tokenId.Length > MaxTokenIdLength)
        {
            throw new ArgumentException($"The assertion jti is longer than {MaxTokenIdLength} characters; reject the assertion before recording it.", nameof(tokenId));
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);
        using (var purge = connection.CreateCommand())
        {
            purge.Transaction = transaction;
            purge.CommandText = $"""
                DELETE FROM client_assertion_jtis WHERE rowid IN (
                    SELECT rowid FROM client_assertion_jtis WHERE expires_at <= $now ORDER BY expires_at LIMIT {PurgeBatch});
                """;
            purge.Parameters.AddWithValue("$now", now);
            await purge.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO client_assertion_jtis (client_id, jti, expires_at) VALUES ($client_id, $jti, $expires_at) ON CONFLICT (client_id, jti) DO NOTHING;";
        insert.Parameters.AddWithValue("$client_id", clientId);
        insert.Parameters.AddWithValue("$jti", tokenId);
        insert.Parameters.AddWithValue("$expires_at", expiresAt.ToUnixTimeMilliseconds());
        var first = await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return first;
    }
}
