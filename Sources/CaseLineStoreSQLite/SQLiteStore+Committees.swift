public import CaseLineDomain
import CaseLineStore
import Foundation
import GRDB

extension SQLiteStore {
    static let committeeQuery = """
        SELECT c.*, (SELECT count(*) FROM committee_member m WHERE m.committee = c.id AND m.ended IS NULL) AS members
        FROM committee c
        """

    static func committee(_ row: Row) -> Committee {
        Committee(
            id: "CM-\(row["id"] as Int64)", unit: row["unit"], name: row["name"], decision: row["decision"],
            decided: row["decided"], members: row["members"],
            created: Timestamp.parse(row["created"]) ?? Date(timeIntervalSince1970: 0), revision: row["revision"])
    }

    static func number(_ id: String, prefix: String) -> Int64? { EntityID.number(id, prefix: prefix) }

    static func fetchCommittee(_ number: Int64, _ db: Database) throws -> Committee? {
        try Row.decodeOne(
            try db.cachedStatement(sql: committeeQuery + " WHERE c.id = ?"), arguments: [number],
            as: committee)
    }

    public func committees() async throws -> [Committee] {
        try readNow { db in
            try Row.decodeAll(try db.cachedStatement(sql: Self.committeeQuery + " ORDER BY c.unit"), as: Self.committee)
        }
    }

    public func committee(id: String) async throws -> Committee? {
        guard let number = Self.number(id, prefix: "CM") else { return nil }
        return try readNow { db in try Self.fetchCommittee(number, db) }
    }

    public func members(committee: String?, login: String?) async throws -> [Committee.Member] {
        var conditions = ["ended IS NULL"]
        var arguments: [String] = []
        if let committee {
            guard let number = Self.number(committee, prefix: "CM") else { return [] }
            conditions.append("committee = ?")
            arguments.append(String(number))
        }
        if let login {
            conditions.append("login = ?")
            arguments.append(login)
        }
        let sql =
            "SELECT * FROM committee_member WHERE " + conditions.joined(separator: " AND ")
            + " ORDER BY committee, login"
        let values = arguments
        return try readNow { db in
            try Row.decodeAll(try db.cachedStatement(sql: sql), arguments: StatementArguments(values)) { row in
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
        return try await write { db in
            if let existing = try Int64.fetchOne(
                try db.cachedStatement(sql: "SELECT id FROM committee WHERE unit = ?"), arguments: [unit])
            {
                throw DomainError(
                    .alreadyExists, "unit \(unit) already has a steering committee, CM-\(existing)",
                    details: [("committee", "CM-\(existing)")])
            }
            try db.executeCached(
                sql: "INSERT INTO committee (unit, name, decision, decided, created) VALUES (?, ?, ?, ?, ?)",
                arguments: [unit, name, decision, decided, Timestamp.format(now)])
            let id = db.lastInsertedRowID
            try IdempotencyLog.record(claim, entity: "committee:CM-\(id)", at: now, in: db)
            var entry = audit
            entry.entity = "committee:CM-\(id)"
            try AuditChain.append(entry, at: now, in: db)
            return try Self.fetchCommittee(id, db)!
        }
    }

    /// Raises the committee's revision if it is still `expected` (any revision when nil).
    static func bumpCommittee(_ number: Int64, expected: Int64?, _ db: Database) throws {
        guard
            let current = try Int64.fetchOne(
                try db.cachedStatement(sql: "SELECT revision FROM committee WHERE id = ?"), arguments: [number])
        else { throw DomainError(.notFound, "no committee CM-\(number)") }
        if let expected, expected != current {
            throw DomainError(
                .conflict, "committee CM-\(number) changed since revision \(expected)",
                details: [("current", String(current))])
        }
        try db.executeCached(sql: "UPDATE committee SET revision = revision + 1 WHERE id = ?", arguments: [number])
    }

    public func saveCommittee(_ committee: Committee, expectedRevision: Int64, audit: AuditEntry) async throws
        -> Committee
    {
        guard let number = Self.number(committee.id, prefix: "CM") else {
            throw DomainError(.notFound, "no committee \(committee.id)")
        }
        let now = clock()
        return try await write { db in
            try Self.bumpCommittee(number, expected: expectedRevision, db)
            try db.executeCached(
                sql: "UPDATE committee SET name = ?, decision = ?, decided = ? WHERE id = ?",
                arguments: [committee.name, committee.decision, committee.decided, number])
            try AuditChain.append(audit, at: now, in: db)
            return try Self.fetchCommittee(number, db)!
        }
    }

    public func addMember(_ member: Committee.Member, expectedRevision: Int64?, audit: AuditEntry) async throws
        -> Committee
    {
        guard let number = Self.number(member.committee, prefix: "CM") else {
            throw DomainError(.notFound, "no committee \(member.committee)")
        }
        let now = clock()
        return try await write { db in
            try Self.bumpCommittee(number, expected: expectedRevision, db)
            if let seat = try String.fetchOne(
                try db.cachedStatement(
                    sql: "SELECT position FROM committee_member WHERE committee = ? AND login = ? AND ended IS NULL"),
                arguments: [number, member.login])
            {
                throw DomainError(
                    .alreadyExists, "\(member.login) already sits on \(member.committee) as \(seat)",
                    details: [("user", member.login), ("position", seat)])
            }
            if member.position == .chair,
                let chair = try String.fetchOne(
                    try db.cachedStatement(
                        sql:
                            "SELECT login FROM committee_member WHERE committee = ? AND position = 'chair' AND ended IS NULL"
                    ),
                    arguments: [number])
            {
                throw DomainError(.invalid, "\(member.committee) already has a chair, \(chair); remove them first")
            }
            try db.executeCached(
                sql: "INSERT INTO committee_member (committee, login, position, since) VALUES (?, ?, ?, ?)",
                arguments: [number, member.login, member.position.rawValue, member.since])
            try AuditChain.append(audit, at: now, in: db)
            return try Self.fetchCommittee(number, db)!
        }
    }

    public func removeMember(
        committee: String, login: String, day: String, expectedRevision: Int64?, audit: AuditEntry
    ) async throws -> Committee {
        guard let number = Self.number(committee, prefix: "CM") else {
            throw DomainError(.notFound, "no committee \(committee)")
        }
        let now = clock()
        return try await write { db in
            try Self.bumpCommittee(number, expected: expectedRevision, db)
            let held = try Row.fetchAll(
                try db.cachedStatement(
                    sql: """
                        SELECT id, role, commune FROM assignment
                        WHERE committee = ? AND login = ? AND (until_day IS NULL OR until_day > ?) ORDER BY id
                        """),
                arguments: [number, login, day])
            if !held.isEmpty {
                let list = held.map { "AS-\($0["id"] as Int64) (\($0["role"] as String), \($0["commune"] as String))" }
                throw DomainError(
                    .invalid,
                    "\(login) still holds \(list.joined(separator: " and ")) under \(committee); end or reassign them first"
                )
            }
            try db.executeCached(
                sql: "UPDATE committee_member SET ended = ? WHERE committee = ? AND login = ? AND ended IS NULL",
                arguments: [day, number, login])
            guard db.changesCount == 1 else { throw DomainError(.notFound, "\(login) is not a member of \(committee)") }
            try AuditChain.append(audit, at: now, in: db)
            return try Self.fetchCommittee(number, db)!
        }
    }
}
