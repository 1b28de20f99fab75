using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using static Tessera.Storage.Sqlite.Sessions.SessionRows;

namespace Tessera.Storage.Sqlite.Sessions;

/// <summary>
/// Authorization codes (area <c>sessions</c>), stored as SHA-256 hashes with everything they are bound to. A code is
/// redeemed at most once, in one immediate transaction, so two parallel redemptions cannot both succeed; the second
/// use of a redeemed code revokes the family the first one created. Thread-safe, and shared by every process on the file.
/// </summary>
public sealed class SqliteAuthorizationCodeStore
{
    private const string Columns =
        "client_id, redirect_uri, code_challenge, user_id, tenant, session_id, scopes, audiences, nonce, authenticated_at, created_at, expires_at, used_at, family_id";

    private readonly SqliteDatabase _database;

    /// <summary>A store in <paramref name="database"/>.</summary>
    public SqliteAuthorizationCodeStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <summary>Stores a new code by its hash; expired codes past the retention period are purged on the way.</summary>
    public async Task AddAsync(byte[] codeHash, AuthorizationCodeGrant grant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codeHash);
        ArgumentNullException.ThrowIfNull(grant);
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);
        await PurgeAsync(connection, transaction, "authorization_codes", "expires_at", grant.CreatedAt - SessionsSchema.Retention, cancellationToken).ConfigureAwait(false);
        using (var insert = Command(connection, transaction, $"""
            INSERT INTO authorization_codes (code_hash, {Columns})
            VALUES ($hash, $client_id, $redirect_uri, $challenge, $user_id, $tenant, $session_id, $scopes, $audiences, $nonce, $auth_time, $created_at, $expires_at, NULL, NULL);
            """))
        {
            var p = insert.Parameters;
            p.Add("$hash", SqliteType.Blob).Value = codeHash;
            p.AddWithValue("$client_id", grant.ClientId);
            p.AddWithValue("$redirect_uri", grant.RedirectUri);
            p.AddWithValue("$challenge", grant.CodeChallenge);
            p.AddWithValue("$user_id", grant.UserId);
            p.AddWithValue("$tenant", OrNull(grant.Tenant));
            p.AddWithValue("$session_id", grant.SessionId);
            p.AddWithValue("$scopes", Join(grant.Scopes));
            p.AddWithValue("$audiences", Join(grant.Audiences));
            p.AddWithValue("$nonce", OrNull(grant.Nonce));
            p.AddWithValue("$auth_time", Ms(grant.AuthenticatedAt));
            p.AddWithValue("$created_at", Ms(grant.CreatedAt));
            p.AddWithValue("$expires_at", Ms(grant.ExpiresAt));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Presents a code. Any presentation spends it. The first, when the code is unexpired and the client, the exact
    /// redirect URI and the PKCE challenge computed from the presented verifier all match, creates the family in
    /// <paramref name="plan"/>. A presentation of a code that was redeemed revokes that family (whoever presents it).
    /// </summary>
    /// <param name="codeHash">SHA-256 of the presented code.</param>
    /// <param name="clientId">The authenticated (or, for public clients, identified) client.</param>
    /// <param name="redirectUri">The token request's <c>redirect_uri</c>, or null when absent.</param>
    /// <param name="verifierChallenge">base64url SHA-256 of the presented <c>code_verifier</c>, or null when absent or malformed.</param>
    /// <param name="plan">The family to create on success.</param>
    /// <param name="now">The current time.</param>
    /// <param name="isCutOff">True when a revocation cut-off covers the code (issued before a trigger for its user, tenant or client): refused.</param>
    /// <param name="cancellationToken">Cancels the wait for the database.</param>
    public async Task<CodeRedemption> RedeemAsync(
        byte[] codeHash,
        string clientId,
        string? redirectUri,
        string? verifierChallenge,
        FamilyPlan plan,
        DateTimeOffset now,
        Func<AuthorizationCodeGrant, bool>? isCutOff = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codeHash);
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentNullException.ThrowIfNull(plan);
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);
        var (code, usedAt, familyId) = await FindAsync(connection, transaction, codeHash, cancellationToken).ConfigureAwait(false);
        if (code is null)
        {
            return Refused("The authorization code is not valid.", null);
        }

        if (usedAt is not null)
        {
            if (familyId is null)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return Refused("The authorization code was already presented.", code);
            }

            var tokens = await RevokeFamilyAsync(connection, transaction, familyId, "code_reused", now, cancellationToken).ConfigureAwait(false);
            var revoked = await FindFamilyAsync(connection, transaction, familyId, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new CodeRedemption(CodeRedemptionStatus.Reused, "The authorization code was already used; the tokens issued from it are revoked.", code, revoked, tokens);
        }

        using (var spend = Command(connection, transaction, "UPDATE authorization_codes SET used_at = $now WHERE code_hash = $hash AND used_at IS NULL;"))
        {
            spend.Parameters.Add("$hash", SqliteType.Blob).Value = codeHash;
            spend.Parameters.AddWithValue("$now", Ms(now));
            await spend.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var problem = now >= code.ExpiresAt ? "The authorization code has expired."
            : code.ClientId != clientId ? "The authorization code was issued to another client."
            : redirectUri is null ? "redirect_uri is required and must be the one of the authorization request."
            : !string.Equals(code.RedirectUri, redirectUri, StringComparison.Ordinal) ? "redirect_uri does not match the authorization request."
            : verifierChallenge is null ? "code_verifier is required (PKCE): 43 to 128 characters of A-Z a-z 0-9 - . _ ~."
            : !SameChallenge(code.CodeChallenge, verifierChallenge) ? "code_verifier does not match the code_challenge of the authorization request."
            : isCutOff?.Invoke(code) == true ? "The sign-in this code came from was revoked; sign in again."
            : null;
        if (problem is not null)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return Refused(problem, code);
        }

        var family = new RefreshFamily
        {
            Id = plan.FamilyId,
            ClientId = code.ClientId,
            UserId = code.UserId,
            Tenant = code.Tenant,
            SessionId = code.SessionId,
            Scopes = code.Scopes,
            Audiences = code.Audiences,
            AuthenticatedAt = code.AuthenticatedAt,
            CreatedAt = now,
            ExpiresAt = plan.ExpiresAt,
            Generation = 0,
        };
        await InsertFamilyAsync(connection, transaction, family, plan, codeHash, now, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new CodeRedemption(CodeRedemptionStatus.Redeemed, null, code, family, []);
    }

    private static CodeRedemption Refused(string problem, AuthorizationCodeGrant? code) => new(CodeRedemptionStatus.Refused, problem, code, null, []);

    private static bool SameChallenge(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(presented));

    private static async Task InsertFamilyAsync(
        SqliteConnection connection, SqliteTransaction transaction, RefreshFamily family, FamilyPlan plan, byte[] codeHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await PurgeAsync(connection, transaction, "refresh_families", "expires_at", now - SessionsSchema.Retention, cancellationToken).ConfigureAwait(false);
        using (var insert = Command(connection, transaction, $"""
            INSERT INTO refresh_families ({FamilyColumns})
            VALUES ($id, $client_id, $user_id, $tenant, $session_id, $scopes, $audiences, $auth_time, $created_at, $expires_at, 0, NULL, NULL);
            """))
        {
            var p = insert.Parameters;
            p.AddWithValue("$id", family.Id);
            p.AddWithValue("$client_id", family.ClientId);
            p.AddWithValue("$user_id", family.UserId);
            p.AddWithValue("$tenant", OrNull(family.Tenant));
            p.AddWithValue("$session_id", OrNull(family.SessionId));
            p.AddWithValue("$scopes", Join(family.Scopes));
            p.AddWithValue("$audiences", Join(family.Audiences));
            p.AddWithValue("$auth_time", Ms(family.AuthenticatedAt));
            p.AddWithValue("$created_at", Ms(family.CreatedAt));
            p.AddWithValue("$expires_at", Ms(family.ExpiresAt));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (plan.FirstTokenHash is { } first)
        {
            using var token = Command(connection, transaction, """
                INSERT INTO refresh_tokens (token_hash, family_id, generation, created_at, idle_expires_at, used_at)
                VALUES ($hash, $family_id, 0, $now, $idle, NULL);
                """);
            token.Parameters.Add("$hash", SqliteType.Blob).Value = first;
            token.Parameters.AddWithValue("$family_id", family.Id);
            token.Parameters.AddWithValue("$now", Ms(now));
            token.Parameters.AddWithValue("$idle", Ms(plan.FirstTokenIdleExpiresAt));
            await token.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        using var link = Command(connection, transaction, "UPDATE authorization_codes SET family_id = $family_id WHERE code_hash = $hash;");
        link.Parameters.Add("$hash", SqliteType.Blob).Value = codeHash;
        link.Parameters.AddWithValue("$family_id", family.Id);
        await link.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(AuthorizationCodeGrant? Code, long? UsedAt, string? FamilyId)> FindAsync(
        SqliteConnection connection, SqliteTransaction transaction, byte[] codeHash, CancellationToken cancellationToken)
    {
        using var select = Command(connection, transaction, $"SELECT {Columns} FROM authorization_codes WHERE code_hash = $hash;");
        select.Parameters.Add("$hash", SqliteType.Blob).Value = codeHash;
        using var r = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return (null, null, null);
        }

        var code = new AuthorizationCodeGrant
        {
            ClientId = r.GetString(0),
            RedirectUri = r.GetString(1),
            CodeChallenge = r.GetString(2),
            UserId = r.GetString(3),
            Tenant = NullableString(r, 4),
            SessionId = r.GetString(5),
            Scopes = Split(r.GetString(6)),
            Audiences = Split(r.GetString(7)),
            Nonce = NullableString(r, 8),
            AuthenticatedAt = Time(r.GetInt64(9)),
            CreatedAt = Time(r.GetInt64(10)),
            ExpiresAt = Time(r.GetInt64(11)),
        };
        return (code, r.IsDBNull(12) ? null : r.GetInt64(12), NullableString(r, 13));
    }
}
