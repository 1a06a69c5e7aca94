import GRDB

/// The schema, as named migrations that never change once shipped (new needs get new migrations). They are
/// written without application types so that old migrations keep meaning what they meant.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-users-tokens-audit") { db in
            try db.execute(
                sql: """
                    CREATE TABLE user (
                        login TEXT PRIMARY KEY NOT NULL CHECK (length(login) BETWEEN 1 AND 64),
                        name TEXT NOT NULL,
                        role TEXT NOT NULL CHECK (role IN ('admin','chair','deputy','officer','staff','auditor')),
                        scope TEXT NOT NULL,
                        email TEXT,
                        phone TEXT,
                        disabled INTEGER NOT NULL DEFAULT 0,
                        must_change_password INTEGER NOT NULL DEFAULT 0,
                        cert_fingerprint TEXT UNIQUE,
                        password_hash TEXT NOT NULL,
                        revision INTEGER NOT NULL DEFAULT 1,
                        created TEXT NOT NULL
                    );
                    CREATE TABLE login_failure (
                        name TEXT PRIMARY KEY NOT NULL,
                        count INTEGER NOT NULL,
                        last TEXT NOT NULL
                    );
                    CREATE TABLE api_token (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        owner TEXT NOT NULL REFERENCES user(login),
                        label TEXT NOT NULL,
                        secret_hash TEXT NOT NULL UNIQUE,
                        secret_prefix TEXT NOT NULL,
                        created TEXT NOT NULL,
                        expires TEXT,
                        revoked TEXT,
                        last_used TEXT
                    );
                    CREATE INDEX api_token_owner ON api_token(owner);
                    CREATE TABLE audit (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        at TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        on_behalf_of TEXT,
                        connection TEXT NOT NULL,
                        command TEXT NOT NULL,
                        entity TEXT NOT NULL,
                        change TEXT NOT NULL,
                        hash TEXT NOT NULL
                    );
                    CREATE INDEX audit_entity ON audit(entity);
                    -- The audit trail is append-only: the database itself refuses edits and deletions.
                    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
                        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                    """)
        }
        return migrator
    }
}
