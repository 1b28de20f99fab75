using Microsoft.Data.Sqlite;
using Tessera.Revocation;

namespace Tessera.Storage.Sqlite.Revocation;

/// <summary>
/// Revocation state in a <see cref="SqliteDatabase"/>: issued tokens until they expire, cut-offs and denied
/// <c>jti</c>s, the trigger audit record, and the Security Event Token feed (<see cref="SqliteRevocationFeed"/>).
/// Times are Unix milliseconds. Thread-safe.
/// </summary>
public sealed class SqliteRevocationStore : IRevocationStore
{
    /// <summary>Expired issued-token records removed, at most, by each batch recorded.</summary>
    internal const int PurgeBatch = 500;

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly SqliteRevocationFeed _feed;

    /// <summary>A store in <paramref name="database"/> reading the clock from <paramref name="timeProvider"/>.</summary>
    public SqliteRevocationStore(SqliteDatabase database, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _database = database;
        _time = timeProvider;
        _feed = new SqliteRevocationFeed(database, timeProvider);
    }

    /// <summary>The <c>revocation</c> schema migrations (part of <see cref="SqliteSchema.Migrations"/>).</summary>
    public static IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new("revocation", 1, "issued tokens, cut-offs, denied tokens, triggers and the security event feed", """
            CREATE TABLE issued_tokens (
                jti        TEXT    NOT NULL PRIMARY KEY,
                kind       TEXT    NOT NULL,
                subject    TEXT,
                tenant     TEXT,
                client_id  TEXT    NOT NULL,
                expires_at INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX issued_tokens_subject ON issued_tokens (subject, expires_at) WHERE subject IS NOT NULL;
            CREATE INDEX issued_tokens_tenant ON issued_tokens (tenant, expires_at) WHERE tenant IS NOT NULL;
            CREATE INDEX issued_tokens_client ON issued_tokens (client_id, expires_at);
            CREATE INDEX issued_tokens_expires_at ON issued_tokens (expires_at);
            CREATE TABLE revocation_cutoffs (
                scope          TEXT    NOT NULL CHECK (scope IN ('subject', 'tenant', 'client')),
                value          TEXT    NOT NULL,
                revoked_before INTEGER NOT NULL,
                PRIMARY KEY (scope, value)
            ) STRICT;
            CREATE TABLE revoked_tokens (
                jti        TEXT    NOT NULL PRIMARY KEY,
                subject    TEXT,
                expires_at INTEGER NOT NULL,
                revoked_at INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX revoked_tokens_expires_at ON revoked_tokens (expires_at);
            CREATE TABLE revocation_triggers (
                id         TEXT    NOT NULL PRIMARY KEY,
                event      TEXT    NOT NULL,
                subject    TEXT,
                tenant     TEXT,
                actor      TEXT    NOT NULL,
                reason     TEXT,
                created_at INTEGER NOT NULL,
                actions    TEXT    NOT NULL CHECK (json_type(actions) = 'array')
            ) STRICT;
            CREATE INDEX revocation_triggers_created_at ON revocation_triggers (created_at);
            CREATE TABLE revocation_feed (
                seq        INTEGER PRIMARY KEY AUTOINCREMENT,
                jti        TEXT    NOT NULL UNIQUE,
                trigger_id TEXT    NOT NULL REFERENCES revocation_triggers (id),
                set_jwt    TEXT    NOT NULL,
                created_at INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX revocation_feed_created_at ON revocation_feed (created_at);
            CREATE TABLE revocation_feed_receivers (
                receiver      TEXT    NOT NULL PRIMARY KEY,
                acked_through INTEGER NOT NULL,
                first_poll_at INTEGER NOT NULL
            ) STRICT;
            CREATE TABLE revocation_feed_deliveries (
                receiver        TEXT    NOT NULL,
                seq             INTEGER NOT NULL REFERENCES revocation_feed (seq),
                delivered_at    INTEGER NOT NULL,
                acknowledged_at INTEGER,
                PRIMARY KEY (receiver, seq)
            ) STRICT;
            """),
    ];

    /// <inheritdoc />
    /// <remarks>Each batch also removes up to <see cref="PurgeBatch"/> expired records, so the table holds only live tokens without a background job.</remarks>
    public async Task RecordIssuedAsync(IReadOnlyList<IssuedTokenRecord> tokens, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Count == 0)
        {
            return;
        }

        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);
        using (var purge = connection.CreateCommand())
        {
            purge.Transaction = transaction;
            purge.CommandText = $"""
                DELETE FROM issued_tokens WHERE rowid IN (
                    SELECT rowid FROM issued_tokens WHERE expires_at <= $now ORDER BY expires_at LIMIT {PurgeBatch});
                """;
            purge.Parameters.AddWithValue("$now", Now());
            await purge.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO issued_tokens (jti, kind, subject, tenant, client_id, expires_at)
            VALUES ($jti, $kind, $subject, $tenant, $client_id, $expires_at)
            ON CONFLICT (jti) DO NOTHING;
            """;
        var jti = insert.Parameters.Add("$jti", SqliteType.Text);
        var kind = insert.Parameters.Add("$kind", SqliteType.Text);
        var subject = insert.Parameters.Add("$subject", SqliteType.Text);
        var tenant = insert.Parameters.Add("$tenant", SqliteType.Text);
        var client = insert.Parameters.Add("$client_id", SqliteType.Text);
        var expires = insert.Parameters.Add("$expires_at", SqliteType.Integer);
        foreach (var token in tokens)
        {
            jti.Value = token.TokenId;
            kind.Value = token.Kind;
            subject.Value = (object?)token.Subject ?? DBNull.Value;
            tenant.Value = (object?)token.Tenant ?? DBNull.Value;
            client.Value = token.ClientId;
            expires.Value = token.ExpiresAt.ToUnixTimeMilliseconds();
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IssuedTokenRecord>> FindOutstandingAsync(RevocationScope scope, string value, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var column = scope switch
        {
            RevocationScope.Subject => "subject",
            RevocationScope.Tenant => "tenant",
            RevocationScope.Client => "client_id",
            _ => throw new ArgumentOutOfRangeException(nameof(scope)),
        };
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT jti, kind, subject, tenant, client_id, expires_at FROM issued_tokens
            WHERE {column} = $value AND expires_at > $now ORDER BY expires_at DESC LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$value", value);
        command.Parameters.AddWithValue("$now", Now());
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var tokens = new List<IssuedTokenRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            tokens.Add(new IssuedTokenRecord(
                reader.GetString(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
        }

        return tokens;
    }

    /// <inheritdoc />
    public async Task ApplyAsync(RevocationChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var trigger = change.Trigger;
        var at = trigger.CreatedAt.ToUnixTimeMilliseconds();
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO revocation_triggers (id, event, subject, tenant, actor, reason, created_at, actions)
                VALUES ($id, $event, $subject, $tenant, $actor, $reason, $created_at, $actions);
                """;
            command.Parameters.AddWithValue("$id", trigger.Id);
            command.Parameters.AddWithValue("$event", trigger.Event);
            command.Parameters.AddWithValue("$subject", (object?)trigger.Subject ?? DBNull.Value);
            command.Parameters.AddWithValue("$tenant", (object?)trigger.Tenant ?? DBNull.Value);
            command.Parameters.AddWithValue("$actor", trigger.Actor);
            command.Parameters.AddWithValue("$reason", (object?)trigger.Reason ?? DBNull.Value);
            command.Parameters.AddWithValue("$created_at", at);
            command.Parameters.AddWithValue("$actions", trigger.ActionsJson);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var cutoff in change.Cutoffs)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO revocation_cutoffs (scope, value, revoked_before) VALUES ($scope, $value, $before)
                ON CONFLICT (scope, value) DO UPDATE SET revoked_before = max(revoked_before, excluded.revoked_before);
                """;
            command.Parameters.AddWithValue("$scope", ScopeName(cutoff.Scope));
            command.Parameters.AddWithValue("$value", cutoff.Value);
            command.Parameters.AddWithValue("$before", cutoff.RevokedBefore.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var denied in change.DeniedTokens)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO revoked_tokens (jti, subject, expires_at, revoked_at) VALUES ($jti, $subject, $expires_at, $revoked_at)
                ON CONFLICT (jti) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at);
                """;
            command.Parameters.AddWithValue("$jti", denied.TokenId);
            command.Parameters.AddWithValue("$subject", (object?)denied.Subject ?? DBNull.Value);
            command.Parameters.AddWithValue("$expires_at", denied.ExpiresAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$revoked_at", at);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await SqliteRevocationFeed.AppendAsync(connection, transaction, trigger.Id, at, change.Events, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<RevocationSnapshot> LoadAsync(CancellationToken cancellationToken = default)
    {
        var now = Now();
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);
        using (var purge = connection.CreateCommand())
        {
            purge.Transaction = transaction;
            purge.CommandText = "DELETE FROM revoked_tokens WHERE expires_at <= $now; DELETE FROM issued_tokens WHERE expires_at <= $now;";
            purge.Parameters.AddWithValue("$now", now);
            await purge.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var cutoffs = new List<RevocationCutoff>();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT scope, value, revoked_before FROM revocation_cutoffs;";
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                cutoffs.Add(new RevocationCutoff(ParseScope(reader.GetString(0)), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
            }
        }

        var denied = new List<DeniedToken>();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT jti, expires_at, subject FROM revoked_tokens ORDER BY revoked_at;";
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                denied.Add(new DeniedToken(reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.IsDBNull(2) ? null : reader.GetString(2)));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new RevocationSnapshot(cutoffs, denied);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RevocationTrigger>> ListTriggersAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, event, subject, tenant, actor, reason, created_at, actions FROM revocation_triggers
            ORDER BY created_at DESC, rowid DESC LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var triggers = new List<RevocationTrigger>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            triggers.Add(new RevocationTrigger(
                reader.GetString(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                reader.GetString(7)));
        }

        return triggers;
    }

    /// <inheritdoc />
    public Task<FeedBatch> PollFeedAsync(string receiver, DateTimeOffset registeredAt, IReadOnlyCollection<string> acknowledged, int maxEvents, CancellationToken cancellationToken = default) =>
        _feed.PollAsync(receiver, registeredAt, acknowledged, maxEvents, cancellationToken);

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string ScopeName(RevocationScope scope) => scope switch
    {
        RevocationScope.Subject => "subject",
        RevocationScope.Tenant => "tenant",
        RevocationScope.Client => "client",
        _ => throw new ArgumentOutOfRangeException(nameof(scope)),
    };

    private static RevocationScope ParseScope(string name) => name switch
    {
        "subject" => RevocationScope.Subject,
        "tenant" => RevocationScope.Tenant,
        "client" => RevocationScope.Client,
        _ => throw new InvalidOperationException($"Unknown revocation scope '{name}'. The database was written by a newer Tessera or altered; upgrade, or restore it from a backup."),
    };
}
