public import CaseLineDomain
import CaseLineStore
public import Foundation
import GRDB

/// The numbered event table (CLP1.md §8): appended to inside the transaction of the change that raises
/// the events, read back in order for `WATCH since=` and for live delivery.
enum EventLog {
    /// Appends within the caller's transaction; returns the last number given, if any.
    @discardableResult
    static func append(_ drafts: [EventDraft], actor: Actor, at: String, in db: Database) throws -> Int64? {
        var last: Int64?
        for draft in drafts {
            try db.executeCached(
                sql: """
                    INSERT INTO event (at, type, actor, on_behalf_of, province, commune, case_id, details, concerns)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    at, draft.type.rawValue, actor.login, actor.onBehalfOf, draft.province, draft.commune,
                    draft["case"], EventEncoding.details(draft.details), EventEncoding.concerns(draft.concerns),
                ])
            last = db.lastInsertedRowID
        }
        return last
    }

    static func event(_ row: Row) -> Event? {
        EventEncoding.event(
            sequence: row["seq"], at: row["at"], type: row["type"], actor: row["actor"],
            onBehalfOf: row["on_behalf_of"], province: row["province"], commune: row["commune"],
            details: row["details"], concerns: row["concerns"])
    }
}

extension SQLiteStore {
    public func events(after sequence: Int64, through last: Int64?, limit: Int) async throws -> [Event] {
        try readNow { db in
            try Row.fetchAll(
                try db.cachedStatement(
                    sql: "SELECT * FROM event WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?"),
                arguments: [sequence, last ?? Int64.max, limit]
            ).compactMap(EventLog.event)
        }
    }

    public func eventBounds() async throws -> EventBounds {
        try readNow { db in
            let head = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'event'") ?? 0
            let dropped = try Int64.fetchOne(db, sql: "SELECT dropped_through FROM event_retention") ?? 0
            return EventBounds(droppedThrough: dropped, head: head)
        }
    }

    public func dropEvents(before date: Date) async throws -> Int {
        let cutoff = Timestamp.format(date)
        return try await write { db in
            guard
                let last = try Int64.fetchOne(
                    db, sql: "SELECT max(seq) FROM event WHERE at < ?", arguments: [cutoff])
            else { return 0 }
            try db.executeCached(sql: "DELETE FROM event WHERE seq <= ?", arguments: [last])
            let count = db.changesCount
            try db.executeCached(
                sql: "UPDATE event_retention SET dropped_through = max(dropped_through, ?)", arguments: [last])
            return count
        }
    }

    public func recordDeadlines(_ notices: [DeadlineNotice], at date: Date) async throws -> Int {
        let at = Timestamp.format(date)
        return try await write { db in
            var raised = 0
            for notice in notices {
                // A task's notices and a review campaign's are kept apart; the key is the same shape.
                let table: String
                let column: String
                let number: Int64
                if let task = Self.number(notice.task, prefix: "T") {
                    (table, column, number) = ("deadline_notice", "task", task)
                } else if let campaign = Self.number(notice.task, prefix: "RC") {
                    (table, column, number) = ("review_deadline_notice", "campaign", campaign)
                } else {
                    continue
                }
                try db.executeCached(
                    sql: "INSERT OR IGNORE INTO \(table) (\(column), kind, due) VALUES (?, ?, ?)",
                    arguments: [number, notice.kind.rawValue, notice.due])
                guard db.changesCount == 1 else { continue }
                let sequence = try EventLog.append([notice.event], actor: .system("deadlines"), at: at, in: db)
                try db.executeCached(
                    sql: "UPDATE \(table) SET event = ? WHERE \(column) = ? AND kind = ? AND due = ?",
                    arguments: [sequence, number, notice.kind.rawValue, notice.due])
                raised += 1
            }
            return raised
        }
    }
}
