public import CaseLineDomain
import CaseLineStore
public import Foundation
import GRDB

/// Idempotency keys are written in the same transaction as the entity they created, so that a request
/// acknowledged once is never created twice by its retry, even across a crash between the two.
enum IdempotencyLog {
    static func record(_ claim: IdempotencyClaim?, entity: String, at date: Date, in db: Database) throws {
        guard let claim else { return }
        // A key older than the memory window may be reused: its old row is replaced.
        try db.executeCached(
            sql: """
                INSERT INTO idempotency (login, key, fingerprint, entity, created) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(login, key) DO UPDATE SET fingerprint = excluded.fingerprint, entity = excluded.entity,
                    created = excluded.created
                """,
            arguments: [claim.login, claim.key, claim.fingerprint, entity, Timestamp.format(date)])
    }
}

extension SQLiteStore {
    public func idempotencyRecord(login: String, key: String, maxAge: TimeInterval) async throws
        -> IdempotencyRecord?
    {
        let oldest = Timestamp.format(clock().addingTimeInterval(-maxAge))
        return try readNow { db in
            try Row.decodeOne(
                db, sql: "SELECT fingerprint, entity FROM idempotency WHERE login = ? AND key = ? AND created >= ?",
                arguments: [login, key, oldest]
            ) { IdempotencyRecord(fingerprint: $0["fingerprint"], entity: $0["entity"]) }
        }
    }
}
