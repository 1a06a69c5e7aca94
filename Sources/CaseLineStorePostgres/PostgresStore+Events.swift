public import CaseLineDomain
import CaseLineStore
public import Foundation

extension PostgresStore {
    public func events(after sequence: Int64, through last: Int64?, limit: Int) async throws -> [Event] {
        try await read { session in
            try await session.rows(
                "SELECT * FROM event WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
                [sequence, last ?? Int64.max, limit]
            ).compactMap(Journal.event)
        }
    }

    public func eventBounds() async throws -> EventBounds {
        try await read { session in
            let row = try await session.row("SELECT event_seq, events_dropped_through FROM journal WHERE id = 1")
            return EventBounds(droppedThrough: row?["events_dropped_through"] ?? 0, head: row?["event_seq"] ?? 0)
        }
    }

    public func dropEvents(before date: Date) async throws -> Int {
        let cutoff = Timestamp.format(date)
        return try await write { session in
            guard
                let last: Int64 = try await session.row("SELECT max(seq) AS m FROM event WHERE at < ?", [cutoff])?["m"]
            else { return 0 }
            let count = try await session.execute("DELETE FROM event WHERE seq <= ? RETURNING 1", [last])
            try await session.execute(
                "UPDATE journal SET events_dropped_through = GREATEST(events_dropped_through, ?) WHERE id = 1", [last])
            return count
        }
    }

    /// Each notice's row is inserted unless present (`ON CONFLICT DO NOTHING` waits for a racing insert of the
    /// same notice and then does nothing): of several nodes' schedulers, one raises each event.
    public func recordDeadlines(_ notices: [DeadlineNotice], at date: Date) async throws -> Int {
        let at = Timestamp.format(date)
        return try await write { session in
            // A task's notices and a review campaign's are kept apart; the key is the same shape.
            var raised: [(notice: DeadlineNotice, table: String, column: String, number: Int64)] = []
            for notice in notices {
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
                let inserted = try await session.execute(
                    "INSERT INTO \(table) (\(column), kind, due) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING 1",
                    [number, notice.kind.rawValue, notice.due])
                if inserted == 1 { raised.append((notice, table, column, number)) }
            }
            let sequences = try await Journal.appendEvents(
                raised.map(\.notice.event), actor: .system("deadlines"), at: at, in: session)
            for (entry, sequence) in zip(raised, sequences) {
                try await session.execute(
                    "UPDATE \(entry.table) SET event = ? WHERE \(entry.column) = ? AND kind = ? AND due = ?",
                    [sequence, entry.number, entry.notice.kind.rawValue, entry.notice.due])
            }
            return raised.count
        }
    }
}
