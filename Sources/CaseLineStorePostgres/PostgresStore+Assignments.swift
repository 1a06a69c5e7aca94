public import CaseLineDomain
import CaseLineStore
import Foundation

extension PostgresStore {
    static func assignment(_ row: SQLRow) -> Assignment {
        Assignment(
            id: "AS-\(row["id"] as Int64)", commune: row["commune"], login: row["login"],
            role: Assignment.Role(rawValue: row["role"]) ?? .support, from: row["from_day"], until: row["until_day"],
            decision: row["decision"], committee: "CM-\(row["committee"] as Int64)", endReason: row["end_reason"],
            revision: row["revision"])
    }

    static func fetchAssignment(_ number: Int64, _ session: SQLSession, forUpdate: Bool = false) async throws
        -> Assignment?
    {
        try await session.row("SELECT * FROM assignment WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""), [number])
            .map(assignment)
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
        return try await read { session in
            try await session.rows("SELECT * FROM assignment" + filter + " ORDER BY from_day DESC, id DESC", values)
                .map(Self.assignment)
        }
    }

    public func assignment(id: String) async throws -> Assignment? {
        guard let number = Self.number(id, prefix: "AS") else { return nil }
        return try await read { session in try await Self.fetchAssignment(number, session) }
    }

    /// The contract's answers (LEAD-EXISTS with the lead, ALREADY-EXISTS with the assignment). The exclusion
    /// constraints `assignment_one_lead` and `assignment_one_per_member` state the same rules. Writers of one
    /// commune first take a transaction lock on that commune alone: two racing inserts that an exclusion
    /// constraint refuses would otherwise each wait for the other's transaction, a deadlock that PostgreSQL
    /// breaks only after a second; in turn, the later writer's check sees the earlier one's row.
    static func checkOpenAssignments(for new: Assignment, _ session: SQLSession) async throws {
        try await session.execute("SELECT pg_advisory_xact_lock(hashtext(?))", ["assignment:\(new.commune)"])
        let open = try await session.rows(
            "SELECT * FROM assignment WHERE commune = ? AND (until_day IS NULL OR until_day > ?) ORDER BY id",
            [new.commune, new.from]
        ).map(assignment)
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

    static func insert(_ new: Assignment, now: Date, _ session: SQLSession) async throws -> Assignment {
        guard let committee = number(new.committee, prefix: "CM") else {
            throw DomainError(.notFound, "no committee \(new.committee)")
        }
        guard
            let row = try await session.row(
                """
                INSERT INTO assignment (commune, login, role, from_day, decision, committee, created)
                VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *
                """,
                [new.commune, new.login, new.role.rawValue, new.from, new.decision, committee, Timestamp.format(now)])
        else { throw StoreSQLError("the assignment insert returned no row") }
        return assignment(row)
    }

    public func createAssignment(_ new: Assignment, claim: IdempotencyClaim?, audit: AuditEntry) async throws
        -> Assignment
    {
        let now = clock()
        return try await write { session in
            try await Self.checkOpenAssignments(for: new, session)
            let created = try await Self.insert(new, now: now, session)
            try await IdempotencyLog.record(claim, entity: "assignment:\(created.id)", at: now, in: session)
            var entry = audit
            entry.entity = "assignment:\(created.id)"
            try await Journal.append(entry, at: now, in: session)
            return created
        }
    }

    static func end(_ number: Int64, until: String, reason: String?, expected: Int64?, _ session: SQLSession)
        async throws -> Assignment
    {
        guard let current = try await fetchAssignment(number, session, forUpdate: true) else {
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
        guard
            let row = try await session.row(
                "UPDATE assignment SET until_day = ?, end_reason = ?, revision = revision + 1 WHERE id = ? RETURNING *",
                [until, reason, number])
        else { throw DomainError(.notFound, "no assignment AS-\(number)") }
        return assignment(row)
    }

    public func endAssignment(
        id: String, until: String, reason: String?, expectedRevision: Int64?, audit: AuditEntry
    ) async throws -> Assignment {
        guard let number = Self.number(id, prefix: "AS") else { throw DomainError(.notFound, "no assignment \(id)") }
        let now = clock()
        return try await write { session in
            let ended = try await Self.end(number, until: until, reason: reason, expected: expectedRevision, session)
            try await Journal.append(audit, at: now, in: session)
            return ended
        }
    }

    public func reassignLead(_ newLead: Assignment, reason: String?, claim: IdempotencyClaim?, audit: AuditEntry)
        async throws -> (ended: [Assignment], created: Assignment)
    {
        let now = clock()
        return try await write { session in
            // The commune's lock (as for creation), then its open assignments, locked: two handovers of one
            // commune go one after the other.
            try await session.execute(
                "SELECT pg_advisory_xact_lock(hashtext(?))", ["assignment:\(newLead.commune)"])
            let open = try await session.rows(
                "SELECT * FROM assignment WHERE commune = ? AND until_day IS NULL ORDER BY id FOR UPDATE",
                [newLead.commune]
            ).map(Self.assignment)
            guard let old = open.first(where: { $0.role == .lead }) else {
                throw DomainError(.notFound, "commune \(newLead.commune) has no active lead; use ASSIGNMENT CREATE")
            }
            guard old.login != newLead.login else {
                throw DomainError(.invalid, "\(newLead.login) already leads \(newLead.commune) (\(old.id))")
            }
            guard newLead.from >= old.from else {
                throw DomainError(.invalid, "the handover \(newLead.from) is before \(old.login)'s start \(old.from)")
            }
            var ended: [Assignment] = []
            for held in [old] + open.filter({ $0.login == newLead.login && $0.role == .support }) {
                guard let number = Self.number(held.id, prefix: "AS") else { continue }
                ended.append(try await Self.end(number, until: newLead.from, reason: reason, expected: nil, session))
            }
            try await Self.checkOpenAssignments(for: newLead, session)
            let created = try await Self.insert(newLead, now: now, session)
            try await IdempotencyLog.record(claim, entity: "assignment:\(created.id)", at: now, in: session)
            var entries: [AuditEntry] = ended.map { assignment in
                var entry = audit
                entry.entity = "assignment:\(assignment.id)"
                entry.change = "until: – → \(newLead.from)" + (reason.map { "; end-reason: – → \($0)" } ?? "")
                return entry
            }
            var entry = audit
            entry.entity = "assignment:\(created.id)"
            entries.append(entry)
            try await Journal.append(entries, at: now, in: session)
            return (ended, created)
        }
    }
}
