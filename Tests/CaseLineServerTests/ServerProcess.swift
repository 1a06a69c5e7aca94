import CaseLineClient
import Foundation
import NIOSSL
import Testing

/// A `caseline-server serve` child process on a loopback port, for tests that need the real executable.
struct ServerProcess {
    let process: ChildProcess
    let port: Int
    let tls: TLSConfiguration

    /// Starts `serve` on `data` and waits until it logs the port it listens on.
    static func start(data: URL) async throws -> ServerProcess {
        let log = data.appendingPathComponent("serve-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = try ChildProcess(
            ServerSuites.ServerProcessTests.executable.path,
            ["serve", "--data", data.path, "--host", "127.0.0.1", "--port", "0"], standardOutput: .null,
            standardError: .file(log.path))
        var port = 0
        for _ in 0..<300 where port == 0 {
            try await Task.sleep(for: .milliseconds(50))
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "caseline.address=[IPv4]127.0.0.1/127.0.0.1:") {
                port = Int(text[range.upperBound...].prefix { $0.isNumber }) ?? 0
            }
        }
        guard port > 0 else {
            process.send(SIGKILL)
            throw TestFailure(
                "the server did not report its port: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(data.appendingPathComponent("cert.pem").path)
        return ServerProcess(process: process, port: port, tls: tls)
    }

    /// Connects; `from` is the loopback source address (127.0.0.2 … stand for other client machines).
    func connect<T>(from localAddress: String? = nil, _ body: (ClientConnection) async throws -> T) async throws -> T {
        try await ClientConnection.connect(
            host: "127.0.0.1", port: port, tls: tls, serverHostname: "localhost", localAddress: localAddress, body)
    }

    /// `init` a fresh data directory and return the first admin's one-time password.
    static func initialise(_ data: URL) async throws -> String {
        let result = try await Peers.run(
            ServerSuites.ServerProcessTests.executable.path, ["init", "--data", data.path], timeout: 120)
        guard result.status == 0,
            let line = result.stdout.split(separator: "\n").first(where: { $0.contains("One-time password") }),
            let password = line.split(separator: " ").last
        else { throw TestFailure("init failed: \(result.stderr)") }
        return String(password)
    }
}
