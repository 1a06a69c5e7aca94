@preconcurrency import CEdit
import CaseLineClient
import CaseLineProtocol
import Foundation
import NIOConcurrencyHelpers

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
        let shownFormat = NIOLockedValueBox(format)
        let editor = LineEditor(
            prompt: "caseline \(who)@\(settings.host)> ", events: connection.eventSource,
            show: { WatchVerb.line($0, shownFormat.withLockedValue { $0 }) })
        editor.start()
        var loggedOut = false
        do {
            for await entered in editor.lines {
                guard let line = entered else { break }
                if try await handle(line, connection, &format) == .quit {
                    loggedOut = true
                    break
                }
                shownFormat.withLockedValue { $0 = format }
                editor.done()
            }
        } catch {
            editor.finish()
            throw error
        }
        editor.finish()
        if !loggedOut { _ = try? await connection.request("LOGOUT") }
        return 0
    }

    enum Next { case goOn, quit }

    /// One line typed at the prompt: a meta-command, a daily verb or a protocol command.
    static func handle(_ line: String, _ connection: ClientConnection, _ format: inout OutputFormat) async throws
        -> Next
    {
        if line.isEmpty { return .goOn }
        if line.hasPrefix("\\") {
            let parts = line.dropFirst().split(separator: " ").map(String.init)
            switch parts.first ?? "" {
            case "q", "quit":
                _ = try? await connection.request("LOGOUT")
                return .quit
            case "format":
                if let name = parts.dropFirst().first, let chosen = OutputFormat(rawValue: name) {
                    format = chosen
                } else {
                    Terminal.error("formats: table, json, csv, raw (now \(format.rawValue))")
                }
            case "watch":
                // `\watch mine commune=02014` is WATCH mine=yes commune=02014: events then print above the prompt.
                let options = parts.dropFirst().map { $0 == "mine" ? "mine=yes" : $0 }
                show(try await connection.request((["WATCH"] + options).joined(separator: " ")), format)
            case "unwatch":
                show(try await connection.request((["UNWATCH"] + parts.dropFirst()).joined(separator: " ")), format)
            default:
                Terminal.error(
                    "\\format table|json|csv|raw   choose how records are shown\n"
                        + "\\watch [mine] [commune=…]    show events above the prompt as they happen\n"
                        + "\\unwatch [W1]                stop watching\n\\q                           log out and quit\n"
                        + FriendlyVerbs.help)
            }
            return .goOn
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
            return .goOn
        }
        if line.uppercased() == "LOGOUT" {
            _ = try? await connection.request("LOGOUT")
            return .quit
        }
        show(try await connection.request(line), format)
        return .goOn
    }

    /// An answer, and the events that arrived while it was on its way.
    static func show(_ result: ClientConnection.Result, _ format: OutputFormat) {
        Completion.remember(result.records)
        Session.show(result, format)
        for case Response.record(let event) in result.others where event.type == "EVENT" {
            Terminal.out(WatchVerb.line(event, format))
        }
    }
}
