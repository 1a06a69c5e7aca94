public import CaseLineStore
import Foundation

extension PostgresStore {
    /// The neutral (SQLite) name of a table and its name here, where `user` is a reserved word.
    static func tableName(_ neutral: String) -> String { neutral == "user" ? "users" : neutral }

    /// Tables in an order that satisfies the foreign keys.
    static let loadOrder = [
        "users", "unit", "unit_link", "committee", "committee_member", "assignment", "task", "task_transition",
        "task_comment", "case_file", "case_step", "approval_chain", "delegation", "household", "person",
        "assessment",
    ]

    /// Rows in every application table, by the neutral name (what `store copy` compares and what makes a
    /// target non-empty).
    public func tableCounts() async throws -> [String: Int] {
        try await snapshot { session in
            var counts: [String: Int] = [:]
            for table in try await Self.applicationTables(session) {
                counts[table == "users" ? "user" : table] =
                    try await session.row("SELECT count(*) AS n FROM \(table)")?["n"] ?? 0
            }
            return counts
        }
    }

    static func applicationTables(_ session: SQLSession) async throws -> [String] {
        try await session.rows(
            """
            SELECT table_name AS name FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                AND table_name NOT IN ('journal', 'schema_migration') ORDER BY table_name
            """
        ).map { $0["name"] as String }
    }

    /// Loads a whole store exported from another backend, in one transaction: rows as they were (ids, revisions,
    /// times, the audit chain record for record), the journal at the source's heads, every id sequence after the
    /// highest number the source handed out. Refuses a store that holds anything, and a source table or
    /// column this schema does not have (nothing is dropped silently).
    public func load(_ export: StoreExport) async throws {
        try await write { session in
            let known = Set(try await Self.applicationTables(session))
            for table in known {
                if try await session.row("SELECT 1 FROM \(table) LIMIT 1") != nil {
                    throw StoreSetupError("the target store is not empty (table \(table) has rows); refusing to copy")
                }
            }
            if try await session.row("SELECT 1 FROM journal WHERE audit_seq > 0 OR event_seq > 0") != nil {
                throw StoreSetupError("the target store is not empty (its journal has records); refusing to copy")
            }
            var byName: [String: StoreTable] = [:]
            for table in export.tables {
                let name = Self.tableName(table.name)
                guard known.contains(name) else {
                    throw StoreSetupError("the PostgreSQL store has no table for \(table.name); refusing to copy")
                }
                let columns = Set(
                    try await session.rows(
                        """
                        SELECT column_name AS name FROM information_schema.columns
                        WHERE table_schema = current_schema() AND table_name = ?
                        """, [name]
                    ).map { $0["name"] as String })
                if let missing = table.columns.first(where: { !columns.contains($0) }) {
                    throw StoreSetupError("the PostgreSQL table \(name) has no column \(missing); refusing to copy")
                }
                byName[name] = table
            }
            let order = Self.loadOrder + byName.keys.filter { !Self.loadOrder.contains($0) }.sorted()
            for name in order {
                guard let table = byName[name], !table.rows.isEmpty else { continue }
                let rows: [[any SQLValue]] = table.rows.map { $0.map(Self.sqlValue) }
                try await Self.insert(
                    "\(name) (\(table.columns.joined(separator: ", ")))", rows, session)
            }
            // Ids continue after the highest the source gave (a deleted row's number included).
            let serials = try await session.rows(
                """
                SELECT table_name AS name, pg_get_serial_sequence(table_name, 'id') AS s
                FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'id'
                """)
            for serial in serials {
                guard let sequence: String = serial["s"] else { continue }
                let name: String = serial["name"]
                let highest: Int64 = try await session.row("SELECT coalesce(max(id), 0) AS m FROM \(name)")?["m"] ?? 0
                let given = max(highest, export.sequences[name == "users" ? "user" : name] ?? 0)
                if given > 0 { try await session.execute("SELECT setval(?::regclass, ?)", [sequence, given]) }
            }
            let head = try await session.row("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
            let events: Int64 = try await session.row("SELECT coalesce(max(seq), 0) AS m FROM event")?["m"] ?? 0
            try await session.execute(
                """
                UPDATE journal SET audit_seq = ?, audit_hash = ?, event_seq = ?, events_dropped_through = ?
                WHERE id = 1
                """,
                [
                    head?["seq"] ?? Int64(0), head?["hash"] ?? "", max(events, export.sequences["event"] ?? 0),
                    export.eventsDroppedThrough,
                ])
        }
    }

    static func sqlValue(_ value: StoreTable.Value?) -> any SQLValue {
        switch value {
        case .none: return String?.none
        case .integer(let number): return number
        case .real(let number): return number
        case .text(let text): return text
        }
    }
}
