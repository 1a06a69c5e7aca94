import CaseLineDomain
import Crypto
import Foundation
import GRDB

/// The hash chain over the audit table. Each record's hash covers the previous record's hash and every
/// field of its own, so that editing, removing or reordering any record breaks every hash after it.
enum AuditChain {
    static func hash(previous: String, sequence: Int64, at: String, entry: AuditEntry) -> String {
        // Fields are length-prefixed so that no choice of field contents can make two records collide.
        var material = Data()
        for field in [
            previous, String(sequence), at, entry.actor.login, entry.actor.onBehalfOf ?? "", entry.actor.connection,
            entry.command, entry.entity, entry.change,
        ] {
            let bytes = Data(field.utf8)
            material.append(contentsOf: "\(bytes.count):".utf8)
            material.append(bytes)
        }
        return Hex.string(SHA256.hash(data: material))
    }

    /// Appends within the caller's transaction.
    static func append(_ entry: AuditEntry, at date: Date, in db: Database) throws {
        let previous =
            try String.fetchOne(db.cachedStatement(sql: "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1")) ?? ""
        let last =
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit'")) ?? 0
        let sequence = last + 1
        let at = Timestamp.format(date)
        try db.executeCached(
            sql: """
                INSERT INTO audit (seq, at, actor, on_behalf_of, connection, command, entity, change, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                sequence, at, entry.actor.login, entry.actor.onBehalfOf, entry.actor.connection, entry.command,
                entry.entity, entry.change, hash(previous: previous, sequence: sequence, at: at, entry: entry),
            ])
        guard !entry.events.isEmpty else { return }
        let entity = entry.entity.split(separator: ":", maxSplits: 1).map(String.init)
        let events = entity.count == 2 ? entry.events.map { $0.filling(entity[0], with: entity[1]) } : entry.events
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

    static func verify(in db: Database) throws -> AuditVerification {
        var previous = ""
        var count: Int64 = 0
        var expectedSequence: Int64 = 1
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM audit ORDER BY seq")
        while let row = try rows.next() {
            let record = record(row)
            let at: String = row["at"]
            let expected = hash(previous: previous, sequence: record.sequence, at: at, entry: record.entry)
            if record.sequence != expectedSequence {
                return AuditVerification(records: count, head: previous, firstBroken: expectedSequence, gap: true)
            }
            if expected != record.hash {
                return AuditVerification(records: count, head: previous, firstBroken: record.sequence)
            }
            previous = record.hash
            count += 1
            expectedSequence += 1
        }
        return AuditVerification(records: count, head: previous, firstBroken: nil)
    }
}
