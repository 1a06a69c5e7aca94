import Foundation
import Logging
import NIOCore
import PostgresNIO

/// A value bound to a statement. Every value travels as text with no declared type (OID 0), so that the server
/// infers each parameter's type from where it stands (a column, a comparison, `LIMIT`), as it does for a
/// literal: the SQL reads like the SQLite backend's and a `Bool` bound to a BOOLEAN column or an `Int64` to a
/// TEXT one is never a type error of the binding itself. A nil is SQL NULL.
protocol SQLValue: Sendable {
    var sqlText: String? { get }
}

extension String: SQLValue { var sqlText: String? { self } }
extension Int: SQLValue { var sqlText: String? { String(self) } }
extension Int64: SQLValue { var sqlText: String? { String(self) } }
extension Bool: SQLValue { var sqlText: String? { self ? "true" : "false" } }
extension Double: SQLValue { var sqlText: String? { String(self) } }
extension Optional: SQLValue where Wrapped: SQLValue { var sqlText: String? { self?.sqlText } }

/// The text of a parameter, sent with type OID 0 ("unspecified": the server decides).
private struct UntypedText: PostgresDynamicTypeEncodable {
    let text: String
    var psqlType: PostgresDataType { .null }
    var psqlFormat: PostgresFormat { .text }
    func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        byteBuffer.writeString(text)
    }
}

/// One row, decoded while it is read into plain values keyed by column name, so that the backend's decoders
/// read `row["name"]` as the SQLite backend's do. A column of a type the schema does not use is an error.
struct SQLRow: Sendable {
    enum Cell: Sendable {
        case null
        case text(String)
        case integer(Int64)
        case boolean(Bool)
        case real(Double)
    }

    private var cells: [String: Cell] = [:]

    init(_ row: PostgresRow) throws {
        for cell in row {
            // void (2278): what pg_notify and the advisory lock functions return; read as nothing.
            guard cell.bytes != nil, cell.dataType != PostgresDataType(2278) else {
                cells[cell.columnName] = .null
                continue
            }
            switch cell.dataType {
            case .text, .varchar, .bpchar, .name: cells[cell.columnName] = .text(try cell.decode(String.self))
            case .int8, .int4, .int2: cells[cell.columnName] = .integer(try cell.decode(Int64.self))
            case .bool: cells[cell.columnName] = .boolean(try cell.decode(Bool.self))
            case .float8, .float4: cells[cell.columnName] = .real(try cell.decode(Double.self))
            default:
                throw StoreSQLError(
                    "column \(cell.columnName) has type \(cell.dataType), which the PostgreSQL store does not read")
            }
        }
    }

    private func cell(_ name: String) -> Cell { cells[name] ?? .null }

    subscript(_ name: String) -> String? {
        switch cell(name) {
        case .text(let text): text
        case .integer(let value): String(value)
        default: nil
        }
    }
    subscript(_ name: String) -> String { self[name] ?? "" }
    subscript(_ name: String) -> Int64? {
        switch cell(name) {
        case .integer(let value): value
        case .boolean(let value): value ? 1 : 0
        default: nil
        }
    }
    subscript(_ name: String) -> Int64 { self[name] ?? 0 }
    subscript(_ name: String) -> Int? { (self[name] as Int64?).map(Int.init) }
    subscript(_ name: String) -> Int { Int(self[name] as Int64) }
    subscript(_ name: String) -> Bool {
        switch cell(name) {
        case .boolean(let value): value
        case .integer(let value): value != 0
        default: false
        }
    }
    subscript(_ name: String) -> Double? {
        switch cell(name) {
        case .real(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }
}

/// What the server said when it refused a statement (postgres-nio's PSQLError keeps it out of its description,
/// lest a value leak into a log; these fields hold the code, the constraint and the server's message, which
/// the store's own statements make safe to show: values travel as parameters and a message names them only
/// in its detail, left out here).
public struct PostgresFailure: Error, CustomStringConvertible {
    public var sqlState: String?
    public var constraint: String?
    public var message: String

    init(_ error: PSQLError) {
        sqlState = error.serverInfo?[.sqlState]
        constraint = error.serverInfo?[.constraintName]
        message = error.serverInfo?[.message] ?? "\(error.code)"
    }

    public var description: String { "PostgreSQL: \(message)" + (sqlState.map { " (SQLSTATE \($0))" } ?? "") }
}

/// A failure of the store's own SQL (a column it cannot read): a bug, never a user's refusal.
struct StoreSQLError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A leased connection, in a transaction or not, with the few operations the store's code uses. Statements are
/// written with `?` placeholders, numbered here (`$1`, `$2` …), so that each reads like its SQLite twin.
struct SQLSession {
    let connection: PostgresConnection
    let logger: Logger

    /// `?` outside quotes becomes `$n`. The schema's SQL holds no `?` operator (jsonb's), so every `?` is a place.
    static func numbered(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quoted = false
        for character in sql {
            if character == "'" { quoted.toggle() }
            if character == "?" && !quoted {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    static func query(_ sql: String, _ arguments: [any SQLValue]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            if let text = argument.sqlText { bindings.append(UntypedText(text: text)) } else { bindings.appendNull() }
        }
        return PostgresQuery(unsafeSQL: numbered(sql), binds: bindings)
    }

    /// Every row the statement returns.
    func rows(_ sql: String, _ arguments: [any SQLValue] = []) async throws -> [SQLRow] {
        do {
            let sequence = try await connection.query(Self.query(sql, arguments), logger: logger)
            var rows: [SQLRow] = []
            for try await row in sequence { rows.append(try SQLRow(row)) }
            return rows
        } catch let error as PSQLError {
            throw PostgresFailure(error)
        }
    }

    /// The first row, if any.
    func row(_ sql: String, _ arguments: [any SQLValue] = []) async throws -> SQLRow? {
        try await rows(sql, arguments).first
    }

    /// Runs a statement; with `RETURNING 1` the count is the number of rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLValue] = []) async throws -> Int {
        try await rows(sql, arguments).count
    }

    /// One statement without parameters, as written (migrations: `$$` bodies hold `?`-free SQL of their own).
    func script(_ sql: String) async throws {
        do {
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
        } catch let error as PSQLError {
            throw PostgresFailure(error)
        }
    }
}
