@preconcurrency import CEdit
import CaseLineClient
import Foundation

/// The interactive session: libedit line editing and history (secrets left out), meta-commands that start
/// with a backslash, and protocol commands typed without tags.
enum Interactive {
    static var historyFile: URL {
        let state =
            ProcessInfo.processInfo.environment["XDG_STATE_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/state")
        return state.appendingPathComponent("caseline/history")
    }

    /// Lines that carry a secret never reach the history file.
    static func isSecret(_ line: String) -> Bool {
        let verb = line.split(separator: " ").first.map { $0.uppercased() } ?? ""
        return ["LOGIN", "AUTH", "PASSWORD"].contains(verb)
    }

    static func run(_ connection: ClientConnection, _ settings: Settings) async throws -> Int32 {
        var format = settings.format
        try? FileManager.default.createDirectory(
            at: historyFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = read_history(historyFile.path)
        // Completion comes from the server's HELP; without it the session still works, just without Tab.
        try? await Completion.load(connection)
        Completion.install()
        let who = connection.greeting.map { _ in settings.user ?? "-" } ?? "-"
        Terminal.error(
            "Connected to \(settings.server). Type HELP for commands, \\help for the client's own, \\q to quit.")
        while let pointer = readline("caseline \(who)@\(settings.host)> ") {
            let line = String(cString: pointer).trimmingCharacters(in: .whitespaces)
            free(pointer)
            if line.isEmpty { continue }
            if !isSecret(line) {
                _ = add_history(line)
                _ = write_history(historyFile.path)
            }
            if line.hasPrefix("\\") {
                let parts = line.dropFirst().split(separator: " ").map(String.init)
                switch parts.first ?? "" {
                case "q", "quit":
                    _ = try? await connection.request("LOGOUT")
                    return 0
                case "format":
                    if let name = parts.dropFirst().first, let chosen = OutputFormat(rawValue: name) {
                        format = chosen
                    } else {
                        Terminal.error("formats: table, json, csv, raw (now \(format.rawValue))")
                    }
                default:
                    Terminal.error(
                        "\\format table|json|csv|raw   choose how records are shown\n\\q                           log out and quit\n"
                            + FriendlyVerbs.help)
                }
                continue
            }
            let words = line.split(separator: " ").map(String.init)
            if let first = words.first, FriendlyVerbs.isFriendly(first) {
                // Quoted arguments keep their spaces: the rest of the line is the note or reason.
                let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
                let unquoted = parts.map {
                    $0.count >= 2 && $0.hasPrefix("\"") && $0.hasSuffix("\"") ? String($0.dropFirst().dropLast()) : $0
                }
                do {
                    _ = try await FriendlyVerbs.run(unquoted, connection, format)
                } catch let failure as ClientFailure {
                    failure.report()
                }
                continue
            }
            if line.uppercased() == "LOGOUT" {
                _ = try? await connection.request("LOGOUT")
                return 0
            }
            let result = try await connection.request(line)
            Completion.remember(result.records)
            Session.show(result, format)
        }
        _ = try? await connection.request("LOGOUT")
        return 0
    }
}
