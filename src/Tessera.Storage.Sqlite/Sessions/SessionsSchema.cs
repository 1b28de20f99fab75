namespace Tessera.Storage.Sqlite.Sessions;

/// <summary>
/// The <c>sessions</c> area: sign-in sessions, authorization codes, refresh-token families with their tokens, the
/// JWTs issued from each family (so a reuse can deny them) and the revocation triggers already enforced. Secrets
/// (session cookies, codes, refresh tokens) are stored only as SHA-256 hashes: they are 256-bit random values, so a
/// fast hash is enough. Times are Unix milliseconds; lists are space-separated (scopes and audiences have no spaces).
/// </summary>
public static class SessionsSchema
{
    /// <summary>The area's migrations (part of <see cref="SqliteSchema.Migrations"/>).</summary>
    public static IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new("sessions", 1, "sign-in sessions, authorization codes, refresh families", """
            CREATE TABLE sign_in_sessions (
                id               TEXT    NOT NULL PRIMARY KEY,
                secret_hash      BLOB    NOT NULL UNIQUE,
                user_id          TEXT    NOT NULL,
                tenant           TEXT,
                authenticated_at INTEGER NOT NULL,
                expires_at       INTEGER NOT NULL,
                ended_at         INTEGER,
                end_reason       TEXT
            ) STRICT;
            CREATE INDEX sign_in_sessions_user ON sign_in_sessions (user_id);
            CREATE INDEX sign_in_sessions_tenant ON sign_in_sessions (tenant) WHERE tenant IS NOT NULL;
            CREATE INDEX sign_in_sessions_expires_at ON sign_in_sessions (expires_at);

            CREATE TABLE authorization_codes (
                code_hash        BLOB    NOT NULL PRIMARY KEY,
                client_id        TEXT    NOT NULL,
                redirect_uri     TEXT    NOT NULL,
                code_challenge   TEXT    NOT NULL,
                user_id          TEXT    NOT NULL,
                tenant           TEXT,
                session_id       TEXT    NOT NULL,
                scopes           TEXT    NOT NULL,
                audiences        TEXT    NOT NULL,
                nonce            TEXT,
                authenticated_at INTEGER NOT NULL,
                created_at       INTEGER NOT NULL,
                expires_at       INTEGER NOT NULL,
                used_at          INTEGER,
                family_id        TEXT
            ) STRICT;
            CREATE INDEX authorization_codes_expires_at ON authorization_codes (expires_at);

            CREATE TABLE refresh_families (
                id               TEXT    NOT NULL PRIMARY KEY,
                client_id        TEXT    NOT NULL,
                user_id          TEXT    NOT NULL,
                tenant           TEXT,
                session_id       TEXT,
                scopes           TEXT    NOT NULL,
                audiences        TEXT    NOT NULL,
                authenticated_at INTEGER NOT NULL,
                created_at       INTEGER NOT NULL,
                expires_at       INTEGER NOT NULL,
                generation       INTEGER NOT NULL,
                last_used_at     INTEGER,
                revoked_at       INTEGER,
                revoke_reason    TEXT
            ) STRICT;
            CREATE INDEX refresh_families_user ON refresh_families (user_id);
            CREATE INDEX refresh_families_tenant ON refresh_families (tenant) WHERE tenant IS NOT NULL;
            CREATE INDEX refresh_families_session ON refresh_families (session_id) WHERE session_id IS NOT NULL;
            CREATE INDEX refresh_families_expires_at ON refresh_families (expires_at);

            CREATE TABLE refresh_tokens (
                token_hash      BLOB    NOT NULL PRIMARY KEY,
                family_id       TEXT    NOT NULL REFERENCES refresh_families (id) ON DELETE CASCADE,
                generation      INTEGER NOT NULL,
                created_at      INTEGER NOT NULL,
                idle_expires_at INTEGER NOT NULL,
                used_at         INTEGER,
                UNIQUE (family_id, generation)
            ) STRICT;

            CREATE TABLE family_tokens (
                jti        TEXT    NOT NULL PRIMARY KEY,
                family_id  TEXT    NOT NULL REFERENCES refresh_families (id) ON DELETE CASCADE,
                subject    TEXT    NOT NULL,
                expires_at INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX family_tokens_family ON family_tokens (family_id, expires_at);
            CREATE INDEX family_tokens_expires_at ON family_tokens (expires_at);

            CREATE TABLE enforced_triggers (
                trigger_id       TEXT    NOT NULL PRIMARY KEY,
                event            TEXT    NOT NULL,
                enforced_at      INTEGER NOT NULL,
                families_revoked INTEGER NOT NULL,
                sessions_ended   INTEGER NOT NULL
            ) STRICT;
            """),
    ];

    /// <summary>Rows removed, at most, by each housekeeping step that rides along with a write.</summary>
    internal const int PurgeBatch = 100;

    /// <summary>How long ended, expired or revoked records are kept for investigation before they are purged.</summary>
    internal static readonly TimeSpan Retention = TimeSpan.FromDays(7);
}
