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
              watch [mine] [commune=…]      (one-shot only) events as they happen; reconnects and resumes
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
                  watch [mine] [commune=…]      (chỉ dùng một lần) sự kiện ngay khi xảy ra; tự kết nối lại
                """)
    }

    static func isFriendly(_ word: String) -> Bool {
        ["communes", "tasks", "pending", "case", "approve", "reject", "return", "help"].contains(word)
    }

    static func run(_ words: [String], _ connection: ClientConnection, _ format: OutputFormat) async throws -> Int32 {
        let verb = words[0]
        let rest = Array(words.dropFirst())
        func request(_ name: String, _ arguments: [String] = [], _ options: [String: String] = [:]) async throws
            -> ClientConnection.Result
        {
            var command = Command(tag: connection.makeTag(), name: name, arguments: arguments)
            command.options = options
            return try await connection.request(command)
        }
        switch verb {
        case "communes": return Session.show(try await request("ASSIGNMENT MINE"), format)
        case "tasks": return Session.show(try await request("TASK LIST", [], ["mine": "yes"]), format)
        case "pending": return Session.show(try await request("PENDING"), format)
        case "case":
            guard let id = rest.first else {
                throw ClientFailure.usage(
                    tr("case needs a case id, e.g. case C-7", vi: "case cần mã hồ sơ, ví dụ case C-7"))
            }
            let shown = try await request("CASE SHOW", [id])
            guard shown.completion.status == .ok, format == .table else { return Session.show(shown, format) }
            Terminal.out(timeline(shown.records))
            return 0
        case "approve", "reject", "return":
            guard let id = rest.first else {
                throw ClientFailure.usage(
                    tr("\(verb) needs a case id, e.g. \(verb) C-7", vi: "\(verb) cần mã hồ sơ, ví dụ \(verb) C-7"))
            }
            var text = rest.dropFirst().joined(separator: " ")
            if verb != "approve" && text.isEmpty {
                guard Terminal.inputIsTerminal, let edited = await editor(about: id, verb: verb) else {
                    throw ClientFailure.usage(
                        tr("\(verb) needs a reason: \(verb) \(id) \"…\"", vi: "\(verb) cần lý do: \(verb) \(id) \"…\""))
                }
                text = edited
            }
            let name = ["approve": "CASE APPROVE", "reject": "CASE REJECT", "return": "CASE RETURN"][verb]!
            let key = verb == "approve" ? "note" : "reason"
            return Session.show(try await request(name, [id], text.isEmpty ? [:] : [key: text]), format)
        default:
            Terminal.out(help + "\n")
            return 0
        }
    }

    /// A case and its steps drawn as a timeline: one line per step, decided ones with who and when.
    static func timeline(_ records: [Record]) -> String {
        guard let file = records.first(where: { $0.type == "CASE" }) else { return "" }
        var lines = [
            "\(file["id"] ?? "?")  \(file["title"] ?? "")",
            "  \(file["kind"] ?? "")  commune \(file["commune"] ?? "")  \(file["amount"].map { "\($0) VND" } ?? "")  state: \(file["state"] ?? "")",
        ]
        var round = ""
        for step in records where step.type == "STEP" {
            if step["round"] != round {
                round = step["round"] ?? ""
                lines.append("  round \(round)")
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
                "    \(mark) \(step["n"] ?? "?"). \(step["role"] ?? "")@\(step["level"] ?? "")  \(step["state"] ?? "")"
            if let by = step["by"] {
                line += "  by \(by)" + (step["on-behalf-of"].map { " on behalf of \($0)" } ?? "")
            }
            if let at = step["at"] ?? step["waiting-since"] { line += "  \(at)" }
            if let words = step["note"] ?? step["reason"] { line += "\n        \"\(words)\"" }
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
