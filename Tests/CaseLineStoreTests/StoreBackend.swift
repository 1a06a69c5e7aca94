import CaseLineStore
import CaseLineStorePostgres
import CaseLineStoreSQLite
import Foundation
import PostgresTestCluster
import Testing

/// The backends the contract suite runs against. Every suite in Contract/ takes its store from here, so a new
/// backend (PostgreSQL next) runs every contract test by being added to `all`; nothing in Contract/ may name
/// a backend (ContractCoverageTests checks that those files import no backend module).
struct StoreBackend: Sendable, CustomTestStringConvertible {
    /// An open store and how to dispose of what it leaves behind once it is closed.
    struct Opened: Sendable {
        let store: any Store
        /// Opens another store on the same data, as a second process or node would (for SQLite on a file:
        /// `caseline-server user unlock` or `import units` while the server runs); nil where no other can share it.
        var openPeer: (@Sendable () async throws -> any Store)? = nil
        let dispose: @Sendable () async throws -> Void
    }

    let name: String
    /// Whether `Opened.openPeer` is there: the multi-node tests run against these backends only.
    var sharesData = false
    /// A fresh, empty store whose times come from `clock`.
    let open: @Sendable (_ clock: @escaping @Sendable () -> Date) async throws -> Opened

    var testDescription: String { name }

    /// The backends whose data a second store can share.
    static var shared: [StoreBackend] { all.filter(\.sharesData) }

    static let all: [StoreBackend] = [sqliteInMemory, sqliteFile, postgres]

    static let sqliteInMemory = StoreBackend(name: "SQLite in memory") { clock in
        Opened(store: try SQLiteStore(inMemoryWithClock: clock), dispose: {})
    }

    /// On a file, through the pool (WAL, a writer and concurrent readers) and group commit, as the server runs.
    static let sqliteFile = StoreBackend(name: "SQLite file", sharesData: true) { clock in
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "caseline-contract-\(UUID().uuidString).sqlite"
        ).path
        return Opened(
            store: try SQLiteStore(path: path, clock: clock), openPeer: { try SQLiteStore(path: path, clock: clock) },
            dispose: {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            })
    }

    /// A database of its own on the test process's PostgreSQL cluster (PostgresTestCluster), dropped afterwards;
    /// a peer is another store (another pool) on the same database, as another node. A cluster that cannot
    /// start fails these tests: PostgreSQL is part of what CI installs.
    static let postgres = StoreBackend(name: "PostgreSQL", sharesData: true) { clock in
        let cluster = try await PostgresTestCluster.shared
        let database = try await cluster.database()
        let configuration = try PostgresStoreConfiguration(url: cluster.url(database) + "?pool=8")
        do {
            return Opened(
                store: try await PostgresStore.open(configuration, clock: clock),
                openPeer: { try await PostgresStore.open(configuration, clock: clock) },
                dispose: { await cluster.drop(database) })
        } catch {
            await cluster.drop(database)
            throw error
        }
    }
}
