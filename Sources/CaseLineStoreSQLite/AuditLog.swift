import CaseLineDomain
import CaseLineStore
import Foundation
import GRDB

/// The audit table: the chain's rules (`AuditChain`) applied to SQLite. One writer connection commits, so
/// reading the head and appending after it cannot interleave with another append: the chain never forks.
extension AuditChain {
    /// Appends within the caller's transaction, with the events the entry raises.
    static func append(_ entry: AuditEntry, at date: Date, in db: Database) throws {
        let head =
            try Row.decodeOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")) {
                Link(sequence: $0["seq"], hash: $0["hash"])
            } ?? .origin
        // AUTOINCREMENT remembers numbers of rows that are gone; the chain must follow it, never reuse one.
        let last =
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit'")) ?? 0
        let record = next(after: Link(sequence: max(last, head.sequence), hash: head.hash), entry: entry, at: date)
        let at = Timestamp.format(record.at)
        try db.executeCached(
            sql: """
                INSERT INTO audit (seq, at, actor, on_behalf_of, connection, command, entity, change, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                record.sequence, at, entry.actor.login, entry.actor.onBehalfOf, entry.actor.connection, entry.command,
                entry.entity, entry.change, record.hash,
            ])
        let events = events(of: entry)
        guard !events.isEmpty else { return }
        try EventLog.append(events, actor: entry.actor, at: at, in: db)
    }

    static func record(_ row: Row) -> AuditRecord {
        AuditRecord(
            sequence: row["seq"], at: Timestamp.parse(row["at"]) ?? Date(timeIntervalSince1970: 0),
            entry: AuditEntry(
                actor: Actor(login: row["actor"], onBehalfOf: row["on_behalf_of"], connection: row["connection"]),
                command: row["command"], entity: row["entity"], change: row["change"]),
            hash: row["hash"])
    }

    /// Streams the table through the chain's verifier.
    static func verify(in db: Database) throws -> AuditVerification {
        var verifier = Verifier()
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM audit ORDER BY seq")
        while let row = try rows.next(), verifier.add(record(row), storedAt: row["at"]) {}
        return verifier.result
    }
}
