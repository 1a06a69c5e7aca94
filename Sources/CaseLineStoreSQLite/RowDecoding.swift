import GRDB

/// Rows are decoded while the statement steps, never copied first. A copied row (GRDB's `fetchAll`,
/// `fetchOne`) finds a column by lower-casing every column name on every `row["name"]`, so decoding a
/// 20-column row cost 400 string conversions: 5 % of the server's CPU under the read benchmark (perf,
/// 2026-11-26). A statement row looks names up in a table built once per statement. The decoder must not
/// keep the row: it is only valid until the next step.
extension Row {
    static func decodeAll<T>(
        _ statement: Statement, arguments: StatementArguments = StatementArguments(), as decode: (Row) throws -> T
    ) throws -> [T] {
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        var decoded: [T] = []
        while let row = try rows.next() { decoded.append(try decode(row)) }
        return decoded
    }

    static func decodeOne<T>(
        _ statement: Statement, arguments: StatementArguments = StatementArguments(), as decode: (Row) throws -> T
    ) throws -> T? {
        // The cursor must outlive the decoding: it resets the statement when it goes, and the row with it.
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        return try withExtendedLifetime(rows) { try rows.next().map(decode) }
    }

    static func decodeAll<T>(
        _ db: Database, sql: String, arguments: StatementArguments = StatementArguments(),
        as decode: (Row) throws -> T
    ) throws -> [T] {
        try decodeAll(try db.makeStatement(sql: sql), arguments: arguments, as: decode)
    }

    static func decodeOne<T>(
        _ db: Database, sql: String, arguments: StatementArguments = StatementArguments(),
        as decode: (Row) throws -> T
    ) throws -> T? {
        try decodeOne(try db.makeStatement(sql: sql), arguments: arguments, as: decode)
    }
}
