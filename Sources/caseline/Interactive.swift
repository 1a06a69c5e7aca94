@preconcurrency import CEdit
import CaseLineClient
import CaseLineProtocol
import Foundation
import NIOConcurrencyHelpers

/// The interactive session: libedit line editing and history (secret lines never kept), backslash commands,
/// daily verbs and protocol commands typed without tags.
enum Interactive {
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

    /// The answer to the command table's refresh, asked in the background as the session starts: the editor's
    /// thread picks it up while the person types, or the session's task reads it before the first command.
    final class PendingTable: Sendable {
        enum State {
            /// Its records so far (the answer is longer than the connection's buffer).
            case waiting(String, [Record])
            case arrived(ClientConnection.Result)
            case done
        }

        let state: NIOLockedValueBox<State>
        let take: @Sendable (String, inout [Record]) -> CaseLineProtocol.Completion?

        init(tag: String, take: @escaping @Sendable (String, inout [Record]) -> CaseLineProtocol.Completion?) {
            state = NIOLockedValueBox(.waiting(tag, []))
            self.take = take
        }

        /// From the editor's thread: takes what has arrived; the answer once it is whole (once).
        func poll() -> ClientConnection.Result? {
            state.withLockedValue { state in
                guard case .waiting(let tag, var records) = state else { return nil }
                guard let completion = take(tag, &records) else {
                    state = .waiting(tag, records)
                    return nil
                }
                let answer = ClientConnection.Result(records: records, others: [], completion: completion)
                state = .arrived(answer)
                return answer
            }
        }

        /// From the session's task, before it sends anything: the answer, waited for if need be.
        func finish(_ connection: ClientConnection) async throws -> ClientConnection.Result? {
            let now = state.withLockedValue { state -> (String?, [Record], ClientConnection.Result?) in
                defer { state = .done }
                switch state {
                case .waiting(let tag, let records): return (tag, records, nil)
                case .arrived(let answer): return (nil, [], answer)
                case .done: return (nil, [], nil)
                }
            }
            if let tag = now.0 {
                var rest = try await connection.read(tag: tag)
                rest.records = now.1 + rest.records
                return rest
            }
            return now.2
        }
    }

    /// The interactive session. It survives a dropped connection (a weak link, a server restart): it reconnects
    /// with a growing pause, logs in again with the same credentials and re-arms its watches with `since=` the
    /// last event shown, so no event is lost or shown twice. The prompt never waits for the command table: a
    /// cached one serves at once, and the server's is fetched in the background.
    static func run(_ settings: Settings) async -> Int32 {
        useUTF8Keyboard()
        Terminal.guardSettings()
        defer { Terminal.restore() }
        let context = Context(settings: settings)
        try? FileManager.default.createDirectory(
            at: settings.paths.history.deletingLastPathComponent(), withIntermediateDirectories: true)
        LineEditor.watchKeys()
        _ = read_history(settings.paths.history.path)
        let memory = context.memory
        let shown = NIOLockedValueBox(
            (format: context.format, localiser: context.localiser))
        var editor: LineEditor?
        var pause = 1
        while true {
            do {
                let code = try await Session.connect(settings) { connection in
                    try await Session.start(connection, context, needTable: false)
                    Completion.table = context.table
                    let server = connection.greetingServer
                    let cache = context.cache
                    let pending = PendingTable(
                        tag: try await connection.send(line: "HELP params=yes"), take: connection.answerSource)
                    let source = LineEditor.Source(
                        events: connection.eventSource, closed: connection.closedSource,
                        idle: {
                            if let answer = pending.poll(),
                                let table = try? ServerCommands(records: answer.records, server: server)
                            {
                                Completion.table = table
                                try? cache.store(table, host: settings.host, port: settings.port)
                            }
                        })
                    if editor == nil {
                        Completion.install()
                        Terminal.error(
                            tr(
                                "Connected to \(settings.server). Type HELP for commands, \\? for the client's own, \\q to quit.",
                                vi:
                                    "Đã kết nối tới \(settings.server). Gõ HELP để xem các lệnh, \\? cho lệnh riêng của caseline, \\q để thoát."
                            )
                        )
                        let who = settings.user ?? "-"
                        let started = LineEditor(
                            prompt: "caseline \(who)@\(settings.host)> ",
                            show: { event in
                                memory.saw(event)
                                let now = shown.withLockedValue { $0 }
                                return WatchVerb.line(event, now.format, now.localiser)
                            })
                        started.attach(source)
                        started.start()
                        editor = started
                    } else {
                        // Said before the watches are armed again: the events missed meanwhile come after it.
                        editor!.notice(
                            tr(
                                "caseline: reconnected to \(settings.server)",
                                vi: "caseline: đã kết nối lại tới \(settings.server)"))
                        try await rearm(connection, context)
                        editor!.attach(source)
                    }
                    pause = 1
                    return try await converse(connection, editor!, context, pending) {
                        shown.withLockedValue { $0.format = context.format }
                    }
                }
                editor?.finish()
                return code
            } catch let failure as ClientFailure {
                editor?.finish()
                failure.report()
                return failure.exitCode
            } catch {
                guard let editor else { return Session.cannotTalk(settings, error) }
                editor.notice(
                    tr(
                        "caseline: connection to \(settings.server) lost (\(Session.why(error))); reconnecting in \(pause) s (Ctrl-D quits)",
                        vi:
                            "caseline: mất kết nối tới \(settings.server) (\(Session.why(error))); kết nối lại sau \(pause) giây (Ctrl-D để thoát)"
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

    /// Lines from the person, answered on this connection until they quit or it breaks (then it throws). The
    /// prompt comes back however a command ends.
    static func converse(
        _ connection: ClientConnection, _ editor: LineEditor, _ context: Context, _ pending: PendingTable,
        _ changed: () -> Void
    ) async throws -> Int32 {
        for await input in editor.lines {
            switch input {
            case .end:
                _ = try? await connection.request("LOGOUT")
                return 0
            case .disconnected:
                throw connection.goodbye.map { ClientConnection.ByeReceived(response: $0) }
                    ?? ClientConnection.Failure.closed
            case .line(let line):
                do {
                    if let answer = try await pending.finish(connection) {
                        context.learn(answer, server: connection.greetingServer)
                        Completion.table = context.table
                    }
                    remember(line, context, editor)
                    let code: Int32
                    do {
                        code = try await Session.runLine(line, connection, context, interactive: true)
                    } catch let failure as ClientFailure where failure.exitCode == 2 {
                        failure.report()
                        code = 2
                    }
                    if code == Session.quitCode { return 0 }
                } catch {
                    editor.done()
                    throw error
                }
                changed()
                editor.done()
            }
        }
        return 0
    }

    /// The line kept in the history unless it holds a secret: a command the server's table marks secret
    /// (PASSWORD, LOGIN, AUTH …), or a line that is no command at all (a password typed at the prompt by
    /// mistake); never twice in a row. A secret line is also wiped from the screen.
    static func remember(_ line: String, _ context: Context, _ editor: LineEditor) {
        guard !line.isEmpty else { return }
        if isSecret(line, context.table) {
            editor.mask(line)
            return
        }
        let last = history_length > 0 ? history_get(history_base + history_length - 1)?.pointee.line : nil
        if let last, String(cString: last) == line { return }
        _ = add_history(line)
        _ = write_history(context.settings.paths.history.path)
    }

    /// Whether a typed line must stay out of the history; while the table is unknown every protocol line does.
    static func isSecret(_ line: String, _ table: ServerCommands?) -> Bool {
        if line.hasPrefix("\\") { return false }
        let first = line.split(separator: " ").first.map(String.init) ?? ""
        if FriendlyVerbs.isFriendly(first) || first == "watch" { return false }
        guard let table, let (entry, _) = table.resolve(ServerCommands.leadingWords(line)) else { return true }
        return entry.isSecret
    }

    /// After a reconnection: every watch again, from the last event shown.
    static func rearm(_ connection: ClientConnection, _ context: Context) async throws {
        let memory = context.memory
        let watches = memory.watches.withLockedValue { watches in
            defer { watches = [] }
            return watches
        }
        let since = memory.lastEvent.withLockedValue { $0 }
        for watch in watches {
            let line = "WATCH \(watch.options)" + (since.map { " since=\($0)" } ?? "")
            let result = try await connection.request(line)
            // Quietly, unless it fails: what matters is the events it brings back.
            show(result, context, quietly: result.completion.status == .ok, options: watch.options)
        }
    }

    /// A WATCH or UNWATCH answer, and the events that arrived with it; remembers watches made and stopped.
    static func show(
        _ result: ClientConnection.Result, _ context: Context, quietly: Bool = false, options: String? = nil
    ) {
        let memory = context.memory
        if !quietly { Session.show(result, context) }
        for case Response.record(let event) in result.others where event.type == "EVENT" {
            memory.saw(event)
            Terminal.out(WatchVerb.line(event, context.format, context.localiser))
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

extension ClientConnection {
    /// The greeting's `server=` (product and version).
    var greetingServer: String { greeting?["server"] ?? "unknown" }
}
