import CaseLineClient
import CaseLineDomain
import CaseLineProtocol
import CaseLineServer
import CaseLineStore
import CaseLineStorePostgres
import CaseLineStoreSQLite
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresTestCluster
import ServiceLifecycle
import Testing

/// A real server on 127.0.0.1, port 0, over real TLS, with an in-memory store (or a PostgreSQL database of its
/// own); torn down with a graceful shutdown when the test body returns.
struct TestServer: Sendable {
    /// The store a test server runs on: the SQLite store (in memory, or the file `storePath` names), or a fresh
    /// database on the test process's PostgreSQL cluster, dropped afterwards.
    enum Backend: String, Sendable, CaseIterable, CustomTestStringConvertible {
        case sqlite = "SQLite"
        case postgres = "PostgreSQL"
        var testDescription: String { rawValue }
    }

    let port: Int
    let store: any Store
    let certificatePEM: String
    let certificateFile: String
    let configuration: ServerConfiguration

    static let password = "mật-khẩu-thử-nghiệm"
    static let users: [User] = [
        User(login: "admin", name: "Quản trị", role: .admin, scope: .national),
        User(login: "lan", name: "Nguyễn Thị Lan", role: .chair, scope: .province("19")),
        User(login: "minh", name: "Hoàng Văn Minh", role: .officer, scope: .province("19")),
        User(login: "pho", name: "Đặng Văn Phó", role: .deputy, scope: .province("19")),
        User(login: "kiemtoan", name: "Phạm Quốc Bảo", role: .auditor, scope: .national),
        User(login: "canbo", name: "Lò Thị Cán", role: .staff, scope: .commune("02014")),
        User(login: "chutich", name: "Nông Thanh Sơn", role: .chair, scope: .commune("02014")),
        User(login: "moi", name: "Người Mới", role: .staff, scope: .commune("02014"), mustChangePassword: true),
        User(login: "khoa", name: "Tài khoản khóa", role: .staff, scope: .commune("02014"), disabled: true),
    ]

    /// Fast settings for tests: a cheap KDF and short delays (the production values are in ServerConfiguration).
    static func testConfiguration() -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.listen.host = "127.0.0.1"
        configuration.listen.port = 0
        configuration.auth.kdf = .init(logN: 10)
        configuration.auth.throttle = LoginThrottle(
            baseDelayMilliseconds: 100, maximumDelayMilliseconds: 400, lockAfterFailures: 4)
        return configuration
    }

    /// Parsed once per test process: every test server loads the real units.
    static let bundledUnits = try! UnitResource.bundled()
    static let unitDirectory = UnitDirectory(units: bundledUnits.units, links: bundledUnits.links)

    /// The units the server was started with, for tests that judge scope themselves.
    var units: UnitDirectory { Self.unitDirectory }

    /// The test configuration with some settings changed, for `run(_:_:)`.
    static func configured(_ change: (inout ServerConfiguration) -> Void) -> ServerConfiguration {
        var configuration = testConfiguration()
        change(&configuration)
        return configuration
    }

    /// Runs a server for `body`. With `storePath` the store is a file that outlives the server (a restart is
    /// a second `run` on the same path); `clock` is the server's and the store's time.
    static func run<T: Sendable>(
        _ configuration: ServerConfiguration = testConfiguration(), storePath: String? = nil,
        certificate: CertificateFactory.Generated? = nil, clock: @escaping @Sendable () -> Date = { Date() },
        backend: Backend = .sqlite, _ body: @Sendable (TestServer) async throws -> T
    ) async throws -> T {
        if backend == .postgres {
            precondition(storePath == nil, "a PostgreSQL test server has a database of its own, not a file")
            let cluster = try await PostgresTestCluster.shared
            let database = try await cluster.database()
            do {
                let store = try await PostgresStore.open(
                    PostgresStoreConfiguration(url: cluster.url(database)), clock: clock)
                let result = try await run(configuration, store: store, certificate: certificate, clock: clock, body)
                try await store.close()
                await cluster.drop(database)
                return result
            } catch {
                await cluster.drop(database)
                throw error
            }
        }
        let store =
            try storePath.map { try SQLiteStore(path: $0, clock: clock) } ?? SQLiteStore(inMemoryWithClock: clock)
        let result = try await run(configuration, store: store, certificate: certificate, clock: clock, body)
        // A file store is closed before the next server (a restart) opens it.
        if storePath != nil { try await store.close() }
        return result
    }

    /// Runs a server on `store` for `body`; the store is closed here when the body fails, by the caller otherwise.
    static func run<T: Sendable>(
        _ configuration: ServerConfiguration, store: any Store, certificate: CertificateFactory.Generated?,
        clock: @escaping @Sendable () -> Date, _ body: @Sendable (TestServer) async throws -> T
    ) async throws -> T {
        if try await store.userCount() == 0 {
            try await seed(store, configuration)
        }
        let generated = try certificate ?? CertificateFactory.selfSigned()
        let certificateFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "caseline-test-\(UUID().uuidString).pem"
        ).path
        try generated.certificatePEM.write(toFile: certificateFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: certificateFile) }
        let tls = CaseLineServer.tlsConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(generated.certificatePEM.utf8)),
            privateKey: try NIOSSLPrivateKey(bytes: Array(generated.privateKeyPEM.utf8), format: .pem),
            clientCertificates: configuration.tls.clientCertificates)
        var logger = Logger(label: "caseline.test")
        logger.logLevel = .critical
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let server = try await CaseLineServer(
            configuration: configuration, store: store, tls: tls, logger: logger, clock: clock,
            onBound: { address in portSink.yield(address.port ?? 0) })
        let group = ServiceGroup(configuration: .init(services: [.init(service: server)], logger: logger))
        let finalConfiguration = configuration
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                do {
                    try await group.run()
                } catch {
                    portSink.finish()
                    throw error
                }
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await tasks.next()
                throw TestFailure("the server did not bind")
            }
            let harness = TestServer(
                port: port, store: store, certificatePEM: generated.certificatePEM, certificateFile: certificateFile,
                configuration: finalConfiguration)
            do {
                let result = try await body(harness)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                try? await store.close()
                throw error
            }
        }
    }

    /// A path for a store that outlives one server (restart tests); remove it with `removeStoreFile`.
    static func storeFile(_ purpose: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("caseline-\(purpose)-\(UUID().uuidString).sqlite")
            .path
    }

    static func removeStoreFile(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// The bundled units and the test users, all with the shared password.
    static func seed(_ store: any Store, _ configuration: ServerConfiguration) async throws {
        try await store.replaceUnits(
            bundledUnits.units, links: bundledUnits.links,
            audit: AuditEntry(actor: .system("test"), command: "test", entity: "unit:*", change: "units loaded"))
        let hasher = PasswordHasher(parameters: configuration.auth.kdf, pool: .singleton)
        let hash = try await hasher.hash(password)
        for user in users {
            try await store.createUser(
                user, passwordHash: hash,
                audit: AuditEntry(
                    actor: .system("test"), command: "test", entity: "user:\(user.login)", change: "created"))
        }
    }

    /// Adds a user with the shared test password.
    func addUser(_ user: User) async throws {
        let hash = try await PasswordHasher(parameters: configuration.auth.kdf, pool: .singleton).hash(Self.password)
        try await store.createUser(
            user, passwordHash: hash,
            audit: AuditEntry(actor: .system("test"), command: "test", entity: "user:\(user.login)", change: "created"))
    }

    var clientTLS: TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try! NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)))
        tls.certificateVerification = .fullVerification
        return tls
    }

    /// Connects; `from` is the loopback source address (127.0.0.2 … stand for other client machines).
    func connect<T>(
        receiveBufferBytes: Int? = nil, from localAddress: String? = nil, _ body: (ClientConnection) async throws -> T
    ) async throws -> T {
        try await ClientConnection.connect(
            host: "127.0.0.1", port: port, tls: clientTLS, serverHostname: "localhost",
            receiveBufferBytes: receiveBufferBytes, localAddress: localAddress, body)
    }

    /// Connects and logs in as `user` (with the shared test password).
    func session<T>(
        _ user: String, receiveBufferBytes: Int? = nil, from localAddress: String? = nil,
        _ body: (ClientConnection) async throws -> T
    ) async throws -> T {
        try await connect(receiveBufferBytes: receiveBufferBytes, from: localAddress) { connection in
            let login = try await connection.request("LOGIN \(user) \"\(Self.password)\"")
            guard login.completion.status == .ok else {
                throw TestFailure("login as \(user) failed: \(login.completion)")
            }
            return try await body(connection)
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension ClientConnection.Result {
    var code: String? { completion.code }
    var ok: Bool { completion.status == .ok }
}
