import CaseLineDomain
import CaseLineStore
import CaseLineStorePostgres
import Foundation
import PostgresTestCluster
import Testing

/// What only the PostgreSQL backend has: its durability setting on every connection, its URL, its refusal to
/// start against a server it cannot reach, and its refusal of a copy into a store that holds anything. The
/// Store contract itself runs against PostgreSQL from Contract/ (StoreBackend.all).
@Suite("PostgreSQL store")
struct PostgresStoreTests {
    /// A fresh database of the test cluster, dropped after `body`.
    static func withDatabase(_ body: (PostgresTestCluster, String) async throws -> Void) async throws {
        let cluster = try await PostgresTestCluster.shared
        let database = try await cluster.database()
        do {
            try await body(cluster, database)
        } catch {
            await cluster.drop(database)
            throw error
        }
        await cluster.drop(database)
    }

    /// A database whose default is `synchronous_commit = off` (a role or database setting an operator might
    /// leave): the store's connections still run with it on, because they ask for it when they start.
    @Test func everyConnectionCommitsDurablyWhateverTheDatabaseDefault() async throws {
        try await Self.withDatabase { cluster, database in
            try await cluster.psql("ALTER DATABASE \(database) SET synchronous_commit = off")
            let store = try await PostgresStore.open(PostgresStoreConfiguration(url: cluster.url(database)))
            let durability = try await store.durability()
            try await store.close()
            #expect(durability == Durability(fsync: "on", synchronousCommit: "on"))
            #expect(durability.isDurable)
            #expect(!Durability(fsync: "on", synchronousCommit: "off").isDurable)
            #expect(!Durability(fsync: "off", synchronousCommit: "on").isDurable)
            // What a connection without the store's start-up setting gets: the default the store overrides.
            let plain = try await cluster.psql("SHOW synchronous_commit", database: database)
            #expect(plain.trimmingCharacters(in: .whitespacesAndNewlines) == "off")
        }
    }

    @Test func theURLNamesTheServerAndNeverHoldsThePassword() throws {
        let full = try PostgresStoreConfiguration(
            url: "postgres://caseline@db.internal:6543/prov19?sslmode=verify-full&sslrootcert=/etc/ca.pem&pool=4",
            password: "from-a-file")
        #expect(full.host == "db.internal" && full.port == 6543 && full.user == "caseline")
        #expect(full.database == "prov19" && full.tls == .verifyFull && full.rootCertificate == "/etc/ca.pem")
        #expect(full.maximumConnections == 4 && full.password == "from-a-file")
        #expect(!full.description.contains("from-a-file"))
        let plain = try PostgresStoreConfiguration(url: "postgresql://127.0.0.1/caseline")
        #expect(plain.port == 5432 && plain.user == "postgres" && plain.tls == .disable)
        for bad in [
            "postgres://caseline:secret@db/caseline", "mysql://db/caseline", "postgres://db/",
            "postgres://db/caseline?sslmode=prefer", "postgres://db/caseline?pool=0", "postgres://db/caseline?x=1",
        ] {
            #expect(throws: PostgresStoreConfigurationError.self, "\(bad)") {
                try PostgresStoreConfiguration(url: bad)
            }
        }
    }

    /// Nothing listens on the port: opening says so within its deadline instead of waiting for ever.
    @Test(.timeLimit(.minutes(1))) func anUnreachableServerIsRefusedInTime() async throws {
        var configuration = try PostgresStoreConfiguration(url: "postgres://postgres@127.0.0.1:9/caseline")
        configuration.openTimeout = .seconds(2)
        let started = ContinuousClock.now
        await #expect(throws: StoreSetupError.self) { _ = try await PostgresStore.open(configuration) }
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    /// `store copy` loads only into an empty store: one user is enough to refuse, and the refusal writes
    /// nothing.
    @Test func aCopyIntoAStoreThatHoldsAnythingIsRefused() async throws {
        try await Self.withDatabase { cluster, database in
            let store = try await PostgresStore.open(PostgresStoreConfiguration(url: cluster.url(database)))
            do {
                try await store.createUser(
                    User(login: "lan", name: "Lan", role: .chair, scope: .province("19")), passwordHash: "x",
                    audit: AuditEntry(
                        actor: .system("test"), command: "test", entity: "user:lan", change: "created"))
                let export = StoreExport(
                    tables: [
                        StoreTable(
                            name: "unit_link", columns: ["legacy_code", "current_code", "split", "is_primary"],
                            rows: [[.text("001"), .text("002"), .integer(0), .integer(1)]])
                    ], sequences: [:], eventsDroppedThrough: 0)
                await #expect(throws: StoreSetupError.self) { try await store.load(export) }
                #expect(try await store.tableCounts()["unit_link"] == 0)
                #expect(try await store.verifyAudit().records == 1)
                try await store.close()
            } catch {
                try? await store.close()
                throw error
            }
        }
    }
}
