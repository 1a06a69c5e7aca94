public import CaseLineStore
import GRDB

extension SQLiteStore {
    /// Every table of the store, in one snapshot (`store copy`). The bookkeeping of SQLite and GRDB stays behind;
    /// the sequences and the retention mark travel as `StoreExport`'s numbers.
    public func export() async throws -> StoreExport {
        try await writer.read { db in
            let names = try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                        AND name NOT IN ('grdb_migrations', 'event_retention') ORDER BY name
                    """)
            var tables: [StoreTable] = []
            for name in names {
                let columns = try db.columns(in: name).map(\.name)
                var rows: [[StoreTable.Value?]] = []
                let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM \(name.quotedDatabaseIdentifier)")
                while let row = try cursor.next() {
                    rows.append(
                        columns.indices.map { index in
                            switch row[index] as DatabaseValue {
                            case let value where value.isNull: nil
                            case let value:
                                switch value.storage {
                                case .int64(let number): .integer(number)
                                case .double(let number): .real(number)
                                case .string(let text): .text(text)
                                case .blob(let data): .text(String(decoding: data, as: UTF8.self))
                                case .null: nil
                                }
                            }
                        })
                }
                tables.append(StoreTable(name: name, columns: columns, rows: rows))
            }
            var sequences: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, seq FROM sqlite_sequence") {
                sequences[row["name"]] = row["seq"]
            }
            let dropped = try Int64.fetchOne(db, sql: "SELECT dropped_through FROM event_retention") ?? 0
            return StoreExport(tables: tables, sequences: sequences, eventsDroppedThrough: dropped)
        }
    }
}
