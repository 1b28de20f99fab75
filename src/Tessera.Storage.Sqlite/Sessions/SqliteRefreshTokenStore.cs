using Microsoft.Data.Sqlite;
using Tessera.Revocation;
using static Tessera.Storage.Sqlite.Sessions.SessionRows;

namespace Tessera.Storage.Sqlite.Sessions;

/// <summary>
/// Refresh tokens (area <c>sessions</c>), stored as SHA-256 hashes in families. Every presentation is decided and
/// recorded in one immediate transaction — the database's single writer lock — with conditional updates, so any number
/// of parallel requests, in any number of processes sharing the file, see one consistent chain: one request rotates,
/// retries of the immediate predecessor within the grace window get the same successor, anything older revokes the family.
/// </summary>
public sealed class SqliteRefreshTokenStore
{
    private readonly SqliteDatabase _database;

    /// <summary>A store in <paramref name="database"/>.</summary>
    public SqliteRefreshTokenStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <summary>
    /// Presents a refresh token. The successor is derived from the presented token by the caller (so a retry is answered
    /// with the same successor without the successor ever being stored in clear); its hash is stored when the token rotates.
    /// </summary>
    /// <param name="tokenHash">SHA-256 of the presented token.</param>
    /// <param name="successorHash">SHA-256 of the successor derived from it.</param>
    /// <param name="clientId">The client presenting it; another client's token is refused.</param>
    /// <param name="now">The current time.</param>
    /// <param name="graceWindow">How long after a rotation (exclusive) the rotated token may be presented again for the same successor; zero for never.</param>
    /// <param name="idleLifetime">How long the successor stays valid unused (capped by the family's absolute end).</param>
    /// <param name="isCutOff">True when a revocation cut-off covers the family (a trigger not yet enforced): the family is revoked.</param>
    /// <param name="cancellationToken">Cancels the wait for the database.</param>
    public async Task<RefreshRotation> RotateAsync(
        byte[] tokenHash,
        byte[] successorHash,
        string clientId,
        DateTimeOffset now,
        TimeSpan graceWindow,
        TimeSpan idleLifetime,
        Func<RefreshFamily, bool> isCutOff,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        ArgumentNullException.ThrowIfNull(successorHash);
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentNullException.ThrowIfNull(isCutOff);
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var select = Command(connection, transaction, $"""
            SELECT t.generation, t.idle_expires_at, t.used_at, {string.Join(", ", FamilyColumns.Split(", ").Select(c => "f." + c))}
            FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id WHERE t.token_hash = $hash;
            """);
        select.Parameters.Add("$hash", SqliteType.Blob).Value = tokenHash;
        int generation;
        long idleExpiresAt;
        long? usedAt;
        RefreshFamily family;
        using (var r = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return Refused("The refresh token is not valid.", null);
            }

            generation = r.GetInt32(0);
            idleExpiresAt = r.GetInt64(1);
            usedAt = r.IsDBNull(2) ? null : r.GetInt64(2);
            family = ReadFamily(r, 3);
        }

        if (family.ClientId != clientId)
        {
            return Refused("The refresh token was issued to another client.", null);
        }

        if (family.RevokedAt is not null)
        {
            return Refused("The refresh token's family is revoked; sign in again.", family);
        }

        if (now >= family.ExpiresAt)
        {
            return Refused("The refresh token has reached its absolute lifetime; sign in again.", family);
        }

        if (isCutOff(family))
        {
            var cut = await RevokeFamilyAsync(connection, transaction, family.Id, "revoked_before", now, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new RefreshRotation(RefreshRotationStatus.CutOff, "The refresh token was revoked; sign in again.", family with { RevokedAt = now }, cut);
        }

        if (usedAt is null && generation == family.Generation)
        {
            if (now >= Time(idleExpiresAt))
            {
                return Refused("The refresh token expired unused; sign in again.", family);
            }

            await RotateAsync(connection, transaction, tokenHash, successorHash, family, now, idleLifetime, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new RefreshRotation(RefreshRotationStatus.Rotated, null, family with { Generation = generation + 1 }, []);
        }

        // Spent. Only the immediate predecessor of the newest token, within the grace window, is a retry; the
        // successor it derives must be the stored newest token. Everything else is reuse.
        if (usedAt is { } spent && generation == family.Generation - 1 && now - Time(spent) < graceWindow
            && await IsNewestAsync(connection, transaction, successorHash, family, cancellationToken).ConfigureAwait(false))
        {
            return new RefreshRotation(RefreshRotationStatus.Retried, null, family, []);
        }

        var denied = await RevokeFamilyAsync(connection, transaction, family.Id, "refresh_reused", now, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new RefreshRotation(
            RefreshRotationStatus.Reused, "The refresh token was already used; its whole family is revoked. Sign in again.", family with { RevokedAt = now }, denied);
    }

    /// <summary>
    /// Records JWTs issued from a family, so a later reuse can deny them — only while the family is not revoked.
    /// False when it was revoked meanwhile: the caller must not hand the tokens out.
    /// </summary>
    public async Task<bool> AttachTokensAsync(string familyId, IReadOnlyList<DeniedToken> tokens, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(familyId);
        ArgumentNullException.ThrowIfNull(tokens);
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);
        if (await SessionRows.FindFamilyAsync(connection, transaction, familyId, cancellationToken).ConfigureAwait(false) is not { RevokedAt: null })
        {
            return false;
        }

        await PurgeAsync(connection, transaction, "family_tokens", "expires_at", now, cancellationToken).ConfigureAwait(false);
        foreach (var token in tokens)
        {
            using var insert = Command(connection, transaction, """
                INSERT INTO family_tokens (jti, family_id, subject, expires_at) VALUES ($jti, $family_id, $subject, $expires_at)
                ON CONFLICT (jti) DO NOTHING;
                """);
            insert.Parameters.AddWithValue("$jti", token.TokenId);
            insert.Parameters.AddWithValue("$family_id", familyId);
            insert.Parameters.AddWithValue("$subject", token.Subject ?? string.Empty);
            insert.Parameters.AddWithValue("$expires_at", Ms(token.ExpiresAt));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// RFC 7009: revokes the family of a refresh token (current or spent) at the request of the client it belongs to.
    /// Returns the family and its unexpired JWTs to deny; null when the token is unknown or another client's (which
    /// changes nothing).
    /// </summary>
    public async Task<(RefreshFamily Family, IReadOnlyList<DeniedToken> TokensToDeny)?> RevokeByTokenAsync(
        byte[] tokenHash, string clientId, string reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        ArgumentNullException.ThrowIfNull(clientId);
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var select = Command(connection, transaction, "SELECT family_id FROM refresh_tokens WHERE token_hash = $hash;");
        select.Parameters.Add("$hash", SqliteType.Blob).Value = tokenHash;
        if (await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not string familyId
            || await SessionRows.FindFamilyAsync(connection, transaction, familyId, cancellationToken).ConfigureAwait(false) is not { } family
            || family.ClientId != clientId)
        {
            return null;
        }

        var tokens = await RevokeFamilyAsync(connection, transaction, familyId, reason, now, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (family with { RevokedAt = family.RevokedAt ?? now, RevokeReason = family.RevokeReason ?? reason }, tokens);
    }

    /// <summary>The family, or null.</summary>
    public async Task<RefreshFamily?> FindFamilyAsync(string familyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(familyId);
        using var connection = _database.OpenConnection();
        return await SessionRows.FindFamilyAsync(connection, null, familyId, cancellationToken).ConfigureAwait(false);
    }

    private static RefreshRotation Refused(string problem, RefreshFamily? family) => new(RefreshRotationStatus.Refused, problem, family, []);

    private static async Task RotateAsync(
        SqliteConnection connection, SqliteTransaction transaction, byte[] tokenHash, byte[] successorHash, RefreshFamily family, DateTimeOffset now, TimeSpan idleLifetime, CancellationToken cancellationToken)
    {
        using (var spend = Command(connection, transaction, "UPDATE refresh_tokens SET used_at = $now WHERE token_hash = $hash AND used_at IS NULL;"))
        {
            spend.Parameters.Add("$hash", SqliteType.Blob).Value = tokenHash;
            spend.Parameters.AddWithValue("$now", Ms(now));
            if (await spend.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                throw new InvalidOperationException("A refresh token changed inside its immediate transaction; the database is not behaving as SQLite.");
            }
        }

        using (var advance = Command(connection, transaction, "UPDATE refresh_families SET generation = $next, last_used_at = $now WHERE id = $id AND generation = $current;"))
        {
            advance.Parameters.AddWithValue("$id", family.Id);
            advance.Parameters.AddWithValue("$current", family.Generation);
            advance.Parameters.AddWithValue("$next", family.Generation + 1);
            advance.Parameters.AddWithValue("$now", Ms(now));
            if (await advance.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                throw new InvalidOperationException("A refresh family changed inside its immediate transaction; the database is not behaving as SQLite.");
            }
        }

        var idle = now + idleLifetime < family.ExpiresAt ? now + idleLifetime : family.ExpiresAt;
        using var insert = Command(connection, transaction, """
            INSERT INTO refresh_tokens (token_hash, family_id, generation, created_at, idle_expires_at, used_at)
            VALUES ($hash, $family_id, $generation, $now, $idle, NULL);
            """);
        insert.Parameters.Add("$hash", SqliteType.Blob).Value = successorHash;
        insert.Parameters.AddWithValue("$family_id", family.Id);
        insert.Parameters.AddWithValue("$generation", family.Generation + 1);
        insert.Parameters.AddWithValue("$now", Ms(now));
        insert.Parameters.AddWithValue("$idle", Ms(idle));
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> IsNewestAsync(SqliteConnection connection, SqliteTransaction transaction, byte[] successorHash, RefreshFamily family, CancellationToken cancellationToken)
    {
        using var check = Command(connection, transaction, "SELECT 1 FROM refresh_tokens WHERE token_hash = $hash AND family_id = $family_id AND generation = $generation AND used_at IS NULL;");
        check.Parameters.Add("$hash", SqliteType.Blob).Value = successorHash;
        check.Parameters.AddWithValue("$family_id", family.Id);
        check.Parameters.AddWithValue("$generation", family.Generation);
        return await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }
}
