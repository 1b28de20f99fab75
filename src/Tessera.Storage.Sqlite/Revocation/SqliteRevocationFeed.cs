using Microsoft.Data.Sqlite;
using Tessera.Revocation;

namespace Tessera.Storage.Sqlite.Revocation;

/// <summary>
/// The Security Event Token feed: events in append order (<c>seq</c>), and per receiver a cursor below which
/// everything is acknowledged plus one delivery row per event handed out (when first delivered, when
/// acknowledged). A poll returns the oldest events the receiver has not acknowledged, whether or not they were
/// delivered before, so an event is never lost to a crash on either side: it is repeated until acknowledged.
/// </summary>
internal sealed class SqliteRevocationFeed(SqliteDatabase database, TimeProvider time)
{
    private const string Unacknowledged = """
        e.seq > $through AND NOT EXISTS (
            SELECT 1 FROM revocation_feed_deliveries d
            WHERE d.receiver = $receiver AND d.seq = e.seq AND d.acknowledged_at IS NOT NULL)
        """;

    /// <summary>Appends events inside the caller's transaction.</summary>
    public static async Task AppendAsync(SqliteConnection connection, SqliteTransaction transaction, string triggerId, long createdAt, IReadOnlyList<SecurityEventRecord> events, CancellationToken cancellationToken)
    {
        foreach (var item in events)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO revocation_feed (jti, trigger_id, set_jwt, created_at) VALUES ($jti, $trigger_id, $set_jwt, $created_at);";
            command.Parameters.AddWithValue("$jti", item.TokenId);
            command.Parameters.AddWithValue("$trigger_id", triggerId);
            command.Parameters.AddWithValue("$set_jwt", item.Jwt);
            command.Parameters.AddWithValue("$created_at", createdAt);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<FeedBatch> PollAsync(string receiver, DateTimeOffset registeredAt, IReadOnlyCollection<string> acknowledged, int maxEvents, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(receiver);
        ArgumentNullException.ThrowIfNull(acknowledged);
        ArgumentOutOfRangeException.ThrowIfNegative(maxEvents);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        using var connection = database.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);

        // A receiver starts at its registration: everything appended before it counts as acknowledged.
        using (var enrol = Command(connection, transaction, """
            INSERT INTO revocation_feed_receivers (receiver, acked_through, first_poll_at)
            VALUES ($receiver, coalesce((SELECT max(seq) FROM revocation_feed WHERE created_at < $registered_at), 0), $now)
            ON CONFLICT (receiver) DO NOTHING;
            """, receiver))
        {
            enrol.Parameters.AddWithValue("$registered_at", registeredAt.ToUnixTimeMilliseconds());
            enrol.Parameters.AddWithValue("$now", now);
            await enrol.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        long through;
        using (var cursor = Command(connection, transaction, "SELECT acked_through FROM revocation_feed_receivers WHERE receiver = $receiver;", receiver))
        {
            through = (long)(await cursor.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        if (acknowledged.Count > 0)
        {
            through = await AcknowledgeAsync(connection, transaction, receiver, through, acknowledged, now, cancellationToken).ConfigureAwait(false);
        }

        var events = new List<(long Seq, SecurityEventRecord Event)>();
        using (var select = Command(connection, transaction, $"SELECT e.seq, e.jti, e.set_jwt FROM revocation_feed e WHERE {Unacknowledged} ORDER BY e.seq LIMIT $limit;", receiver))
        {
            select.Parameters.AddWithValue("$through", through);
            select.Parameters.AddWithValue("$limit", maxEvents + 1);
            using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                events.Add((reader.GetInt64(0), new SecurityEventRecord(reader.GetString(1), reader.GetString(2))));
            }
        }

        var more = events.Count > maxEvents;
        if (more)
        {
            events.RemoveAt(events.Count - 1);
        }

        if (events.Count > 0)
        {
            using var deliver = Command(connection, transaction, """
                INSERT INTO revocation_feed_deliveries (receiver, seq, delivered_at) VALUES ($receiver, $seq, $now)
                ON CONFLICT (receiver, seq) DO NOTHING;
                """, receiver);
            var seq = deliver.Parameters.Add("$seq", SqliteType.Integer);
            deliver.Parameters.AddWithValue("$now", now);
            foreach (var item in events)
            {
                seq.Value = item.Seq;
                await deliver.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new FeedBatch([.. events.Select(e => e.Event)], more);
    }

    /// <summary>Records acknowledgements and moves the receiver's cursor past the acknowledged prefix; returns the cursor.</summary>
    private static async Task<long> AcknowledgeAsync(SqliteConnection connection, SqliteTransaction transaction, string receiver, long through, IReadOnlyCollection<string> acknowledged, long now, CancellationToken cancellationToken)
    {
        using (var ack = Command(connection, transaction, """
            INSERT INTO revocation_feed_deliveries (receiver, seq, delivered_at, acknowledged_at)
            SELECT $receiver, seq, $now, $now FROM revocation_feed WHERE jti = $jti AND seq > $through
            ON CONFLICT (receiver, seq) DO UPDATE SET acknowledged_at = coalesce(acknowledged_at, excluded.acknowledged_at);
            """, receiver))
        {
            var jti = ack.Parameters.Add("$jti", SqliteType.Text);
            ack.Parameters.AddWithValue("$now", now);
            ack.Parameters.AddWithValue("$through", through);
            foreach (var tokenId in acknowledged)
            {
                jti.Value = tokenId;
                await ack.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        using var advance = Command(connection, transaction, $"""
            SELECT coalesce(
                (SELECT min(e.seq) - 1 FROM revocation_feed e WHERE {Unacknowledged}),
                (SELECT max(seq) FROM revocation_feed),
                $through);
            """, receiver);
        advance.Parameters.AddWithValue("$through", through);
        var next = (long)(await advance.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        if (next != through)
        {
            using var update = Command(connection, transaction, "UPDATE revocation_feed_receivers SET acked_through = $through WHERE receiver = $receiver;", receiver);
            update.Parameters.AddWithValue("$through", next);
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return next;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, string receiver)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$receiver", receiver);
        return command;
    }
}
