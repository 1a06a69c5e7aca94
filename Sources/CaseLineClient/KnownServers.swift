public import Foundation

/// Trust on first use for self-signed servers: `host:port sha256` lines in a file the user owns, like ssh's
/// known_hosts. A server whose certificate changed is refused until the user removes its line on purpose.
public struct KnownServers: Sendable {
    public enum Verdict: Sendable, Equatable {
        case known
        case unknown
        case changed(expected: String)
    }

    public let file: URL

    public init(file: URL) { self.file = file }

    public static var defaultFile: URL {
        let config =
            ProcessInfo.processInfo.environment["XDG_CONFIG_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config")
        return config.appendingPathComponent("caseline/known_servers")
    }

    func entries() -> [(server: String, fingerprint: String)] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count >= 2, !line.hasPrefix("#") else { return nil }
            return (String(parts[0]), String(parts[1]).lowercased())
        }
    }

    public func check(server: String, fingerprint: String) -> Verdict {
        guard let entry = entries().first(where: { $0.server == server }) else { return .unknown }
        return entry.fingerprint == Self.normalise(fingerprint) ? .known : .changed(expected: entry.fingerprint)
    }

    public func remember(server: String, fingerprint: String) throws {
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        var text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        text += "\(server) \(Self.normalise(fingerprint))\n"
        try text.write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    }

    /// Lower-case hex without colons.
    public static func normalise(_ fingerprint: String) -> String {
        fingerprint.replacingOccurrences(of: ":", with: "").lowercased()
    }

    /// `AB:CD:…`, as the server prints it at start.
    public static func display(_ fingerprint: String) -> String {
        let hex = normalise(fingerprint).uppercased()
        return stride(from: 0, to: hex.count, by: 2).map { offset in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return String(hex[start..<hex.index(start, offsetBy: 2)])
        }.joined(separator: ":")
    }
}
