public import CaseLineDomain
import CaseLineStore
import Foundation

extension PostgresStore {
    static let committeeQuery = """
        SELECT c.*, (SELECT count(*) FROM committee_member m WHERE m.committee = c.id AND m.ended IS NULL) AS members
        FROM committee c
        """

    static func committee(_ row: SQLRow) -> Committee {
        Committee(
            id: "CM-\(row["id"] as Int64)", unit: row["unit"], name: row["name"], decision: row["decision"],
            decided: row["decided"], members: row["members"],
            created: Timestamp.parse(row["created"]) ?? Date(timeIntervalSince1970: 0), revision: row["revision"])
    }

    static func fetchCommittee(_ number: Int64, _ session: SQLSession) async throws -> Committee? {
        try await session.row(committeeQuery + " WHERE c.id = ?", [number]).map(committee)
    }

    static func requireCommittee(_ number: Int64, _ session: SQLSession) async throws -> Committee {
        guard let found = try await fetchCommittee(number, session) else {
            throw DomainError(.notFound, "no committee CM-\(number)")
        }
        return found
    }

    public func committees() async throws -> [Committee] {
        try await read { session in
            try await session.rows(Self.committeeQuery + " ORDER BY c.unit").map(Self.committee)
        }
    }

    public func committee(id: String) async throws -> Committee? {
        guard let number = Self.number(id, prefix: "CM") else { return nil }
        return try await read { session in try await Self.fetchCommittee(number, session) }
    }

    public func members(committee: String?, login: String?) async throws -> [Committee.Member] {
        var conditions = ["ended IS NULL"]
        var arguments: [any SQLValue] = []
        if let committee {
            guard let number = Self.number(committee, prefix: "CM") else { return [] }
            conditions.append("committee = ?")
            arguments.append(number)
        }
        if let login {
            conditions.append("login = ?")
            arguments.append(login)
        }
        let sql =
            "SELECT * FROM committee_member WHERE " + conditions.joined(separator: " AND ")
            + " ORDER BY committee, login"
        let values = arguments
        return try await read { session in
            try await session.rows(sql, values).map { row in
                Committee.Member(
                    committee: "CM-\(row["committee"] as Int64)", login: row["login"],
                    position: Committee.Position(rawValue: row["position"]) ?? .member, since: row["since"])
            }
        }
    }

    public func createCommittee(
        unit: String, name: String, decision: String, decided: String, claim: IdempotencyClaim?, audit: AuditEntry
    ) async throws -> Committee {
        let now = clock()
        return try await write { session in
            if let existing: Int64 = try await session.row("SELECT id FROM committee WHERE unit = ?", [unit])?["id"] {
                throw DomainError(
                    .alreadyExists, "unit \(unit) already has a steering committee, CM-\(existing)",
                    details: [("committee", "CM-\(existing)")])
            }
            guard
                let id: Int64 = try await session.row(
                    "INSERT INTO committee (unit, name, decision, decided, created) VALUES (?, ?, ?, ?, ?) RETURNING id",
                    [unit, name, decision, decided, Timestamp.format(now)])?["id"]
            else { throw StoreSQLError("the committee insert returned no id") }
            try await IdempotencyLog.record(claim, entity: "committee:CM-\(id)", at: now, in: session)
            var entry = audit
            entry.entity = "committee:CM-\(id)"
            try await Journal.append(entry, at: now, in: session)
            return try await Self.requireCommittee(id, session)
        }
    }

    /// Locks the committee row and raises its revision if it is still `expected` (any revision when nil): the
    /// seat rules below are then checked by one writer of this committee at a time.
    static func bumpCommittee(_ number: Int64, expected: Int64?, _ session: SQLSession) async throws {
        guard
            let current: Int64 = try await session.row(
                "SELECT revision FROM committee WHERE id = ? FOR UPDATE", [number])?["revision"]
        else { throw DomainError(.notFound, "no committee CM-\(number)") }
        if let expected, expected != current {
            throw DomainError(
                .conflict, "committee CM-\(number) changed since revision \(expected)",
                details: [("current", String(current))])
        }
        try await session.execute("UPDATE committee SET revision = revision + 1 WHERE id = ?", [number])
    }

    public func saveCommittee(_ committee: Committee, expectedRevision: Int64, audit: AuditEntry) async throws
        -> Committee
    {
        guard let number = Self.number(committee.id, prefix: "CM") else {
            throw DomainError(.notFound, "no committee \(committee.id)")
        }
        let now = clock()
        return try await write { session in
            try await Self.bumpCommittee(number, expected: expectedRevision, session)
            try await session.execute(
                "UPDATE committee SET name = ?, decision = ?, decided = ? WHERE id = ?",
                [committee.name, committee.decision, committee.decided, number])
            try await Journal.append(audit, at: now, in: session)
            return try await Self.requireCommittee(number, session)
        }
    }

    public func addMember(_ member: Committee.Member, expectedRevision: Int64?, audit: AuditEntry) async throws
        -> Committee
    {
        guard let number = Self.number(member.committee, prefix: "CM") else {
            throw DomainError(.notFound, "no committee \(member.committee)")
        }
        let now = clock()
        return try await write { session in
            try await Self.bumpCommittee(number, expected: expectedRevision, session)
            if let seat: String = try await session.row(
                "SELECT position FROM committee_member WHERE committee = ? AND login = ? AND ended IS NULL",
                [number, member.login])?["position"]
            {
                throw DomainError(
                    .alreadyExists, "\(member.login) already sits on \(member.committee) as \(seat)",
                    details: [("user", member.login), ("position", seat)])
            }
            if member.position == .chair,
                let chair: String = try await session.row(
                    "SELECT login FROM committee_member WHERE committee = ? AND position = 'chair' AND ended IS NULL",
                    [number])?["login"]
            {
                throw DomainError(.invalid, "\(member.committee) already has a chair, \(chair); remove them first")
            }
            try await session.execute(
                "INSERT INTO committee_member (committee, login, position, since) VALUES (?, ?, ?, ?)",
                [number, member.login, member.position.rawValue, member.since])
            try await Journal.append(audit, at: now, in: session)
            return try await Self.requireCommittee(number, session)
        }
    }

    public func removeMember(
        committee: String, login: String, day: String, expectedRevision: Int64?, audit: AuditEntry
    ) async throws -> Committee {
        guard let number = Self.number(committee, prefix: "CM") else {
            throw DomainError(.notFound, "no committee \(committee)")
        }
        let now = clock()
        return try await write { session in
            try await Self.bumpCommittee(number, expected: expectedRevision, session)
            let held = try await session.rows(
                """
                SELECT id, role, commune FROM assignment
                WHERE committee = ? AND login = ? AND (until_day IS NULL OR until_day > ?) ORDER BY id
                """,
                [number, login, day])
            if !held.isEmpty {
                let list = held.map { "AS-\($0["id"] as Int64) (\($0["role"] as String), \($0["commune"] as String))" }
                throw DomainError(
                    .invalid,
                    "\(login) still holds \(list.joined(separator: " and ")) under \(committee); end or reassign them first"
                )
            }
            let changed = try await session.execute(
                "UPDATE committee_member SET ended = ? WHERE committee = ? AND login = ? AND ended IS NULL RETURNING 1",
                [day, number, login])
            guard changed == 1 else { throw DomainError(.notFound, "\(login) is not a member of \(committee)") }
            try await Journal.append(audit, at: now, in: session)
            return try await Self.requireCommittee(number, session)
        }
    }
}
