import CaseLineDomain
import CaseLineStore
import Foundation

/// The audit chain and the event log, appended to at the end of a change's transaction under the lock of the
/// `journal` row (PostgresStore's note: why this gives commit order without gaps and one chain).
struct Journal {
    /// The channel on which a commit that wrote events tells every node (the payload: the last number).
    static let channel = "caseline_events"

    struct Head {
        var audit: AuditChain.Link
        var event: Int64
    }

    /// Locks the journal row until the transaction ends and reads it. Taken after the change's own work, so
    /// that concurrent changes overlap everywhere except here.
    static func lock(_ session: SQLSession) async throws -> Head {
        guard
            let row = try await session.row(
                "SELECT audit_seq, audit_hash, event_seq FROM journal WHERE id = 1 FOR UPDATE")
        else { throw StoreSQLError("the journal row is missing") }
        return Head(
            audit: AuditChain.Link(sequence: row["audit_seq"], hash: row["audit_hash"]), event: row["event_seq"])
    }

    /// Appends audit records (each with the events it carries) after the head, in order, within the caller's
    /// transaction.
    static func append(_ entries: [AuditEntry], at date: Date, in session: SQLSession) async throws {
        guard !entries.isEmpty else { return }
        var head = try await lock(session)
        let firstEvent = head.event
        for entry in entries {
            let record = AuditChain.next(after: head.audit, entry: entry, at: date)
            let at = Timestamp.format(record.at)
            try await session.execute(
                """
                INSERT INTO audit (seq, at, actor, on_behalf_of, connection, command, entity, change, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    record.sequence, at, entry.actor.login, entry.actor.onBehalfOf, entry.actor.connection,
                    entry.command, entry.entity, entry.change, record.hash,
                ])
            head.audit = AuditChain.Link(sequence: record.sequence, hash: record.hash)
            head.event = try await insertEvents(
                AuditChain.events(of: entry), actor: entry.actor, at: at, after: head.event, in: session)
        }
        try await session.execute(
            "UPDATE journal SET audit_seq = ?, audit_hash = ?, event_seq = ? WHERE id = 1",
            [head.audit.sequence, head.audit.hash, head.event])
        if head.event > firstEvent { try await notify(head.event, in: session) }
    }

    static func append(_ entry: AuditEntry, at date: Date, in session: SQLSession) async throws {
        try await append([entry], at: date, in: session)
    }

    /// Events without an audit record (deadline notices): numbered after the head, under the same lock.
    /// Returns the number of each, in order.
    static func appendEvents(_ drafts: [EventDraft], actor: Actor, at: String, in session: SQLSession) async throws
        -> [Int64]
    {
        guard !drafts.isEmpty else { return [] }
        let head = try await lock(session)
        let last = try await insertEvents(drafts, actor: actor, at: at, after: head.event, in: session)
        try await session.execute("UPDATE journal SET event_seq = ? WHERE id = 1", [last])
        try await notify(last, in: session)
        return Array((head.event + 1)...last)
    }

    private static func insertEvents(
        _ drafts: [EventDraft], actor: Actor, at: String, after last: Int64, in session: SQLSession
    ) async throws -> Int64 {
        var sequence = last
        for draft in drafts {
            sequence += 1
            try await session.execute(
                """
                INSERT INTO event (seq, at, type, actor, on_behalf_of, province, commune, case_id, details, concerns)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    sequence, at, draft.type.rawValue, actor.login, actor.onBehalfOf, draft.province, draft.commune,
                    draft["case"], EventEncoding.details(draft.details), EventEncoding.concerns(draft.concerns),
                ])
        }
        return sequence
    }

    /// NOTIFY is transactional: delivered to the listeners of every node once this transaction commits, in
    /// commit order, and never if it rolls back.
    private static func notify(_ last: Int64, in session: SQLSession) async throws {
        try await session.execute("SELECT pg_notify(?, ?)", [channel, String(last)])
    }

    static func record(_ row: SQLRow) -> AuditRecord {
        AuditRecord(
            sequence: row["seq"], at: Timestamp.parse(row["at"]) ?? Date(timeIntervalSince1970: 0),
            entry: AuditEntry(
                actor: Actor(login: row["actor"], onBehalfOf: row["on_behalf_of"], connection: row["connection"]),
                command: row["command"], entity: row["entity"], change: row["change"]),
            hash: row["hash"])
    }

    static func event(_ row: SQLRow) -> Event? {
        EventEncoding.event(
            sequence: row["seq"], at: row["at"], type: row["type"], actor: row["actor"],
            onBehalfOf: row["on_behalf_of"], province: row["province"], commune: row["commune"],
            details: row["details"], concerns: row["concerns"])
    }
}
