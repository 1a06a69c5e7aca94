import CaseLineStore

/// What a connection has in force that decides whether a commit is on stable storage before it is
/// acknowledged: `fsync` (the server's) and `synchronous_commit` (the connection's).
public struct Durability: Sendable, Hashable {
    public var fsync: String
    public var synchronousCommit: String

    public init(fsync: String, synchronousCommit: String) {
        self.fsync = fsync
        self.synchronousCommit = synchronousCommit
    }

    /// `on` (or waiting for standbys too: `remote_apply`, `remote_write`); `local` also flushes locally.
    public var isDurable: Bool {
        fsync == "on" && ["on", "local", "remote_write", "remote_apply"].contains(synchronousCommit)
    }

    static func read(_ session: SQLSession) async throws -> Durability {
        let fsync: String = try await session.row("SELECT current_setting('fsync') AS v")?["v"] ?? "?"
        let commit: String = try await session.row("SELECT current_setting('synchronous_commit') AS v")?["v"] ?? "?"
        return Durability(fsync: fsync, synchronousCommit: commit)
    }

    /// Refuses to open, as the SQLite store does without `synchronous=FULL`, on a connection that would
    /// acknowledge a commit before it is flushed.
    static func require(on session: SQLSession) async throws {
        let durability = try await read(session)
        guard durability.isDurable else {
            throw StoreSetupError(
                "the PostgreSQL connection runs with fsync=\(durability.fsync) and synchronous_commit="
                    + "\(durability.synchronousCommit); CaseLine needs fsync=on and synchronous_commit=on")
        }
    }
}
