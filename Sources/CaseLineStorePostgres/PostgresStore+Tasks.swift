public import CaseLineDomain
public import CaseLineStore
import Foundation

extension PostgresStore {
    static let taskQuery = "SELECT t.*, t.comment_count AS comments FROM task t"

    static func task(_ row: SQLRow) -> WorkTask {
        WorkTask(
            id: "T-\(row["id"] as Int64)", commune: row["commune"], title: row["title"],
            description: row["description"], state: WorkTask.State(rawValue: row["state"]) ?? .new,
            reason: row["reason"], component: row["component"], assignee: row["assignee"], due: row["due"],
            priority: WorkTask.Priority(rawValue: row["priority"]) ?? .normal, comments: row["comments"],
            creator: row["creator"], createdAt: Timestamp.parse(row["created_at"]) ?? Date(timeIntervalSince1970: 0),
            updatedAt: Timestamp.parse(row["updated_at"]) ?? Date(timeIntervalSince1970: 0),
            revision: row["revision"], imported: importMark(row))
    }

    static func fetchTask(_ number: Int64, _ session: SQLSession) async throws -> WorkTask {
        guard let row = try await session.row(taskQuery + " WHERE t.id = ?", [number]) else {
            throw DomainError(.notFound, "no task T-\(number)")
        }
        return task(row)
    }

    public func tasks(_ selection: TaskSelection) async throws -> [WorkTask] {
        var conditions: [String] = []
        var arguments: [any SQLValue] = []
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
        let values = arguments
        return try await read { session in try await session.rows(sql, values).map(Self.task) }
    }

    public func task(id: String) async throws -> WorkTask? {
        guard let number = Self.number(id, prefix: "T") else { return nil }
        return try await read { session in try await session.row(Self.taskQuery + " WHERE t.id = ?", [number]) }
            .map(Self.task)
    }

    static func record(_ transition: TaskTransition?, task number: Int64, _ session: SQLSession) async throws {
        guard let transition else { return }
        try await session.execute(
            "INSERT INTO task_transition (task, from_state, to_state, by, at, reason) VALUES (?, ?, ?, ?, ?, ?)",
            [
                number, transition.from.rawValue, transition.to.rawValue, transition.by,
                Timestamp.format(transition.at), transition.reason,
            ])
    }

    public func createTask(
        _ task: WorkTask, transition: TaskTransition?, claim: IdempotencyClaim?, audit: AuditEntry
    ) async throws -> WorkTask {
        let now = clock()
        return try await write { session in
            guard
                let number: Int64 = try await session.row(
                    """
                    INSERT INTO task (commune, title, description, state, reason, component, assignee, due, priority,
                                      creator, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                    """,
                    [
                        task.commune, task.title, task.description, task.state.rawValue, task.reason, task.component,
                        task.assignee, task.due, task.priority.rawValue, task.creator, Timestamp.format(now),
                        Timestamp.format(now),
                    ])?["id"]
            else { throw StoreSQLError("the task insert returned no id") }
            var first = transition
            first?.at = now
            try await Self.record(first, task: number, session)
            try await IdempotencyLog.record(claim, entity: "task:T-\(number)", at: now, in: session)
            var entry = audit
            entry.entity = "task:T-\(number)"
            try await Journal.append(entry, at: now, in: session)
            return try await Self.fetchTask(number, session)
        }
    }

    public func saveTask(_ task: WorkTask, expectedRevision: Int64, transition: TaskTransition?, audit: AuditEntry)
        async throws -> WorkTask
    {
        guard let number = Self.number(task.id, prefix: "T") else { throw DomainError(.notFound, "no task \(task.id)") }
        let now = clock()
        return try await write { session in
            let changed = try await session.execute(
                """
                UPDATE task SET title = ?, description = ?, state = ?, reason = ?, component = ?, assignee = ?,
                    due = ?, priority = ?, updated_at = ?, revision = revision + 1
                WHERE id = ? AND revision = ? RETURNING 1
                """,
                [
                    task.title, task.description, task.state.rawValue, task.reason, task.component, task.assignee,
                    task.due, task.priority.rawValue, Timestamp.format(now), number, expectedRevision,
                ])
            guard changed == 1 else {
                guard
                    let current: Int64 = try await session.row("SELECT revision FROM task WHERE id = ?", [number])?[
                        "revision"]
                else { throw DomainError(.notFound, "no task \(task.id)") }
                throw DomainError(
                    .conflict, "task \(task.id) changed since revision \(expectedRevision)",
                    details: [("current", String(current))])
            }
            var recorded = transition
            recorded?.at = now
            try await Self.record(recorded, task: number, session)
            try await Journal.append(audit, at: now, in: session)
            return try await Self.fetchTask(number, session)
        }
    }

    public func transitions(task: String) async throws -> [TaskTransition] {
        guard let number = Self.number(task, prefix: "T") else { return [] }
        return try await read { session in
            try await session.rows("SELECT * FROM task_transition WHERE task = ? ORDER BY id", [number]).map { row in
                TaskTransition(
                    task: task, from: WorkTask.State(rawValue: row["from_state"]) ?? .new,
                    to: WorkTask.State(rawValue: row["to_state"]) ?? .new, by: row["by"],
                    at: Timestamp.parse(row["at"]) ?? Date(timeIntervalSince1970: 0), reason: row["reason"])
            }
        }
    }

    static func comment(_ row: SQLRow) -> TaskComment {
        TaskComment(
            id: "TC-\(row["id"] as Int64)", task: "T-\(row["task"] as Int64)", author: row["author"],
            at: Timestamp.parse(row["at"]) ?? Date(timeIntervalSince1970: 0), text: row["text"])
    }

    public func comments(task: String) async throws -> [TaskComment] {
        guard let number = Self.number(task, prefix: "T") else { return [] }
        return try await read { session in
            try await session.rows("SELECT * FROM task_comment WHERE task = ? ORDER BY id", [number]).map(Self.comment)
        }
    }

    public func comment(id: String) async throws -> TaskComment? {
        guard let number = Self.number(id, prefix: "TC") else { return nil }
        return try await read { session in
            try await session.row("SELECT * FROM task_comment WHERE id = ?", [number]).map(Self.comment)
        }
    }

    public func addComment(task: String, author: String, text: String, claim: IdempotencyClaim?, audit: AuditEntry)
        async throws -> TaskComment
    {
        guard let number = Self.number(task, prefix: "T") else { throw DomainError(.notFound, "no task \(task)") }
        let now = clock()
        return try await write { session in
            // A counter, not a count(*): a task with thousands of comments must not make every read of it slow.
            let counted = try await session.execute(
                "UPDATE task SET comment_count = comment_count + 1 WHERE id = ? RETURNING 1", [number])
            guard counted == 1 else { throw DomainError(.notFound, "no task \(task)") }
            guard
                let row = try await session.row(
                    "INSERT INTO task_comment (task, author, at, text) VALUES (?, ?, ?, ?) RETURNING *",
                    [number, author, Timestamp.format(now), text])
            else { throw StoreSQLError("the comment insert returned no row") }
            let comment = Self.comment(row)
            try await IdempotencyLog.record(claim, entity: "comment:\(comment.id)", at: now, in: session)
            var entry = audit
            entry.events = audit.events.map { $0.filling("comment", with: comment.id) }
            try await Journal.append(entry, at: now, in: session)
            return comment
        }
    }
}
