import CaseLineClient
import CaseLineProtocol
import Foundation

/// `caseline watch [mine] [commune=…] [province=…] [case=…] [since=N]`: prints events as they arrive, one a
/// line, until interrupted. A broken connection (a weak link, a server restart, a slow-consumer drop) is
/// retried with a growing pause, resuming with `since=` the last event shown: nothing missed, nothing twice.
enum WatchVerb {
    static let usage = "watch [mine] [commune=CODE] [province=CODE] [case=ID] [since=N]"

    static func run(settings: Settings, words: [String]) async -> Int32 {
        var options: [String: String] = [:]
        for word in words.dropFirst() {
            if word == "mine" {
                options["mine"] = "yes"
                continue
            }
            let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, ["mine", "commune", "province", "case", "since"].contains(parts[0]) else {
                ClientFailure.usage(tr("unexpected \(word); \(usage)", vi: "không hiểu \(word); \(usage)")).report()
                return 2
            }
            options[parts[0]] = parts[1]
        }
        var last = options.removeValue(forKey: "since").flatMap { Int64($0) }
        let context = Context(settings: settings)
        var pause = 1
        while true {
            do {
                let code = try await Session.connect(settings) { connection in
                    try await Session.start(connection, context, needTable: false)
                    var command = Command(tag: connection.makeTag(), name: "WATCH")
                    command.options = options
                    if let last { command.options["since"] = String(last) }
                    let answer = try await connection.request(command)
                    guard answer.completion.status == .ok else { return Session.show(answer, context) }
                    if last == nil { last = answer.records.first?["head"].flatMap { Int64($0) } }
                    for case .record(let event) in answer.others where event.type == "EVENT" {
                        show(event, context, last: &last)
                    }
                    pause = 1
                    while true {
                        switch try await connection.next() {
                        case .record(let event) where event.type == "EVENT": show(event, context, last: &last)
                        case .bye(let code, let details, let text):
                            Terminal.error(
                                tr(
                                    "caseline: the server closed the watch: ",
                                    vi: "caseline: máy chủ đã dừng theo dõi: ")
                                    + "\(code.map { "[\($0)] " } ?? "")\(text)")
                            if let sent = details.first(where: { $0.key == "last-seq" }).flatMap({ Int64($0.value) }) {
                                last = min(last ?? sent, sent)
                            }
                            throw ClientConnection.Failure.closed
                        default: continue
                        }
                    }
                }
                return code
            } catch let failure as ClientFailure {
                failure.report()
                return failure.exitCode
            } catch {
                let from = last.map { tr(" from event \($0)", vi: " từ sự kiện \($0)") } ?? ""
                Terminal.error(
                    tr(
                        "caseline: connection lost (\(Session.why(error))); reconnecting in \(pause) s\(from)",
                        vi: "caseline: mất kết nối (\(Session.why(error))); kết nối lại sau \(pause) giây\(from)"))
                try? await Task.sleep(for: .seconds(pause))
                pause = min(pause * 2, 60)
            }
        }
    }

    /// One event: a readable line on a table terminal, otherwise the chosen format (json: one object a line).
    static func show(_ event: Record, _ context: Context, last: inout Int64?) {
        if let seq = event["seq"].flatMap({ Int64($0) }) { last = seq }
        Terminal.out(line(event, context.format, context.localiser))
    }

    /// One event: a readable line on a table terminal (values made safe to show), otherwise the chosen format.
    static func line(_ event: Record, _ format: OutputFormat, _ localiser: Localiser) -> String {
        guard format == .table else { return format.render([event]) }
        func shown(_ key: String) -> String {
            TerminalText.neutralise(localiser.value(event[key] ?? "", key: key, record: "EVENT"))
        }
        let skip: Set<String> = ["seq", "at", "type", "watch", "actor", "on-behalf-of"]
        let rest = event.fields.filter { !skip.contains($0.key) }.map {
            "\($0.key)=\(TerminalText.neutralise(localiser.value($0.value, key: $0.key, record: "EVENT")))"
        }.joined(separator: " ")
        let by =
            shown("actor")
            + (event["on-behalf-of"].map { _ in tr(" for ", vi: " thay ") + shown("on-behalf-of") } ?? "")
        let type = Terminal.paint(shown("type"), .yellow)
        return "#\(shown("seq"))  \(shown("at"))  \(type)  \(rest)  (\(by))\n"
    }
}
