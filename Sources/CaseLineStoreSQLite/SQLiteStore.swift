public import CaseLineDomain
public import CaseLineStore
public import Foundation
import GRDB

/// The embedded store: one SQLite file in WAL mode, `synchronous=FULL`, so that a write is on disk before
/// it is acknowledged and survives `kill -9` and power loss.
public final class SQLiteStore: Store {
    let writer: any DatabaseWriter
    let clock: @Sendable () -> Date
    private let committer: GroupCommit
    public let eventsWritten: AsyncStream<Void>
    private let eventObservation: AnyDatabaseCancellable

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let pool = try DatabasePool(path: path, configuration: configuration)
        // Opening the pool runs GRDB's WAL set-up after `prepareDatabase`, and that set-up puts the writer on
        // `synchronous = NORMAL`: commits then reach the WAL without an fsync, and a power cut loses
        // acknowledged writes (strace showed no fsync before the OK). Only the writer commits, so it is set
        // again on the writer itself, after the set-up, and read back from there.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let durability = try pool.writeWithoutTransaction { db in try Self.durability(db) }
        guard durability.isDurable else {
            throw StoreSetupError(
                "the SQLite writer runs with synchronous=\(durability.synchronous) and journal_mode="
                    + "\(durability.journalMode); CaseLine needs FULL (2) with WAL")
        }
        try Migrations.migrator.migrate(pool)
        self.writer = pool
        self.clock = clock
        self.committer = GroupCommit(writer: pool)
        (eventsWritten, eventObservation) = try Self.observeEvents(pool)
    }

    /// What the writer connection itself has in force: the setting that decides whether a commit is on disk
    /// before it is acknowledged. Read on the writer, never on a reader (readers do not commit).
    public func durability() async throws -> Durability {
        try await writer.writeWithoutTransaction { db in try Self.durability(db) }
    }

    static func durability(_ db: Database) throws -> Durability {
        Durability(
            synchronous: try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1,
            journalMode: try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "?")
    }

    /// A private in-memory database, for tests.
    public init(inMemoryWithClock clock: @escaping @Sendable () -> Date = { Date() }) throws {
        let queue = try DatabaseQueue()
        try Migrations.migrator.migrate(queue)
        self.writer = queue
        self.clock = clock
        self.committer = GroupCommit(writer: queue)
        (eventsWritten, eventObservation) = try Self.observeEvents(queue)
    }

    /// GRDB tells after each commit that touched the event table; the tick carries nothing, the reader
    /// fetches what is new, so ticks may merge.
    private static func observeEvents(_ writer: any DatabaseWriter) throws -> (
        AsyncStream<Void>, AnyDatabaseCancellable
    ) {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let observation = DatabaseRegionObservation(tracking: Table("event"))
        let cancellable = observation.start(in: writer, onError: { _ in }, onChange: { _ in continuation.yield() })
        return (stream, cancellable)
    }

    /// Every change goes through here: in its own savepoint of a transaction it may share with other writes
    /// that arrived meanwhile (group commit), answered once that transaction is on disk.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await committer.write(body)
    }

    /// A short read runs on the calling thread, in a snapshot of its own (WAL readers never wait for the
    /// writer). Sending it to GRDB's reader queue and back cost two thread switches per read, more CPU than
    /// the indexed read itself (perf, 2026-11-26). Long scans (audit search, VERIFY) keep the async path so
    /// they never hold one of the few cooperative threads.
    func readNow<T>(_ body: (Database) throws -> T) throws -> T {
        try writer.read(body)
    }

    public func close() async throws {
        eventObservation.cancel()
        if let pool = writer as? DatabasePool { try pool.close() }
        if let queue = writer as? DatabaseQueue { try queue.close() }
    }

    // MARK: Users

    public func user(login: String) async throws -> User? {
        try await credentials(login: login)?.user
    }

    public func credentials(login: String) async throws -> (user: User, passwordHash: String)? {
        try readNow { db in
            try Row.decodeOne(try db.cachedStatement(sql: "SELECT * FROM user WHERE login = ?"), arguments: [login]) {
                (Self.user($0), $0["password_hash"])
            }
        }
    }

    public func user(certificateFingerprint: String) async throws -> User? {
        try readNow { db in
            try Row.decodeOne(
                try db.cachedStatement(sql: "SELECT * FROM user WHERE cert_fingerprint = ?"),
                arguments: [certificateFingerprint], as: Self.user)
        }
    }

    public func userCount() async throws -> Int {
        try readNow { db in try Int.fetchOne(try db.cachedStatement(sql: "SELECT count(*) FROM user")) ?? 0 }
    }

    public func createUser(_ user: User, passwordHash: String, audit: AuditEntry) async throws {
        try await createUser(user, passwordHash: passwordHash, claim: nil, audit: audit)
    }

    public func createUser(_ user: User, passwordHash: String, claim: IdempotencyClaim?, audit: AuditEntry)
        async throws
    {
        let now = clock()
        try await write { db in
            try IdempotencyLog.record(claim, entity: "user:\(user.login)", at: now, in: db)
            if try Bool.fetchOne(
                try db.cachedStatement(sql: "SELECT 1 FROM user WHERE login = ?"), arguments: [user.login]) != nil
            {
                throw DomainError(.alreadyExists, "user \(user.login) already exists", details: [("login", user.login)])
            }
            try db.executeCached(
                sql: """
                    INSERT INTO user (login, name, role, scope, email, phone, disabled, must_change_password,
                                      cert_fingerprint, password_hash, revision, created)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
                    """,
                arguments: [
                    user.login, user.name, user.role.rawValue, user.scope.description, user.email, user.phone,
                    user.disabled, user.mustChangePassword, user.certificateFingerprint, passwordHash,
                    Timestamp.format(now),
                ])
            try AuditChain.append(audit, at: now, in: db)
        }
    }

    public func setPassword(login: String, passwordHash: String, mustChange: Bool, audit: AuditEntry) async throws {
        let now = clock()
        try await write { db in
            try db.executeCached(
                sql: """
                    UPDATE user SET password_hash = ?, must_change_password = ?, revision = revision + 1
                    WHERE login = ?
                    """,
                arguments: [passwordHash, mustChange, login])
            guard db.changesCount == 1 else { throw DomainError(.notFound, "no user \(login)") }
            try AuditChain.append(audit, at: now, in: db)
        }
    }

    public func setCertificateFingerprint(login: String, fingerprint: String?, audit: AuditEntry) async throws {
        let now = clock()
        try await write { db in
            if let fingerprint,
                let owner = try String.fetchOne(
                    try db.cachedStatement(sql: "SELECT login FROM user WHERE cert_fingerprint = ?"),
                    arguments: [fingerprint]),
                owner != login
            {
                throw DomainError(.alreadyExists, "that certificate is already mapped to \(owner)")
            }
            try db.executeCached(
                sql: "UPDATE user SET cert_fingerprint = ?, revision = revision + 1 WHERE login = ?",
                arguments: [fingerprint, login])
            guard db.changesCount == 1 else { throw DomainError(.notFound, "no user \(login)") }
            try AuditChain.append(audit, at: now, in: db)
        }
    }

    static func user(_ row: Row) -> User {
        User(
            login: row["login"], name: row["name"], role: Role(rawValue: row["role"]) ?? .auditor,
            scope: Scope(wire: row["scope"]) ?? .commune("0"), email: row["email"], phone: row["phone"],
            disabled: row["disabled"], mustChangePassword: row["must_change_password"],
            certificateFingerprint: row["cert_fingerprint"], revision: row["revision"],
            created: (row["created"] as String?).flatMap(Timestamp.parse),
            lastLogin: (row["last_login"] as String?).flatMap(Timestamp.parse), disabledReason: row["disabled_reason"])
    }

    // MARK: Failed logins

    public func loginState(name: String, address: String) async throws -> LoginState {
        try readNow { db in try Self.loginState(name: name, address: address, db) }
    }

    static func loginState(name: String, address: String, _ db: Database) throws -> LoginState {
        let failures =
            try Int.fetchOne(
                try db.cachedStatement(sql: "SELECT count FROM login_failure WHERE name = ?"), arguments: [name]) ?? 0
        let until = try String.fetchOne(
            try db.cachedStatement(sql: "SELECT locked_until FROM login_lock WHERE name = ? AND address = ?"),
            arguments: [name, address])
        return LoginState(nameFailures: failures, lockedUntil: until.flatMap(Timestamp.parse))
    }

    public func recordLoginFailure(
        name: String, address: String, throttle: LoginThrottle, lockEvents: [EventDraft], audit: AuditEntry
    ) async throws -> LoginState {
        let now = clock()
        return try await write { db in
            try db.executeCached(
                sql: """
                    INSERT INTO login_failure (name, count, last) VALUES (?, 1, ?)
                    ON CONFLICT(name) DO UPDATE SET count = count + 1, last = excluded.last
                    """,
                arguments: [name, Timestamp.format(now)])
            let row = try Row.fetchOne(
                try db.cachedStatement(
                    sql: "SELECT failures, locked_until FROM login_lock WHERE name = ? AND address = ?"),
                arguments: [name, address])
            let before = LoginThrottle.AddressRecord(
                failures: row?["failures"] ?? 0, lockedUntil: (row?["locked_until"] as String?).flatMap(Timestamp.parse)
            )
            let (after, newlyLocked) = throttle.afterFailure(before, at: now)
            try db.executeCached(
                sql: """
                    INSERT INTO login_lock (name, address, failures, last, locked_until) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(name, address) DO UPDATE SET failures = excluded.failures, last = excluded.last,
                        locked_until = excluded.locked_until
                    """,
                arguments: [
                    name, address, after.failures, Timestamp.format(now), after.lockedUntil.map(Timestamp.format),
                ])
            var entry = audit
            if newlyLocked {
                entry.change +=
                    "; \(address) locked out of \(name) until \(after.lockedUntil.map(Timestamp.format) ?? "?")"
                entry.events = lockEvents
            } else {
                entry.events = []
            }
            try AuditChain.append(entry, at: now, in: db)
            var state = try Self.loginState(name: name, address: address, db)
            state.newlyLocked = newlyLocked
            return state
        }
    }

    public func clearLoginFailures(name: String, address: String?) async throws {
        try await write { db in
            try db.executeCached(sql: "DELETE FROM login_failure WHERE name = ?", arguments: [name])
            if let address {
                // A success is only possible when this address is not locked out, so its record goes.
                try db.executeCached(
                    sql: "DELETE FROM login_lock WHERE name = ? AND address = ?", arguments: [name, address])
            } else {
                try db.executeCached(sql: "DELETE FROM login_lock WHERE name = ?", arguments: [name])
            }
        }
    }

    public func unlock(login: String, audit: AuditEntry) async throws {
        let now = clock()
        try await write { db in
            guard
                try Bool.fetchOne(try db.cachedStatement(sql: "SELECT 1 FROM user WHERE login = ?"), arguments: [login])
                    != nil
            else {
                throw DomainError(.notFound, "no user \(login)")
            }
            try db.executeCached(sql: "DELETE FROM login_failure WHERE name = ?", arguments: [login])
            try db.executeCached(sql: "DELETE FROM login_lock WHERE name = ?", arguments: [login])
            try AuditChain.append(audit, at: now, in: db)
        }
    }

    // MARK: Tokens

    public func createToken(
        owner: String, label: String, expires: Date?, secretHash: String, prefix: String, claim: IdempotencyClaim?,
        audit: AuditEntry
    ) async throws -> APIToken {
        let now = clock()
        return try await write { db in
            try db.executeCached(
                sql: """
                    INSERT INTO api_token (owner, label, secret_hash, secret_prefix, created, expires)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [owner, label, secretHash, prefix, Timestamp.format(now), expires.map(Timestamp.format)])
            let token = APIToken(
                id: "TK-\(db.lastInsertedRowID)", owner: owner, label: label, prefix: prefix,
                created: Timestamp.parse(Timestamp.format(now)) ?? now, expires: expires)
            try IdempotencyLog.record(claim, entity: "token:\(token.id)", at: now, in: db)
            var entry = audit
            entry.entity = "token:\(token.id)"
            try AuditChain.append(entry, at: now, in: db)
            return token
        }
    }

    public func token(secretHash: String) async throws -> (token: APIToken, owner: User)? {
        try readNow { db in
            guard
                let row = try Row.fetchOne(
                    try db.cachedStatement(sql: "SELECT * FROM api_token WHERE secret_hash = ?"),
                    arguments: [secretHash]),
                let owner = try Row.fetchOne(
                    try db.cachedStatement(sql: "SELECT * FROM user WHERE login = ?"),
                    arguments: [row["owner"] as String])
            else { return nil }
            return (Self.token(row), Self.user(owner))
        }
    }

    public func token(id: String) async throws -> APIToken? {
        guard let number = Self.tokenNumber(id) else { return nil }
        return try readNow { db in
            try Row.decodeOne(
                try db.cachedStatement(sql: "SELECT * FROM api_token WHERE id = ?"), arguments: [number], as: Self.token
            )
        }
    }

    public func tokens(owner: String?) async throws -> [APIToken] {
        try readNow { db in
            if let owner {
                return try Row.decodeAll(
                    try db.cachedStatement(sql: "SELECT * FROM api_token WHERE owner = ? ORDER BY id"),
                    arguments: [owner], as: Self.token)
            }
            return try Row.decodeAll(try db.cachedStatement(sql: "SELECT * FROM api_token ORDER BY id"), as: Self.token)
        }
    }

    public func revokeToken(id: String, audit: AuditEntry) async throws -> APIToken {
        guard let number = Self.tokenNumber(id) else { throw DomainError(.notFound, "no token \(id)") }
        let now = clock()
        return try await write { db in
            try db.executeCached(
                sql: "UPDATE api_token SET revoked = ? WHERE id = ? AND revoked IS NULL",
                arguments: [Timestamp.format(now), number])
            if db.changesCount == 1 { try AuditChain.append(audit, at: now, in: db) }
            guard
                let row = try Row.fetchOne(
                    try db.cachedStatement(sql: "SELECT * FROM api_token WHERE id = ?"), arguments: [number])
            else {
                throw DomainError(.notFound, "no token \(id)")
            }
            return Self.token(row)
        }
    }

    public func touchToken(id: String, at date: Date) async throws {
        guard let number = Self.tokenNumber(id) else { return }
        try await write { db in
            try db.executeCached(
                sql: "UPDATE api_token SET last_used = ? WHERE id = ?", arguments: [Timestamp.format(date), number])
        }
    }

    static func tokenNumber(_ id: String) -> Int64? {
        guard id.hasPrefix("TK-") else { return nil }
        return Int64(id.dropFirst(3))
    }

    static func token(_ row: Row) -> APIToken {
        APIToken(
            id: "TK-\(row["id"] as Int64)", owner: row["owner"], label: row["label"], prefix: row["secret_prefix"],
            created: Timestamp.parse(row["created"]) ?? Date(timeIntervalSince1970: 0),
            expires: (row["expires"] as String?).flatMap(Timestamp.parse),
            revoked: (row["revoked"] as String?).flatMap(Timestamp.parse),
            lastUsed: (row["last_used"] as String?).flatMap(Timestamp.parse))
    }

    // MARK: Audit

    public func appendAudit(_ entry: AuditEntry) async throws {
        let now = clock()
        try await write { db in try AuditChain.append(entry, at: now, in: db) }
    }

    public func auditRecords(
        actor: String?, entity: String?, after: Date?, before: Date?, limit: Int, offset: Int
    ) async throws -> (records: [AuditRecord], total: Int) {
        var conditions: [String] = []
        var arguments: [String] = []
        if let actor {
            conditions.append("(actor = ? OR on_behalf_of = ?)")
            arguments += [actor, actor]
        }
        if let entity {
            conditions.append("entity = ?")
            arguments.append(entity)
        }
        if let after {
            conditions.append("at >= ?")
            arguments.append(Timestamp.format(after))
        }
        if let before {
            conditions.append("at < ?")
            arguments.append(Timestamp.format(before))
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let values = arguments
        return try await writer.read { db in
            let total =
                try Int.fetchOne(
                    try db.cachedStatement(sql: "SELECT count(*) FROM audit" + filter),
                    arguments: StatementArguments(values)) ?? 0
            let records = try Row.decodeAll(
                try db.cachedStatement(sql: "SELECT * FROM audit" + filter + " ORDER BY seq LIMIT ? OFFSET ?"),
                arguments: StatementArguments(values) + [limit, offset], as: AuditChain.record)
            return (records, total)
        }
    }

    public func auditRecords(entity: String?, limit: Int, offset: Int) async throws -> [AuditRecord] {
        try await writer.read { db in
            if let entity {
                return try Row.decodeAll(
                    try db.cachedStatement(sql: "SELECT * FROM audit WHERE entity = ? ORDER BY seq LIMIT ? OFFSET ?"),
                    arguments: [entity, limit, offset], as: AuditChain.record)
            }
            return try Row.decodeAll(
                try db.cachedStatement(sql: "SELECT * FROM audit ORDER BY seq LIMIT ? OFFSET ?"),
                arguments: [limit, offset], as: AuditChain.record)
        }
    }

    public func verifyAudit() async throws -> AuditVerification {
        try await writer.read { db in try AuditChain.verify(in: db) }
    }
}
