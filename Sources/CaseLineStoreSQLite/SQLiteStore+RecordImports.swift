public import CaseLineDomain
public import CaseLineStore
import Foundation
import GRDB

/// Case and task imports (Store.importCases, importTasks): the whole file in one transaction, so that a refusal
/// anywhere leaves nothing behind; each record's key and fingerprint kept on its row (v17), so that the same
/// file imported again finds it and changes nothing.
extension SQLiteStore {
    /// Ends a dry run of a case or task import: throwing rolls the transaction back.
    struct RecordDryRunFinished: Error {
        let outcome: RecordImportOutcome
    }

    /// The import mark of a case or task row (nil for records made in CaseLine).
    static func importMark(_ row: Row) -> ImportMark? {
        guard let key = row["import_key"] as String?, let source = row["import_source"] as String?,
            let line = row["import_line"] as Int?, let id = row["import_id"] as String?
        else { return nil }
        return ImportMark(source: source, line: line, importID: id, key: key, successor: row["import_successor"])
    }

    /// The row with this import key in `table`, if any: its id and fingerprint.
    static func imported(_ key: String, table: String, _ db: Database) throws -> (id: Int64, fingerprint: String)? {
        try Row.fetchOne(
            db, sql: "SELECT id, import_fingerprint FROM \(table) WHERE import_key = ?", arguments: [key]
        ).map { ($0["id"], $0["import_fingerprint"] ?? "") }
    }

    /// Inserts one imported row and returns its id (as the PostgreSQL store's `insert(into:)` does).
    static func insert(
        into table: String, _ columns: [(String, (any DatabaseValueConvertible)?)], _ db: Database
    ) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO \(table) (\(columns.map(\.0).joined(separator: ", "))) VALUES ("
                + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")",
            arguments: StatementArguments(columns.map(\.1)))
        return db.lastInsertedRowID
    }

    /// The columns of an import mark.
    static func markColumns(_ mark: ImportMark?, fingerprint: String) -> [(String, (any DatabaseValueConvertible)?)] {
        [
            ("import_source", mark?.source), ("import_line", mark?.line), ("import_id", mark?.importID),
            ("import_key", mark?.key), ("import_fingerprint", fingerprint), ("import_successor", mark?.successor),
        ]
    }

    public func importCases(_ cases: [CaseImport], dryRun: Bool, audit: AuditEntry) async throws
        -> RecordImportOutcome
    {
        let now = clock()
        do {
            return try await write { db in
                var outcome = RecordImportOutcome()
                var fresh: [(item: CaseImport, households: [String])] = []
                var issues: [SurveyImport.Issue] = []
                for item in cases {
                    guard let mark = item.file.imported else {
                        throw DomainError(.internalError, "an imported case needs its import mark")
                    }
                    if let found = try Self.imported(mark.key, table: "case_file", db) {
                        try RecordImportCheck.same(found.fingerprint, item.fingerprint, "case", "C-\(found.id)", mark)
                        outcome.ids[mark.key] = "C-\(found.id)"
                        outcome.unchanged.append(mark.key)
                        continue
                    }
                    var ids: [String] = []
                    for reference in item.households {
                        var found: (id: Int64, commune: String)?
                        if let number = Self.number(reference, prefix: "HH") {
                            found = try Row.fetchOne(
                                db, sql: "SELECT id, commune FROM household WHERE id = ?", arguments: [number]
                            ).map { ($0["id"], $0["commune"]) }
                        } else {
                            found = try Row.fetchOne(
                                db,
                                sql: """
                                    SELECT h.id, h.commune FROM import_key k JOIN household h ON h.id = k.household
                                    WHERE k.key = ?
                                    """, arguments: [reference]
                            ).map { ($0["id"], $0["commune"]) }
                        }
                        if let problem = RecordImportCheck.household(reference, found, item) {
                            issues.append(problem)
                        } else if let found {
                            ids.append("HH-\(found.id)")
                        }
                    }
                    fresh.append((item, ids))
                }
                guard issues.isEmpty else { throw SurveyImport.Failure(issues: issues).domainError }
                if !fresh.isEmpty { try AuditChain.append(audit, at: now, in: db) }
                for (item, households) in fresh {
                    var file = item.file
                    file.households = households
                    let columns =
                        Self.columns(file)
                        + [
                            ("created_at", Timestamp.format(now)), ("updated_at", Timestamp.format(now)),
                            ("programme_year", file.year ?? Self.year(now)), ("decision", file.decision),
                        ] + Self.markColumns(file.imported, fingerprint: item.fingerprint)
                    let number = try Self.insert(into: "case_file", columns, db)
                    try AuditChain.append(
                        AuditEntry(
                            actor: audit.actor, command: audit.command, entity: "case:C-\(number)", change: item.change),
                        at: now, in: db)
                    outcome.ids[file.imported!.key] = "C-\(number)"
                    outcome.created.append(file.imported!.key)
                }
                if dryRun { throw RecordDryRunFinished(outcome: outcome) }
                return outcome
            }
        } catch let finished as RecordDryRunFinished {
            return finished.outcome
        }
    }

    public func importTasks(_ tasks: [TaskImport], dryRun: Bool, audit: AuditEntry) async throws
        -> RecordImportOutcome
    {
        let now = clock()
        do {
            return try await write { db in
                var outcome = RecordImportOutcome()
                var fresh: [TaskImport] = []
                for item in tasks {
                    guard let mark = item.task.imported else {
                        throw DomainError(.internalError, "an imported task needs its import mark")
                    }
                    if let found = try Self.imported(mark.key, table: "task", db) {
                        try RecordImportCheck.same(found.fingerprint, item.fingerprint, "task", "T-\(found.id)", mark)
                        outcome.ids[mark.key] = "T-\(found.id)"
                        outcome.unchanged.append(mark.key)
                        continue
                    }
                    fresh.append(item)
                }
                if !fresh.isEmpty { try AuditChain.append(audit, at: now, in: db) }
                for item in fresh {
                    let task = item.task
                    let columns: [(String, (any DatabaseValueConvertible)?)] =
                        [
                            ("commune", task.commune), ("title", task.title), ("description", task.description),
                            ("state", task.state.rawValue), ("reason", task.reason), ("component", task.component),
                            ("assignee", task.assignee), ("due", task.due), ("priority", task.priority.rawValue),
                            ("creator", task.creator), ("created_at", Timestamp.format(now)),
                            ("updated_at", Timestamp.format(now)),
                        ] + Self.markColumns(task.imported, fingerprint: item.fingerprint)
                    let number = try Self.insert(into: "task", columns, db)
                    try Self.record(item.transition, task: number, db)
                    try AuditChain.append(
                        AuditEntry(
                            actor: audit.actor, command: audit.command, entity: "task:T-\(number)", change: item.change),
                        at: now, in: db)
                    outcome.ids[task.imported!.key] = "T-\(number)"
                    outcome.created.append(task.imported!.key)
                }
                if dryRun { throw RecordDryRunFinished(outcome: outcome) }
                return outcome
            }
        } catch let finished as RecordDryRunFinished {
            return finished.outcome
        }
    }
}
