import CaseLineClient
import Foundation

/// Runs an external program (python3, openssl) with a time limit and returns its output.
enum Peers {
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Peers")
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The full path of a program on PATH, or nil.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Output goes to temporary files rather than pipes, so a chatty program can never block on a full pipe.
    static func run(
        _ executable: String, _ arguments: [String], input: String? = nil, environment: [String: String] = [:],
        timeout: Double = 60
    ) async throws -> Output {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "caseline-peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outURL = directory.appendingPathComponent("out")
        let errURL = directory.appendingPathComponent("err")
        let inURL = directory.appendingPathComponent("in")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: inURL.path, contents: Data((input ?? "").utf8))
        let process = try ChildProcess(
            executable, arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
            standardInput: .file(inURL.path), standardOutput: .file(outURL.path), standardError: .file(errURL.path))
        var status = await process.wait(timeout: .seconds(timeout))
        if status == nil {
            process.send(SIGKILL)
            status = await process.wait(timeout: .seconds(10))
        }
        return Output(
            status: status ?? -1, stdout: try String(contentsOf: outURL, encoding: .utf8),
            stderr: try String(contentsOf: errURL, encoding: .utf8))
    }
}
