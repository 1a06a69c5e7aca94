public import CaseLineDomain
import CaseLineStore
public import Foundation

/// Idempotency keys are written in the same transaction as the entity they created, so that a request
/// acknowledged once is never created twice by its retry, whichever node the retry reaches.
enum IdempotencyLog {
    static func record(_ claim: IdempotencyClaim?, entity: String, at date: Date, in session: SQLSession) async throws {
        guard let claim else { return }
        // A key older than the memory window may be reused: its old row is replaced.
        try await session.execute(
            """
            INSERT INTO idempotency (login, key, fingerprint, entity, created) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (login, key) DO UPDATE SET fingerprint = excluded.fingerprint, entity = excluded.entity,
                created = excluded.created
            """,
            [claim.login, claim.key, claim.fingerprint, entity, Timestamp.format(date)])
    }
}

extension PostgresStore {
    public func idempotencyRecord(login: String, key: String, maxAge: TimeInterval) async throws
        -> IdempotencyRecord?
    {
        let oldest = Timestamp.format(clock().addingTimeInterval(-maxAge))
        return try await read { session in
            try await session.row(
                "SELECT fingerprint, entity FROM idempotency WHERE login = ? AND key = ? AND created >= ?",
                [login, key, oldest]
            ).map { IdempotencyRecord(fingerprint: $0["fingerprint"], entity: $0["entity"]) }
        }
    }
}
