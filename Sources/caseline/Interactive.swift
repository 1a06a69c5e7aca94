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

    /// libedit decodes keystrokes with the C library's multibyte functions: under the "C" locale every
    /// Vietnamese letter typed would be dropped. CLP/1 is UTF-8 throughout, so the keyboard is read as UTF-8.
    static func useUTF8Keyboard() {
        let chosen = setlocale(LC_CTYPE, "").map { String(cString: $0) } ?? ""
        if !chosen.uppercased().contains("UTF-8") && !chosen.uppercased().contains("UTF8") {
            _ = setlocale(LC_CTYPE, "C.UTF-8")
        }
    }

    /// What the session keeps across reconnections: the watches to re-arm and the last event shown.
    final class Memory: Sendable {
        /// The options of each open watch, by its id on the current connection.
        let watches = NIOLockedValueBox<[(id: String, options: String)]>([])
        let lastEvent = NIOLockedValueBox<Int64?>(nil)

        /// An EVENT's `seq`, or a WATCHING record's `head`.
        func saw(_ record: Record) {
            if let seq = (record["seq"] ?? record["head"]).flatMap({ Int64($0) }) {
                lastEvent.withLockedValue { $0 = max($0 ?? 0, seq) }
            }
        }
    }

    /// The interactive session. It survives a dropped connection (a weak link, a server restart): it reconnects
    /// with a growing pause, logs in again with the same credentials and re-arms its watches with `since=` the
    /// last event shown, so no event is lost or shown twice.
    static func run(_ settings: Settings) async -> Int32 {
        useUTF8Keyboard()
        let settings = Session.askingPasswordOnce(settings)
        var format = settings.format
        try? FileManager.default.createDirectory(
            at: historyFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = read_history(historyFile.path)
        let memory = Memory()
        let shownFormat = NIOLockedValueBox(format)
        var editor: LineEditor?
        var pause = 1
        while true {
            do {
                let code = try await Session.connect(settings) { connection in
                    try await Session.authenticate(connection, settings)
                    if editor == nil {
                        // Completion comes from the server's HELP; without it the session works, without Tab.
                        try? await Completion.load(connection)
                        Completion.install()
                        let who = settings.user ?? "-"
                        Terminal.error(
                            tr(
                                "Connected to \(settings.server). Type HELP for commands, \\help for the client's own, \\q to quit.",
                                vi:
                                    "Đã kết nối tới \(settings.server). Gõ HELP để xem các lệnh, \\help cho lệnh riêng của caseline, \\q để thoát."
                            )
                        )
                        let started = LineEditor(
                            prompt: "caseline \(who)@\(settings.host)> ",
                            show: { event in
                                memory.saw(event)
                                return WatchVerb.line(event, shownFormat.withLockedValue { $0 })
                            })
                        started.attach(.init(events: connection.eventSource, closed: connection.closedSource))
                        started.start()
                        editor = started
                    } else {
                        try await rearm(connection, memory, format)
                        editor!.attach(.init(events: connection.eventSource, closed: connection.closedSource))
                        editor!.notice(
                            tr(
                                "caseline: reconnected to \(settings.server)",
                                vi: "caseline: đã kết nối lại tới \(settings.server)"))
                    }
                    pause = 1
                    return try await converse(connection, editor!, memory, &format, shownFormat)
                }
                editor?.finish()
                return code
            } catch let failure as ClientFailure {
                editor?.finish()
                failure.report()
                return failure.exitCode
            } catch {
                guard let editor else { return Session.cannotTalk(settings, error) }
                let why =
                    (error as? ClientConnection.Failure)?.description ?? tr("cannot reach it", vi: "không tới được")
                editor.notice(
                    tr(
                        "caseline: connection to \(settings.server) lost (\(why)); reconnecting in \(pause) s (Ctrl-D quits)",
                        vi:
                            "caseline: mất kết nối tới \(settings.server) (\(why)); kết nối lại sau \(pause) giây (Ctrl-D để thoát)"
                    )
                )
                for _ in 0..<(pause * 10) where !editor.ended { try? await Task.sleep(for: .milliseconds(100)) }
                if editor.ended {
                    editor.finish()
                    return 0
                }
                pause = min(pause * 2, 60)
            }
        }
    }

    /// Lines from the person, answered on this connection until they quit or it breaks (then it throws).
    static func converse(
        _ connection: ClientConnection, _ editor: LineEditor, _ memory: Memory, _ format: inout OutputFormat,
        _ shownFormat: NIOLockedValueBox<OutputFormat>
    ) async throws -> Int32 {
        for await input in editor.lines {
            switch input {
            case .end:
                _ = try? await connection.request("LOGOUT")
                return 0
            case .disconnected:
                throw ClientConnection.Failure.closed
            case .line(let line):
                if try await handle(line, connection, &format, memory) == .quit { return 0 }
                shownFormat.withLockedValue { $0 = format }
                editor.done()
            }
        }
        return 0
    }

    /// After a reconnection: every watch again, from the last event shown.
    static func rearm(_ connection: ClientConnection, _ memory: Memory, _ format: OutputFormat) async throws {
        let watches = memory.watches.withLockedValue { watches in
            defer { watches = [] }
            return watches
        }
        let since = memory.lastEvent.withLockedValue { $0 }
        for watch in watches {
            let line = "WATCH \(watch.options)" + (since.map { " since=\($0)" } ?? "")
            let result = try await connection.request(line)
            // Quietly, unless it fails: what matters is the events it brings back.
            show(result, result.completion.status == .ok ? nil : format, memory, options: watch.options)
        }
    }

    enum Next { case goOn, quit }

    /// One line typed at the prompt: a meta-command, a daily verb or a protocol command.
    static func handle(
        _ line: String, _ connection: ClientConnection, _ format: inout OutputFormat, _ memory: Memory
    ) async throws -> Next {
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
                    Terminal.error(
                        tr(
                            "formats: table, json, csv, raw (now \(format.rawValue))",
                            vi: "định dạng: table, json, csv, raw (đang dùng \(format.rawValue))"))
                }
            case "watch":
                // `\watch mine commune=02014` is WATCH mine=yes commune=02014: events then print above the prompt.
                let options = parts.dropFirst().map { $0 == "mine" ? "mine=yes" : $0 }
                show(try await connection.request((["WATCH"] + options).joined(separator: " ")), format, memory)
            case "unwatch":
                show(
                    try await connection.request((["UNWATCH"] + parts.dropFirst()).joined(separator: " ")), format,
                    memory)
            default:
                Terminal.error(
                    tr(
                        "\\format table|json|csv|raw   choose how records are shown\n"
                            + "\\watch [mine] [commune=…]    show events above the prompt as they happen\n"
                            + "\\unwatch [W1]                stop watching\n\\q                           log out and quit\n",
                        vi: "\\format table|json|csv|raw   chọn cách hiển thị bản ghi\n"
                            + "\\watch [mine] [commune=…]    hiện sự kiện phía trên dấu nhắc ngay khi xảy ra\n"
                            + "\\unwatch [W1]                thôi theo dõi\n\\q                           đăng xuất và thoát\n"
                    )
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
        show(try await connection.request(line), format, memory)
        return .goOn
    }

    /// An answer, and the events that arrived while it was on its way; remembers watches made and stopped.
    static func show(
        _ result: ClientConnection.Result, _ format: OutputFormat?, _ memory: Memory, options: String? = nil
    ) {
        Completion.remember(result.records)
        if let format { Session.show(result, format) }
        for case Response.record(let event) in result.others where event.type == "EVENT" {
            memory.saw(event)
            Terminal.out(WatchVerb.line(event, format ?? .table))
        }
        guard result.completion.status == .ok else { return }
        if let watching = result.records.first(where: { $0.type == "WATCHING" }), let id = watching["id"] {
            // Nothing after the head was missed when the watch began: a reconnection resumes from there at least.
            memory.saw(watching)
            // The options as the server understood them, without since= (re-arming supplies its own).
            let given =
                options
                ?? (watching["filter"] ?? "all").split(separator: ",").compactMap { part -> String? in
                    if part == "mine" { return "mine=yes" }
                    let pair = part.split(separator: ":", maxSplits: 1)
                    return pair.count == 2 ? "\(pair[0])=\(pair[1])" : nil
                }.joined(separator: " ")
            memory.watches.withLockedValue { $0.append((id: id, options: given)) }
        }
        if result.completion.text.hasSuffix("stopped") {
            let stopped = result.completion.text.split(separator: " ").first.map(String.init)
            memory.watches.withLockedValue { watches in
                if let stopped, stopped.hasPrefix("W") { watches.removeAll { $0.id == stopped } } else { watches = [] }
            }
        }
    }
}
