public import CaseLineDomain
import CaseLineStore
public import Foundation

extension PostgresStore {
    static func user(_ row: SQLRow) -> User {
        User(
            login: row["login"], name: row["name"], role: Role(rawValue: row["role"]) ?? .auditor,
            scope: Scope(wire: row["scope"]) ?? .commune("0"), email: row["email"], phone: row["phone"],
            disabled: row["disabled"], mustChangePassword: row["must_change_password"],
            certificateFingerprint: row["cert_fingerprint"], revision: row["revision"],
            created: (row["created"] as String?).flatMap(Timestamp.parse),
            lastLogin: (row["last_login"] as String?).flatMap(Timestamp.parse), disabledReason: row["disabled_reason"])
    }

    public func user(login: String) async throws -> User? {
        try await credentials(login: login)?.user
    }

    public func credentials(login: String) async throws -> (user: User, passwordHash: String)? {
        try await read { session in
            try await session.row("SELECT * FROM users WHERE login = ?", [login]).map {
                (Self.user($0), $0["password_hash"] as String)
            }
        }
    }

    public func user(certificateFingerprint: String) async throws -> User? {
        try await read { session in
            try await session.row("SELECT * FROM users WHERE cert_fingerprint = ?", [certificateFingerprint]).map(
                Self.user)
        }
    }

    public func userCount() async throws -> Int {
        try await read { session in try await session.row("SELECT count(*) AS n FROM users")?["n"] ?? 0 }
    }

    public func users() async throws -> [User] {
        try await read { session in try await session.rows("SELECT * FROM users ORDER BY login").map(Self.user) }
    }

    public func userNames(_ logins: Set<String>) async throws -> [String: String] {
        guard !logins.isEmpty else { return [:] }
        return try await read { session in
            var names: [String: String] = [:]
            for row in try await session.rows(
                "SELECT login, name FROM users WHERE " + Self.among("login"), [Self.json(logins.sorted())])
            {
                names[row["login"]] = row["name"] as String
            }
            return names
        }
    }

    public func createUser(_ user: User, passwordHash: String, audit: AuditEntry) async throws {
        try await createUser(user, passwordHash: passwordHash, claim: nil, audit: audit)
    }

    public func createUser(_ user: User, passwordHash: String, claim: IdempotencyClaim?, audit: AuditEntry)
        async throws
    {
        let now = clock()
        try await write { session in
            try await IdempotencyLog.record(claim, entity: "user:\(user.login)", at: now, in: session)
            if try await session.row("SELECT 1 FROM users WHERE login = ?", [user.login]) != nil {
                throw DomainError(.alreadyExists, "user \(user.login) already exists", details: [("login", user.login)])
            }
            try await Self.requireFreeFingerprint(user.certificateFingerprint, for: user.login, session)
            try await session.execute(
                """
                INSERT INTO users (login, name, role, scope, email, phone, disabled, must_change_password,
                                   cert_fingerprint, password_hash, revision, created)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
                """,
                [
                    user.login, user.name, user.role.rawValue, user.scope.description, user.email, user.phone,
                    user.disabled, user.mustChangePassword, user.certificateFingerprint, passwordHash,
                    Timestamp.format(now),
                ])
            try await Journal.append(audit, at: now, in: session)
        }
    }

    /// Inside the transaction, before the write whose UNIQUE constraint would refuse it without naming the owner.
    static func requireFreeFingerprint(_ fingerprint: String?, for login: String, _ session: SQLSession) async throws {
        guard let fingerprint,
            let owner: String = try await session.row(
                "SELECT login FROM users WHERE cert_fingerprint = ?", [fingerprint])?["login"],
            owner != login
        else { return }
        throw DomainError(.alreadyExists, "that certificate is already mapped to \(owner)")
    }

    public func setPassword(login: String, passwordHash: String, mustChange: Bool, audit: AuditEntry) async throws {
        let now = clock()
        try await write { session in
            let changed = try await session.execute(
                """
                UPDATE users SET password_hash = ?, must_change_password = ?, revision = revision + 1
                WHERE login = ? RETURNING 1
                """,
                [passwordHash, mustChange, login])
            guard changed == 1 else { throw DomainError(.notFound, "no user \(login)") }
            try await Journal.append(audit, at: now, in: session)
        }
    }

    public func setCertificateFingerprint(login: String, fingerprint: String?, audit: AuditEntry) async throws {
        let now = clock()
        try await write { session in
            try await Self.requireFreeFingerprint(fingerprint, for: login, session)
            let changed = try await session.execute(
                "UPDATE users SET cert_fingerprint = ?, revision = revision + 1 WHERE login = ? RETURNING 1",
                [fingerprint, login])
            guard changed == 1 else { throw DomainError(.notFound, "no user \(login)") }
            try await Journal.append(audit, at: now, in: session)
        }
    }

    public func saveUser(_ user: User, expectedRevision: Int64, audit: AuditEntry) async throws -> User {
        let now = clock()
        return try await write { session in
            try await Self.requireFreeFingerprint(user.certificateFingerprint, for: user.login, session)
            let changed = try await session.execute(
                """
                UPDATE users SET name = ?, role = ?, scope = ?, email = ?, phone = ?, disabled = ?,
                    disabled_reason = ?, cert_fingerprint = ?, revision = revision + 1
                WHERE login = ? AND revision = ? RETURNING 1
                """,
                [
                    user.name, user.role.rawValue, user.scope.description, user.email, user.phone, user.disabled,
                    user.disabledReason, user.certificateFingerprint, user.login, expectedRevision,
                ])
            guard changed == 1 else {
                guard
                    let current: Int64 = try await session.row(
                        "SELECT revision FROM users WHERE login = ?", [user.login])?["revision"]
                else { throw DomainError(.notFound, "no user \(user.login)") }
                throw DomainError(
                    .conflict, "user \(user.login) changed since revision \(expectedRevision)",
                    details: [("current", String(current))])
            }
            try await Journal.append(audit, at: now, in: session)
            guard let saved = try await session.row("SELECT * FROM users WHERE login = ?", [user.login]) else {
                throw DomainError(.notFound, "no user \(user.login)")
            }
            return Self.user(saved)
        }
    }

    public func recordLogin(login: String, at date: Date) async throws {
        try await write { session in
            try await session.execute(
                "UPDATE users SET last_login = ? WHERE login = ?", [Timestamp.format(date), login])
        }
    }

    // MARK: Failed logins: in the database, so that guesses spread over several nodes count together.

    public func loginState(name: String, address: String) async throws -> LoginState {
        try await read { session in try await Self.loginState(name: name, address: address, session) }
    }

    static func loginState(name: String, address: String, _ session: SQLSession) async throws -> LoginState {
        let failures: Int =
            try await session.row("SELECT count FROM login_failure WHERE name = ?", [name])?["count"] ?? 0
        let until: String? = try await session.row(
            "SELECT locked_until FROM login_lock WHERE name = ? AND address = ?", [name, address])?["locked_until"]
        return LoginState(nameFailures: failures, lockedUntil: until.flatMap(Timestamp.parse))
    }

    public func recordLoginFailure(
        name: String, address: String, throttle: LoginThrottle, lockEvents: [EventDraft], audit: AuditEntry
    ) async throws -> LoginState {
        let now = clock()
        return try await write { session in
            // The upsert locks the name's row: failures of one name, from any node, are counted one at a time.
            try await session.execute(
                """
                INSERT INTO login_failure (name, count, last) VALUES (?, 1, ?)
                ON CONFLICT (name) DO UPDATE SET count = login_failure.count + 1, last = excluded.last
                """,
                [name, Timestamp.format(now)])
            let row = try await session.row(
                "SELECT failures, locked_until FROM login_lock WHERE name = ? AND address = ? FOR UPDATE",
                [name, address])
            let before = LoginThrottle.AddressRecord(
                failures: row?["failures"] ?? 0,
                lockedUntil: (row?["locked_until"] as String?).flatMap(Timestamp.parse))
            let (after, newlyLocked) = throttle.afterFailure(before, at: now)
            try await session.execute(
                """
                INSERT INTO login_lock (name, address, failures, last, locked_until) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (name, address) DO UPDATE SET failures = excluded.failures, last = excluded.last,
                    locked_until = excluded.locked_until
                """,
                [name, address, after.failures, Timestamp.format(now), after.lockedUntil.map(Timestamp.format)])
            var entry = audit
            if newlyLocked {
                entry.change +=
                    "; \(address) locked out of \(name) until \(after.lockedUntil.map(Timestamp.format) ?? "?")"
                entry.events = lockEvents
            } else {
                entry.events = []
            }
            try await Journal.append(entry, at: now, in: session)
            var state = try await Self.loginState(name: name, address: address, session)
            state.newlyLocked = newlyLocked
            return state
        }
    }

    public func clearLoginFailures(name: String, address: String?) async throws {
        try await write { session in
            try await session.execute("DELETE FROM login_failure WHERE name = ?", [name])
            if let address {
                try await session.execute("DELETE FROM login_lock WHERE name = ? AND address = ?", [name, address])
            } else {
                try await session.execute("DELETE FROM login_lock WHERE name = ?", [name])
            }
        }
    }

    public func unlock(login: String, audit: AuditEntry) async throws {
        let now = clock()
        try await write { session in
            guard try await session.row("SELECT 1 FROM users WHERE login = ?", [login]) != nil else {
                throw DomainError(.notFound, "no user \(login)")
            }
            try await session.execute("DELETE FROM login_failure WHERE name = ?", [login])
            try await session.execute("DELETE FROM login_lock WHERE name = ?", [login])
            try await Journal.append(audit, at: now, in: session)
        }
    }

    public func loginStates() async throws -> [String: LoginState] {
        let now = Timestamp.format(clock())
        return try await snapshot { session in
            var states: [String: LoginState] = [:]
            for row in try await session.rows("SELECT name, count FROM login_failure") {
                states[row["name"], default: LoginState()].nameFailures = row["count"]
            }
            for row in try await session.rows(
                "SELECT name, max(locked_until) AS until FROM login_lock WHERE locked_until > ? GROUP BY name", [now])
            {
                states[row["name"], default: LoginState()].lockedUntil = (row["until"] as String?).flatMap(
                    Timestamp.parse)
            }
            return states
        }
    }
}
