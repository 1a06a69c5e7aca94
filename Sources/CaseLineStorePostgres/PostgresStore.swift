import CaseLineDomain
public import CaseLineStore
public import Foundation
public import Logging
import PostgresNIO

/// The shared store: one PostgreSQL database that several server nodes (and `caseline-server` commands) use at
/// once, through postgres-nio's `PostgresClient` and its pool of connections.
///
/// How it keeps the `Store` contract's guarantees with several writers on several nodes:
///
/// - **Events in commit order without gaps, one audit chain** (guarantees 3 and 4): every transaction that
///   appends audit records or events does its own work first (row locks, constraint checks, inserts), and only
///   then locks the single row of the `journal` table (`SELECT … FOR UPDATE`), reads the audit head and the last
///   event number from it, writes the records numbered after them, moves the heads, and commits. The row lock is
///   held to the end of the transaction, and PostgreSQL releases it only once the commit is visible (and, with
///   `synchronous_commit = on`, flushed). So the next writer, which read the row after waiting for the lock (at
///   READ COMMITTED a `FOR UPDATE` that waited reads the newest committed version), numbers after a commit, never
///   after an uncommitted transaction: numbers are handed out and made visible in the same order, and a reader
///   that sees event n+1 sees event n. A transaction that dies after taking numbers rolls the heads back with
///   it, so no number is skipped. The audit head and the event counter share the row because both orders are
///   total and almost every change writes both: two locks would only add a lock-order to get wrong.
/// - **What it costs**: only the tail of a write is serialised (the journal lock is taken last, just before the
///   commit), but that tail includes the commit's WAL flush, so writes that raise audit records commit one after
///   another: the store's write rate is bounded by the flush rate of the disk (PostgreSQL's own group commit
///   cannot merge them). Reads never wait for it. This is the price of a gapless commit-ordered numbering; a
///   sequence would be cheaper and would leave gaps and late-visible numbers.
/// - **Uniqueness** (guarantee 5) is stated by the schema: primary keys, unique and partial unique indexes, and
///   exclusion constraints over date ranges (btree_gist) for leads and a member's assignments. Each method also
///   checks inside its transaction, to refuse with the contract's detailed answer; when two writers pass the
///   check together the constraint refuses the later one, whose transaction is then run again from the start
///   and meets the winner in its check (`write` retries on unique, exclusion, serialisation and deadlock
///   failures). Assignments of one commune are ordered by a transaction advisory lock on that commune before
///   the check: two inserts that an exclusion constraint refuses would otherwise wait for each other, a
///   deadlock PostgreSQL breaks only after a second. A delegation's overlap depends on the day, which no
///   constraint can state: the delegator's user row is locked first, so two windows of one delegator are
///   checked one after the other.
/// - **Compare-and-swap** (guarantee 6): `UPDATE … WHERE revision = ?` is atomic at READ COMMITTED (a
///   concurrent update is waited for and the condition evaluated again on the new row); where a method reads a
///   row to decide, it reads it `FOR UPDATE`.
/// - **Durability** (guarantee 2): every connection of the pool starts with `synchronous_commit = on`, and
///   opening refuses a server with `fsync` off or a connection where the setting is not in force.
public final class PostgresStore: Store {
    let client: PostgresClient
    let logger: Logger
    let clock: @Sendable () -> Date
    private let runner: Task<Void, Never>
    private let notifications: EventNotifications
    public var eventsWritten: AsyncStream<Void> { notifications.stream }

    /// Connects, checks durability, brings the schema up to date (once, whichever node gets there first) and
    /// starts listening for other nodes' events.
    public static func open(
        _ configuration: PostgresStoreConfiguration, clock: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "caseline.store.postgres")
    ) async throws -> PostgresStore {
        let client = PostgresClient(configuration: try configuration.clientConfiguration(), backgroundLogger: logger)
        // The pool lives as long as the store, not a scope of the caller's: an unstructured task runs it and
        // `close` cancels it.
        let (started, running) = AsyncStream.makeStream(of: Void.self)
        let runner = Task {
            running.finish()
            await client.run()
        }
        // Leasing before run() has begun works but logs a warning; wait until the task is under way.
        for await _ in started {}
        await Task.yield()
        do {
            // The pool retries a server it cannot reach for as long as a lease waits: at opening, that would be
            // a node that hangs at start instead of saying why. The first lease has a deadline.
            try await Self.within(configuration.openTimeout, "reach \(configuration.description)") {
                try await client.withConnection { connection in
                    let session = SQLSession(connection: connection, logger: logger)
                    try await Durability.require(on: session)
                    try await PostgresMigrations.migrate(session)
                }
            }
            return PostgresStore(
                client: client, runner: runner, logger: logger, clock: clock,
                notifications: EventNotifications(client: client, logger: logger))
        } catch {
            runner.cancel()
            await runner.value
            throw error
        }
    }

    /// Runs `body`, or gives up after `limit` (`StoreSetupError`), cancelling it.
    static func within(
        _ limit: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await body()
                return true
            }
            group.addTask {
                try await Task.sleep(for: limit)
                return false
            }
            defer { group.cancelAll() }
            guard try await group.next() == true else {
                throw StoreSetupError("could not \(what) within \(limit.components.seconds) s")
            }
        }
    }

    private init(
        client: PostgresClient, runner: Task<Void, Never>, logger: Logger, clock: @escaping @Sendable () -> Date,
        notifications: EventNotifications
    ) {
        self.client = client
        self.runner = runner
        self.logger = logger
        self.clock = clock
        self.notifications = notifications
    }

    public func close() async throws {
        await notifications.stop()
        runner.cancel()
        await runner.value
    }

    /// What one pooled connection has in force.
    public func durability() async throws -> Durability {
        try await client.withConnection { try await Durability.read(SQLSession(connection: $0, logger: logger)) }
    }

    /// A read outside any transaction: one statement, one snapshot.
    func read<T: Sendable>(_ body: (SQLSession) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await body(SQLSession(connection: connection, logger: logger))
        }
    }

    /// Reads that must agree with each other (a count and its page, a whole chain): one snapshot for all.
    func snapshot<T: Sendable>(_ body: (SQLSession) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            let session = SQLSession(connection: connection, logger: logger)
            try await session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                let value = try await body(session)
                try await session.execute("COMMIT")
                return value
            } catch {
                _ = try? await session.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Every change: one READ COMMITTED transaction, committed before the answer. A transaction refused by a
    /// constraint or a lock conflict that a concurrent writer caused is run again from the start (its checks then
    /// see the winner and refuse it with the contract's answer); a domain refusal is thrown as it is.
    @discardableResult
    func write<T: Sendable>(_ body: (SQLSession) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.withConnection { connection in
                    let session = SQLSession(connection: connection, logger: logger)
                    try await session.execute("BEGIN")
                    do {
                        let value = try await body(session)
                        try await session.execute("COMMIT")
                        return value
                    } catch {
                        _ = try? await session.execute("ROLLBACK")
                        throw error
                    }
                }
            } catch let error as PostgresFailure {
                guard let state = error.sqlState, Self.retriable.contains(state), attempt < 8 else {
                    throw Self.refusal(error) ?? error
                }
                logger.debug("write retried", metadata: ["sqlstate": "\(state)", "attempt": "\(attempt)"])
            }
        }
    }

    /// Unique violation, exclusion violation, serialisation failure, deadlock.
    static let retriable: Set<String> = ["23505", "23P01", "40001", "40P01"]

    /// A constraint that still refuses after the retries (no check of the method's caught it): the contract's
    /// code, not a database error.
    static func refusal(_ error: PostgresFailure) -> DomainError? {
        guard let state = error.sqlState else { return nil }
        let constraint = error.constraint ?? "?"
        switch state {
        case "23505", "23P01": return DomainError(.alreadyExists, "refused by the rule \(constraint)")
        case "23514", "23502", "23503": return DomainError(.invalid, "refused by the rule \(constraint)")
        default: return nil
        }
    }

    static func number(_ id: String, prefix: String) -> Int64? { EntityID.number(id, prefix: prefix) }

    /// `column IN (…)` over a JSON array bound as one parameter (`json`), as the SQLite backend's `among`.
    static func among(_ column: String) -> String {
        "\(column) IN (SELECT jsonb_array_elements_text(?::jsonb))"
    }

    /// The same over numbers (ids).
    static func amongNumbers(_ column: String) -> String {
        "\(column) IN (SELECT jsonb_array_elements_text(?::jsonb)::bigint)"
    }

    /// A JSON array: how lists are bound to `among` and how a case's lists are stored.
    static func json(_ values: some Collection<some Encodable>) -> String {
        String(decoding: (try? JSONEncoder().encode(Array(values))) ?? Data("[]".utf8), as: UTF8.self)
    }
}
