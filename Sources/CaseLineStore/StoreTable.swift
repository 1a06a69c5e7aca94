/// One table of a store as plain rows, the form in which `caseline-server store copy` moves a province from one
/// backend to another unchanged: ids, revisions, times as stored, the audit chain record for record.
public struct StoreTable: Sendable {
    /// A stored value (nil in `rows` is NULL).
    public enum Value: Sendable, Hashable {
        case integer(Int64)
        case real(Double)
        case text(String)
    }

    /// The table's name in the backend-neutral vocabulary (the SQLite schema's names).
    public var name: String
    public var columns: [String]
    public var rows: [[Value?]]

    public init(name: String, columns: [String], rows: [[Value?]]) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }
}

/// A whole store as tables, with what numbering must continue from: the highest number each id sequence has
/// handed out (numbers of deleted rows included: ids are never reused), and events dropped by retention.
public struct StoreExport: Sendable {
    public var tables: [StoreTable]
    /// Per table, the highest id ever given (`event` included: the event head).
    public var sequences: [String: Int64]
    public var eventsDroppedThrough: Int64

    public init(tables: [StoreTable], sequences: [String: Int64], eventsDroppedThrough: Int64) {
        self.tables = tables
        self.sequences = sequences
        self.eventsDroppedThrough = eventsDroppedThrough
    }
}
