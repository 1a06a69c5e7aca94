import CaseLineClient
import CaseLineProtocol
import Foundation

/// Short lower-case verbs for the daily work, on top of the raw protocol: `communes`, `tasks`, `pending`,
/// `approve`, `reject`, `return`, `case`. Protocol commands (upper case) pass through unchanged.
enum FriendlyVerbs {
    static var help: String {
        tr(
            """
            Daily verbs (protocol commands work too, e.g. TASK LIST mine=yes):
              communes                      the communes you are responsible for
              tasks                         your open tasks, overdue first
              pending                       cases waiting for your decision
              case C-7                      a case with its approval chain as a timeline
              approve C-7 [note]            approve the step waiting for you
              reject C-7 [reason]           reject (the reason is required; $EDITOR opens without one)
              return C-7 [reason]           return for revision (likewise)
              watch [mine] [commune=…]      events as they happen (in a session: above the prompt)
            """,
            vi: """
                Lệnh thường ngày (lệnh giao thức cũng dùng được, ví dụ TASK LIST mine=yes):
                  communes                      các xã bạn phụ trách
                  tasks                         việc đang mở của bạn, việc quá hạn trước
                  pending                       hồ sơ đang chờ bạn quyết định
                  case C-7                      một hồ sơ với chuỗi phê duyệt theo dòng thời gian
                  approve C-7 [ghi chú]         phê duyệt bước đang chờ bạn
                  reject C-7 [lý do]            từ chối (bắt buộc có lý do; không có thì mở $EDITOR)
                  return C-7 [lý do]            trả lại để sửa (như trên)
                  watch [mine] [commune=…]      sự kiện ngay khi xảy ra (trong phiên: phía trên dấu nhắc)
                """)
    }

    static func isFriendly(_ word: String) -> Bool { verbs.contains(word) }

    static let verbs = ["communes", "tasks", "pending", "case", "approve", "reject", "return", "help"]

    static func run(_ words: [String], _ connection: ClientConnection, _ context: Context) async throws -> Int32 {
        let verb = words[0]
        let rest = Array(words.dropFirst())
        func request(_ name: String, _ arguments: [String] = [], _ options: [String: String] = [:]) async throws
            -> ClientConnection.Result
        {
            var command = Command(tag: connection.makeTag(), name: name, arguments: arguments)
            command.options = options
            return try await Session.execute(connection, context, .command(command))
        }
        switch verb {
        case "communes": return Session.show(try await request("ASSIGNMENT MINE"), context)
        case "tasks": return Session.show(try await request("TASK LIST", [], ["mine": "yes"]), context)
        case "pending": return Session.show(try await request("PENDING"), context)
        case "case":
            guard let id = rest.first else {
                throw ClientFailure.usage(
                    tr("case needs a case id, e.g. case C-7", vi: "case cần mã hồ sơ, ví dụ case C-7"))
            }
            let shown = try await request("CASE SHOW", [id])
            guard shown.completion.status == .ok, context.format == .table else { return Session.show(shown, context) }
            Completion.remember(shown.records)
            context.output.emit(timeline(shown.records, context.localiser), format: .table)
            return 0
        case "approve", "reject", "return":
            guard let id = rest.first else {
                throw ClientFailure.usage(
                    tr("\(verb) needs a case id, e.g. \(verb) C-7", vi: "\(verb) cần mã hồ sơ, ví dụ \(verb) C-7"))
            }
            var text = rest.dropFirst().joined(separator: " ")
            if verb != "approve" && text.isEmpty {
                guard Terminal.inputIsTerminal, context.place == nil, let edited = await editor(about: id, verb: verb)
                else {
                    throw ClientFailure.usage(
                        tr("\(verb) needs a reason: \(verb) \(id) \"…\"", vi: "\(verb) cần lý do: \(verb) \(id) \"…\""))
                }
                text = edited
            }
            let name = ["approve": "CASE APPROVE", "reject": "CASE REJECT", "return": "CASE RETURN"][verb]!
            let key = verb == "approve" ? "note" : "reason"
            return Session.show(try await request(name, [id], text.isEmpty ? [:] : [key: text]), context)
        default:
            context.output.emit(help + "\n", format: .table)
            return 0
        }
    }

    /// A case and its steps drawn as a timeline: one line per step, decided ones with who and when; labels,
    /// states, amounts and times in the reader's language.
    static func timeline(_ records: [Record], _ localiser: Localiser) -> String {
        guard let file = records.first(where: { $0.type == "CASE" }) else { return "" }
        func shown(_ key: String, _ record: Record) -> String {
            TerminalText.neutralise(localiser.value(record[key] ?? "", key: key, record: record.type))
        }
        let amount = file["amount"].map { _ in "  " + shown("amount", file) } ?? ""
        var lines = [
            "\(shown("id", file))  \(shown("title", file))",
            "  \(shown("kind", file))  \(tr("commune", vi: "xã")) \(shown("commune", file))\(amount)  \(tr("state", vi: "trạng thái")): \(shown("state", file))",
        ]
        var round = ""
        for step in records where step.type == "STEP" {
            if step["round"] != round {
                round = step["round"] ?? ""
                lines.append("  \(tr("round", vi: "vòng")) \(shown("round", step))")
            }
            let mark =
                switch step["state"] ?? "" {
                case "approved": "✔"
                case "rejected": "✘"
                case "returned": "↩"
                case "waiting": "…"
                default: "·"
                }
            var line =
                "    \(mark) \(shown("n", step)). \(shown("role", step))@\(shown("level", step))  \(shown("state", step))"
            if step["by"] != nil {
                line +=
                    "  \(tr("by", vi: "bởi")) \(shown("by", step))"
                    + (step["on-behalf-of"].map { _ in
                        " \(tr("on behalf of", vi: "thay cho")) \(shown("on-behalf-of", step))"
                    } ?? "")
            }
            if step["at"] != nil {
                line += "  " + shown("at", step)
            } else if step["waiting-since"] != nil {
                line += "  " + shown("waiting-since", step)
            }
            if let key = step["note"] != nil ? "note" : step["reason"] != nil ? "reason" : nil {
                line += "\n        \"\(shown(key, step))\""
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Opens $EDITOR (or vi) on a temporary file for a long reason; nil when left empty.
    static func editor(about id: String, verb: String) async -> String? {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("caseline-\(verb)-\(id).txt")
        let header = tr(
            "# Reason to \(verb) \(id). Lines starting with # are ignored; an empty reason cancels.\n",
            vi: "# Lý do để \(verb) \(id). Dòng bắt đầu bằng # bị bỏ qua; để trống là hủy.\n")
        try? header.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let editor =
            ProcessInfo.processInfo.environment["VISUAL"] ?? ProcessInfo.processInfo.environment["EDITOR"] ?? "vi"
        guard
            let process = try? ChildProcess("/bin/sh", ["-c", "\(editor) \"$0\"", file.path], standardInput: .inherit)
        else { return nil }
        _ = await process.waitUntilExit()
        let text = ((try? String(contentsOf: file, encoding: .utf8)) ?? "")
            .split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }
            .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
