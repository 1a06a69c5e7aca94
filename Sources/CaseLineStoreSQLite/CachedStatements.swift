import Foundation
import GRDB

extension Database {
    /// Runs one statement prepared once per connection. `execute(sql:)` parsed its SQL on every call, and a
    /// write runs five to ten statements (its own, the audit record, the event, the idempotency key).
    func executeCached(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}

extension SQLiteStore {
    /// `column IN (…)` for a list of any length, passed as one parameter (a JSON array, read back by
    /// `json_each`; bind it with `json`). One prepared statement then serves every length, where an
    /// IN list of `?` made, and cached, a statement per length.
    static func among(_ column: String) -> String { "\(column) IN (SELECT value FROM json_each(?))" }

    /// A JSON array: how lists are bound to `among` and how a case's lists are stored.
    static func json(_ values: some Collection<some Encodable>) -> String {
        String(decoding: (try? JSONEncoder().encode(Array(values))) ?? Data("[]".utf8), as: UTF8.self)
    }
}
