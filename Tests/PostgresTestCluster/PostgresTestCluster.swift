import CaseLineClient
import Foundation

/// A throwaway PostgreSQL cluster for the tests of this process, from the Debian package's binaries
/// (`/usr/lib/postgresql/*/bin`, installed by Tools/install-deps), on 127.0.0.1 at a port of 55400–55499,
/// its socket and data in a temporary folder. It starts once per test process, on first use; each test takes a
/// database of its own (`database()`). A watcher started beside it stops the cluster and removes its folder
/// when the test process ends, however it ends (`kill -9` included), so no cluster outlives its tests.
///
/// When the cluster cannot start (no binaries, no free port), `shared` throws: the tests that need PostgreSQL
/// fail, they are not skipped.
public struct PostgresTestCluster: Sendable {
    public let port: Int
    public let directory: String
    /// Kept for the life of the process: a `ChildProcess` that goes away kills its child.
    private let watcher: ChildProcess

    /// The superuser (trust authentication on loopback only).
    public let user = "postgres"

    /// The cluster of this test process, started on first use.
    public static var shared: PostgresTestCluster {
        get async throws { try await starting.value }
    }

    private static let starting = Task { try await start() }

    /// A new empty database, dropped by `drop(_:)`.
    public func database() async throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await psql("CREATE DATABASE \(name)")
        return name
    }

    public func drop(_ database: String) async {
        _ = try? await psql("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
    }

    /// `postgres://postgres@127.0.0.1:PORT/DATABASE`.
    public func url(_ database: String) -> String { "postgres://\(user)@127.0.0.1:\(port)/\(database)" }

    /// Runs one statement through psql as the superuser; throws with psql's message when it fails.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") async throws -> String {
        let arguments = ["-h", "127.0.0.1", "-p", String(port), "-U", user, "-d", database, "-XAtqc", sql]
        let result = try await Self.run(Self.binary("psql"), arguments)
        guard result.status == 0 else { throw ClusterError("psql \(sql): \(result.output)") }
        return result.output
    }

    static func binary(_ name: String) throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap(Int.init).sorted()
        guard let version = versions.last, FileManager.default.fileExists(atPath: "\(root)/\(version)/bin/\(name)")
        else { throw ClusterError("no PostgreSQL in \(root) (Tools/install-deps installs postgresql)") }
        return "\(root)/\(version)/bin/\(name)"
    }

    private static func start() async throws -> PostgresTestCluster {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "caseline-pg-\(UUID().uuidString.prefix(8))"
        ).path
        let data = directory + "/data"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let asRoot = getuid() == 0
        if asRoot {
            // PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
            _ = try await run("/bin/chown", ["postgres", directory])
        }
        let initdb = try await run(
            binary("initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"],
            asPostgres: asRoot)
        guard initdb.status == 0 else { throw ClusterError("initdb failed: \(initdb.output)") }
        // Another test process (or engineer) may hold a port: the next one is tried, 20 at most.
        let first = 55400 + Int(getpid() % 80)
        for port in first..<(first + 20) {
            let options =
                "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on "
                + "-c max_connections=300 -c shared_buffers=32MB"
            let started = try await run(
                binary("pg_ctl"), ["-D", data, "-o", options, "-l", directory + "/log", "-w", "-t", "30", "start"],
                asPostgres: asRoot)
            if started.status == 0 {
                let watcher = try watch(directory: directory, data: data, asPostgres: asRoot)
                return PostgresTestCluster(port: port, directory: directory, watcher: watcher)
            }
        }
        throw ClusterError(
            "PostgreSQL did not start on any port from \(first): \((try? String(contentsOfFile: directory + "/log", encoding: .utf8)) ?? "")"
        )
    }

    /// A shell that waits for this process to end, then stops the cluster and removes its folder.
    private static func watch(directory: String, data: String, asPostgres: Bool) throws -> ChildProcess {
        let stop = "\(try binary("pg_ctl")) -D \(data) -m immediate stop"
        let script = """
            while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done
            \(asPostgres ? "su postgres -s /bin/sh -c '\(stop)'" : stop) >/dev/null 2>&1
            rm -rf \(directory)
            """
        return try ChildProcess(
            "/usr/bin/setsid", ["/bin/sh", "-c", script], standardOutput: .null, standardError: .null)
    }

    /// Runs a program to its end, its output (both streams) in a temporary file. Foundation's `Process` is not
    /// used: on Linux it can miss a child's end and wait for ever (ChildProcess says why).
    static func run(_ executable: String, _ arguments: [String], asPostgres: Bool = false) async throws -> (
        status: Int32, output: String
    ) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("caseline-pg-\(UUID().uuidString).out")
        let errors = log.appendingPathExtension("err")
        defer {
            try? FileManager.default.removeItem(at: log)
            try? FileManager.default.removeItem(at: errors)
        }
        var program = executable
        var argv = arguments
        if asPostgres {
            let command = ([executable] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            program = "/bin/su"
            argv = ["postgres", "-s", "/bin/sh", "-c", "cd / && " + command.joined(separator: " ")]
        }
        let child = try ChildProcess(program, argv, standardOutput: .file(log.path), standardError: .file(errors.path))
        guard let status = await child.wait(timeout: .seconds(120)) else {
            child.send(SIGKILL)
            throw ClusterError("\(executable) did not end within 120 s")
        }
        let output = [log, errors].map { (try? String(contentsOf: $0, encoding: .utf8)) ?? "" }.joined()
        return (status, output)
    }
}

public struct ClusterError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
