import GRDB

extension Database {
    /// Runs one statement prepared once per connection. `execute(sql:)` parsed its SQL on every call, and a
    /// write runs five to ten statements (its own, the audit record, the event, the idempotency key).
    func executeCached(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
