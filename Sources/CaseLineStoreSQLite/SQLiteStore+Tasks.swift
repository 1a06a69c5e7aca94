public import CaseLineDomain
public import CaseLineStore
import Foundation
import GRDB

extension SQLiteStore {
    static let taskQuery = "SELECT t.*, t.comment_count AS comments FROM task t"

    static func task(_ row: Row) -> WorkTask {
        WorkTask(
            id: "T-\(row["id"] as Int64)", commune: row["commune"], title: row["title"],
            description: row["description"], state: WorkTask.State(rawValue: row["state"]) ?? .new,
            reason: row["reason"], component: row["component"], assignee: row["assignee"], due: row["due"],
            priority: WorkTask.Priority(rawValue: row["priority"]) ?? .normal, comments: row["comments"],
            creator: row["creator"], createdAt: Timestamp.parse(row["created_at"]) ?? Date(timeIntervalSince1970: 0),
            updatedAt: Timestamp.parse(row["updated_at"]) ?? Date(timeIntervalSince1970: 0),
            revision: row["revision"], imported: importMark(row))
    }

    static func fetchTask(_ number: Int64, _ db: Database) throws -> WorkTask? {
        try Row.decodeOne(try db.cachedStatement(sql: taskQuery + " WHERE t.id = ?"), arguments: [number], as: task)
    }

    public func tasks(_ selection: TaskSelection) async throws -> [WorkTask] {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let communes = selection.communes {
            guard !communes.isEmpty else { return [] }
            conditions.append(Self.among("t.commune"))
            arguments.append(Self.json(communes.sorted()))
        }
        if let states = selection.states {
            guard !states.isEmpty else { return [] }
            conditions.append(Self.among("t.state"))
            arguments.append(Self.json(states.map(\.rawValue).sorted()))
        }
        if let assignee = selection.assignee {
            conditions.append("t.assignee = ?")
            arguments.append(assignee)
        }
        let sql =
            Self.taskQuery + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY t.id"
        return try readNow { db in
            try Row.decodeAll(
                try db.cachedStatement(sql: sql), arguments: StatementArguments(arguments), as: Self.task)
        }
    }

    public func task(id: String) async throws -> WorkTask? {
        guard let number = Self.number(id, prefix: "T") else { return nil }
        return try readNow { db in try Self.fetchTask(number, db) }
    }

    static func record(_ transition: TaskTransition?, task number: Int64, _ db: Database) throws {
        guard let transition else { return }
        try db.executeCached(
            sql: "INSERT INTO task_transition (task, from_state, to_state, by, at, reason) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [
                number, transition.from.rawValue, transition.to.rawValue, transition.by,
                Timestamp.format(transition.at), transition.reason,
            ])
    }

    public func createTask(
        _ task: WorkTask, transition: TaskTransition?, claim: IdempotencyClaim?, audit: AuditEntry
    ) async throws -> WorkTask {
        let now = clock()
        return try await write { db in
            try db.executeCached(
                sql: """
                    INSERT INTO task (commune, title, description, state, reason, component, assignee, due, priority,
                                      creator, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    task.commune, task.title, task.description, task.state.rawValue, task.reason, task.component,
                    task.assignee, task.due, task.priority.rawValue, task.creator, Timestamp.format(now),
                    Timestamp.format(now),
                ])
            let number = db.lastInsertedRowID
            var first = transition
            first?.at = now
            try Self.record(first, task: number, db)
            try IdempotencyLog.record(claim, entity: "task:T-\(number)", at: now, in: db)
            var entry = audit
            entry.entity = "task:T-\(number)"
            try AuditChain.append(entry, at: now, in: db)
            return try Self.fetchTask(number, db)!
        }
    }

    public func saveTask(_ task: WorkTask, expectedRevision: Int64, transition: TaskTransition?, audit: AuditEntry)
        async throws -> WorkTask
    {
        guard let number = Self.number(task.id, prefix: "T") else { throw DomainError(.notFound, "no task \(task.id)") }
        let now = clock()
        return try await write { db in
            try db.executeCached(
                sql: """
                    UPDATE task SET title = ?, description = ?, state = ?, reason = ?, component = ?, assignee = ?,
                        due = ?, priority = ?, updated_at = ?, revision = revision + 1
                    WHERE id = ? AND revision = ?
                    """,
                arguments: [
                    task.title, task.description, task.state.rawValue, task.reason, task.component, task.assignee,
                    task.due, task.priority.rawValue, Timestamp.format(now), number, expectedRevision,
                ])
            guard db.changesCount == 1 else {
                guard
                    let current = try Int64.fetchOne(
                        try db.cachedStatement(sql: "SELECT revision FROM task WHERE id = ?"), arguments: [number])
                else { throw DomainError(.notFound, "no task \(task.id)") }
                throw DomainError(
                    .conflict, "task \(task.id) changed since revision \(expectedRevision)",
                    details: [("current", String(current))])
            }
            var recorded = transition
            recorded?.at = now
            try Self.record(recorded, task: number, db)
            try AuditChain.append(audit, at: now, in: db)
            return try Self.fetchTask(number, db)!
        }
    }

    public func transitions(task: String) async throws -> [TaskTransition] {
        guard let number = Self.number(task, prefix: "T") else { return [] }
        return try readNow { db in
            try Row.decodeAll(
                try db.cachedStatement(sql: "SELECT * FROM task_transition WHERE task = ? ORDER BY id"),
                arguments: [number]
            ) { row in
                TaskTransition(
                    task: task, from: WorkTask.State(rawValue: row["from_state"]) ?? .new,
                    to: WorkTask.State(rawValue: row["to_state"]) ?? .new, by: row["by"],
                    at: Timestamp.parse(row["at"]) ?? Date(timeIntervalSince1970: 0), reason: row["reason"])
            }
        }
    }

    static func comment(_ row: Row) -> TaskComment {
        TaskComment(
            id: "TC-\(row["id"] as Int64)", task: "T-\(row["task"] as Int64)", author: row["author"],
            at: Timestamp.parse(row["at"]) ?? Date(timeIntervalSince1970: 0), text: row["text"])
    }

    public func comments(task: String) async throws -> [TaskComment] {
        guard let number = Self.number(task, prefix: "T") else { return [] }
        return try readNow { db in
            try Row.decodeAll(
                try db.cachedStatement(sql: "SELECT * FROM task_comment WHERE task = ? ORDER BY id"),
                arguments: [number], as: Self.comment)
        }
    }

    public func comment(id: String) async throws -> TaskComment? {
        guard let number = Self.number(id, prefix: "TC") else { return nil }
        return try readNow { db in
            try Row.decodeOne(
                try db.cachedStatement(sql: "SELECT * FROM task_comment WHERE id = ?"), arguments: [number],
                as: Self.comment)
        }
    }

    public func addComment(task: String, author: String, text: String, claim: IdempotencyClaim?, audit: AuditEntry)
        async throws -> TaskComment
    {
        guard let number = Self.number(task, prefix: "T") else { throw DomainError(.notFound, "no task \(task)") }
        let now = clock()
        return try await write { db in
            try db.executeCached(
                sql: "INSERT INTO task_comment (task, author, at, text) VALUES (?, ?, ?, ?)",
                arguments: [number, author, Timestamp.format(now), text])
            // A counter, not a count(*): a task with thousands of comments must not make every read of it slow.
            try db.executeCached(
                sql: "UPDATE task SET comment_count = comment_count + 1 WHERE id = ?", arguments: [number])
            let id = db.lastInsertedRowID
            try IdempotencyLog.record(claim, entity: "comment:TC-\(id)", at: now, in: db)
            var entry = audit
            entry.events = audit.events.map { $0.filling("comment", with: "TC-\(id)") }
            try AuditChain.append(entry, at: now, in: db)
            return try Row.decodeOne(
                try db.cachedStatement(sql: "SELECT * FROM task_comment WHERE id = ?"), arguments: [id],
                as: Self.comment)!
        }
    }
}
