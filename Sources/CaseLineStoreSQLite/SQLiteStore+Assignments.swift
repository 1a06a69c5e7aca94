public import CaseLineDomain
import CaseLineStore
import Foundation
import GRDB

extension SQLiteStore {
    static func assignment(_ row: Row) -> Assignment {
        Assignment(
            id: "AS-\(row["id"] as Int64)", commune: row["commune"], login: row["login"],
            role: Assignment.Role(rawValue: row["role"]) ?? .support, from: row["from_day"], until: row["until_day"],
            decision: row["decision"], committee: "CM-\(row["committee"] as Int64)", endReason: row["end_reason"],
            revision: row["revision"])
    }

    static func fetchAssignment(_ number: Int64, _ db: Database) throws -> Assignment? {
        try Row.decodeOne(
            try db.cachedStatement(sql: "SELECT * FROM assignment WHERE id = ?"), arguments: [number],
            as: assignment)
    }

    public func assignments(commune: String?, login: String?) async throws -> [Assignment] {
        var conditions: [String] = []
        var arguments: [String] = []
        if let commune {
            conditions.append("commune = ?")
            arguments.append(commune)
        }
        if let login {
            conditions.append("login = ?")
            arguments.append(login)
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let values = arguments
        return try readNow { db in
            try Row.decodeAll(
                try db.cachedStatement(sql: "SELECT * FROM assignment" + filter + " ORDER BY from_day DESC, id DESC"),
                arguments: StatementArguments(values), as: Self.assignment)
        }
    }

    public func assignment(id: String) async throws -> Assignment? {
        guard let number = Self.number(id, prefix: "AS") else { return nil }
        return try readNow { db in try Self.fetchAssignment(number, db) }
    }

    /// The rules that must hold at the moment of writing, so they are checked inside the transaction.
    static func checkOpenAssignments(for new: Assignment, _ db: Database) throws {
        let open = try Row.decodeAll(
            try db.cachedStatement(
                sql: """
                    SELECT * FROM assignment WHERE commune = ? AND (until_day IS NULL OR until_day > ?) ORDER BY id
                    """),
            arguments: [new.commune, new.from], as: assignment)
        if new.role == .lead, let lead = open.first(where: { $0.role == .lead }) {
            throw DomainError(
                .leadExists,
                "commune \(new.commune) already has a lead (\(lead.login), \(lead.id)); use ASSIGNMENT REASSIGN",
                details: [("lead", lead.login), ("assignment", lead.id)])
        }
        if let own = open.first(where: { $0.login == new.login }) {
            throw DomainError(
                .alreadyExists, "\(new.login) already holds \(own.id) (\(own.role.rawValue)) for \(new.commune)",
                details: [("assignment", own.id)])
        }
    }

    static func insert(_ new: Assignment, now: Date, _ db: Database) throws -> Assignment {
        guard let committee = number(new.committee, prefix: "CM") else {
            throw DomainError(.notFound, "no committee \(new.committee)")
        }
        try db.executeCached(
            sql: """
                INSERT INTO assignment (commune, login, role, from_day, decision, committee, created)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                new.commune, new.login, new.role.rawValue, new.from, new.decision, committee, Timestamp.format(now),
            ])
        return try fetchAssignment(db.lastInsertedRowID, db)!
    }

    public func createAssignment(_ new: Assignment, claim: IdempotencyClaim?, audit: AuditEntry) async throws
        -> Assignment
    {
        let now = clock()
        return try await write { db in
            try Self.checkOpenAssignments(for: new, db)
            let created = try Self.insert(new, now: now, db)
            try IdempotencyLog.record(claim, entity: "assignment:\(created.id)", at: now, in: db)
            var entry = audit
            entry.entity = "assignment:\(created.id)"
            try AuditChain.append(entry, at: now, in: db)
            return created
        }
    }

    static func end(_ number: Int64, until: String, reason: String?, expected: Int64?, _ db: Database) throws
        -> Assignment
    {
        guard let current = try fetchAssignment(number, db) else {
            throw DomainError(.notFound, "no assignment AS-\(number)")
        }
        if let expected, expected != current.revision {
            throw DomainError(
                .conflict, "assignment \(current.id) changed since revision \(expected)",
                details: [("current", String(current.revision))])
        }
        if let ended = current.until {
            throw DomainError(.invalid, "\(current.id) already ends on \(ended)")
        }
        guard until >= current.from else {
            throw DomainError(.invalid, "the end \(until) is before the start \(current.from) of \(current.id)")
        }
        try db.executeCached(
            sql: "UPDATE assignment SET until_day = ?, end_reason = ?, revision = revision + 1 WHERE id = ?",
            arguments: [until, reason, number])
        return try fetchAssignment(number, db)!
    }

    public func endAssignment(
        id: String, until: String, reason: String?, expectedRevision: Int64?, audit: AuditEntry
    ) async throws -> Assignment {
        guard let number = Self.number(id, prefix: "AS") else { throw DomainError(.notFound, "no assignment \(id)") }
        let now = clock()
        return try await write { db in
            let ended = try Self.end(number, until: until, reason: reason, expected: expectedRevision, db)
            try AuditChain.append(audit, at: now, in: db)
            return ended
        }
    }

    public func reassignLead(_ newLead: Assignment, reason: String?, claim: IdempotencyClaim?, audit: AuditEntry)
        async throws -> (ended: [Assignment], created: Assignment)
    {
        let now = clock()
        return try await write { db in
            let open = try Row.decodeAll(
                try db.cachedStatement(
                    sql: "SELECT * FROM assignment WHERE commune = ? AND until_day IS NULL ORDER BY id"),
                arguments: [newLead.commune], as: Self.assignment)
            guard let old = open.first(where: { $0.role == .lead }) else {
                throw DomainError(
                    .notFound, "commune \(newLead.commune) has no active lead; use ASSIGNMENT CREATE")
            }
            guard old.login != newLead.login else {
                throw DomainError(.invalid, "\(newLead.login) already leads \(newLead.commune) (\(old.id))")
            }
            guard newLead.from >= old.from else {
                throw DomainError(.invalid, "the handover \(newLead.from) is before \(old.login)'s start \(old.from)")
            }
            var ended = [
                try Self.end(Self.number(old.id, prefix: "AS")!, until: newLead.from, reason: reason, expected: nil, db)
            ]
            if let support = open.first(where: { $0.login == newLead.login && $0.role == .support }) {
                ended.append(
                    try Self.end(
                        Self.number(support.id, prefix: "AS")!, until: newLead.from, reason: reason, expected: nil, db))
            }
            try Self.checkOpenAssignments(for: newLead, db)
            let created = try Self.insert(newLead, now: now, db)
            try IdempotencyLog.record(claim, entity: "assignment:\(created.id)", at: now, in: db)
            for assignment in ended {
                var entry = audit
                entry.entity = "assignment:\(assignment.id)"
                entry.change = "until: – → \(newLead.from)" + (reason.map { "; end-reason: – → \($0)" } ?? "")
                try AuditChain.append(entry, at: now, in: db)
            }
            var entry = audit
            entry.entity = "assignment:\(created.id)"
            try AuditChain.append(entry, at: now, in: db)
            return (ended, created)
        }
    }
}
