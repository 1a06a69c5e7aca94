public import CaseLineDomain
import CaseLineStore
public import Foundation
import GRDB

extension SQLiteStore {
    public func users() async throws -> [User] {
        try readNow { db in
            try Row.decodeAll(try db.cachedStatement(sql: "SELECT * FROM user ORDER BY login"), as: Self.user)
        }
    }

    public func userNames(_ logins: Set<String>) async throws -> [String: String] {
        guard !logins.isEmpty else { return [:] }
        return try readNow { db in
            var names: [String: String] = [:]
            let rows = try Row.fetchCursor(
                try db.cachedStatement(sql: "SELECT login, name FROM user WHERE " + Self.among("login")),
                arguments: [Self.json(logins.sorted())])
            while let row = try rows.next() { names[row["login"]] = row["name"] }
            return names
        }
    }

    public func saveUser(_ user: User, expectedRevision: Int64, audit: AuditEntry) async throws -> User {
        let now = clock()
        return try await write { db in
            // Before the update, whose UNIQUE constraint would refuse it with a database error of its own.
            if let fingerprint = user.certificateFingerprint,
                let owner = try String.fetchOne(
                    try db.cachedStatement(sql: "SELECT login FROM user WHERE cert_fingerprint = ?"),
                    arguments: [fingerprint]),
                owner != user.login
            {
                throw DomainError(.alreadyExists, "that certificate is already mapped to \(owner)")
            }
            try db.executeCached(
                sql: """
                    UPDATE user SET name = ?, role = ?, scope = ?, email = ?, phone = ?, disabled = ?,
                        disabled_reason = ?, cert_fingerprint = ?, revision = revision + 1
                    WHERE login = ? AND revision = ?
                    """,
                arguments: [
                    user.name, user.role.rawValue, user.scope.description, user.email, user.phone, user.disabled,
                    user.disabledReason, user.certificateFingerprint, user.login, expectedRevision,
                ])
            guard db.changesCount == 1 else {
                guard
                    let current = try Int64.fetchOne(
                        try db.cachedStatement(sql: "SELECT revision FROM user WHERE login = ?"),
                        arguments: [user.login])
                else { throw DomainError(.notFound, "no user \(user.login)") }
                throw DomainError(
                    .conflict, "user \(user.login) changed since revision \(expectedRevision)",
                    details: [("current", String(current))])
            }
            try AuditChain.append(audit, at: now, in: db)
            return try Row.decodeOne(
                try db.cachedStatement(sql: "SELECT * FROM user WHERE login = ?"), arguments: [user.login],
                as: Self.user)!
        }
    }

    public func recordLogin(login: String, at date: Date) async throws {
        try await write { db in
            try db.executeCached(
                sql: "UPDATE user SET last_login = ? WHERE login = ?", arguments: [Timestamp.format(date), login])
        }
    }

    public func loginStates() async throws -> [String: LoginState] {
        let now = Timestamp.format(clock())
        return try readNow { db in
            var states: [String: LoginState] = [:]
            for row in try Row.fetchAll(try db.cachedStatement(sql: "SELECT name, count FROM login_failure")) {
                states[row["name"], default: LoginState()].nameFailures = row["count"]
            }
            let locks = try Row.fetchAll(
                try db.cachedStatement(
                    sql: "SELECT name, max(locked_until) AS until FROM login_lock WHERE locked_until > ? GROUP BY name"),
                arguments: [now])
            for row in locks {
                states[row["name"], default: LoginState()].lockedUntil = (row["until"] as String?).flatMap(
                    Timestamp.parse)
            }
            return states
        }
    }
}
