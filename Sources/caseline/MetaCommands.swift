import CaseLineClient
import CaseLineProtocol
import Foundation
import NIOConcurrencyHelpers

/// Backslash commands, as psql has them: the client's own, never sent to the server as typed.
enum MetaCommands {
    static var help: String {
        tr(
            """
            \\format table|json|csv|raw   choose how records are shown
            \\x [on|off|auto]            records one field a line (auto: when a row cannot fit)
            \\timing [on|off]            show how long each command took
            \\o [FILE]                   send output to FILE (append); \\o alone: back to the screen
            \\i FILE                     run the commands in FILE
            \\html FILE                  save the last answer as an HTML page (a report with its charts)
            \\password                   change your password (asked without echo)
            \\watch [mine] [commune=…]    show events above the prompt as they happen
            \\unwatch [W1]                stop watching
            \\? or \\help                 this list
            \\q                           log out and quit

            """,
            vi: """
                \\format table|json|csv|raw   chọn cách hiển thị bản ghi
                \\x [on|off|auto]            mỗi trường một dòng (auto: khi một hàng không vừa)
                \\timing [on|off]            hiện thời gian của mỗi lệnh
                \\o [TỆP]                    ghi kết quả vào TỆP (nối thêm); \\o không tham số: trở lại màn hình
                \\i TỆP                      chạy các lệnh trong TỆP
                \\html TỆP                   lưu câu trả lời vừa rồi thành trang HTML (báo cáo kèm biểu đồ)
                \\password                   đổi mật khẩu (gõ không hiện)
                \\watch [mine] [commune=…]    hiện sự kiện phía trên dấu nhắc ngay khi xảy ra
                \\unwatch [W1]                thôi theo dõi
                \\? hoặc \\help               danh sách này
                \\q                           đăng xuất và thoát

                """)
    }

    static let names = [
        "format", "x", "timing", "o", "i", "html", "password", "watch", "unwatch", "?", "help", "q", "quit",
    ]

    static func run(_ line: String, _ connection: ClientConnection, _ context: Context, interactive: Bool)
        async throws -> Int32
    {
        let parts = Words.split(String(line.dropFirst()))
        let name = parts.first ?? ""
        let argument = parts.dropFirst().first
        switch name {
        case "q", "quit":
            if interactive { _ = try? await connection.request("LOGOUT") }
            return Session.quitCode
        case "format":
            guard let argument, let chosen = OutputFormat(rawValue: argument) else {
                throw ClientFailure.usage(
                    tr(
                        "formats: table, json, csv, raw (now \(context.format.rawValue))",
                        vi: "định dạng: table, json, csv, raw (đang dùng \(context.format.rawValue))"))
            }
            context.format = chosen
        case "x":
            if let argument {
                guard let chosen = OutputFormat.Expanded(rawValue: argument) else {
                    throw ClientFailure.usage(tr("\\x takes on, off or auto", vi: "\\x nhận on, off hoặc auto"))
                }
                context.expanded = chosen
            } else {
                context.expanded = context.expanded == .on ? .off : .on
            }
            Terminal.error(
                tr(
                    "Expanded display is \(context.expanded.rawValue).",
                    vi: "Hiển thị mở rộng: \(context.expanded.rawValue)."))
        case "timing":
            context.timing = argument.map { $0 == "on" } ?? !context.timing
            Terminal.error(
                tr(
                    "Timing is \(context.timing ? "on" : "off").",
                    vi: "Đo thời gian: \(context.timing ? "bật" : "tắt")."))
        case "o":
            try? context.output.file?.close()
            context.output.file = nil
            context.output.filePath = nil
            if let argument {
                let path = (argument as NSString).expandingTildeInPath
                if !FileManager.default.fileExists(atPath: path) {
                    _ = FileManager.default.createFile(
                        atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
                }
                guard let handle = FileHandle(forWritingAtPath: path) else {
                    throw ClientFailure.usage(tr("cannot write to \(path)", vi: "không ghi được vào \(path)"))
                }
                handle.seekToEndOfFile()
                context.output.file = handle
                context.output.filePath = path
                Terminal.error(tr("Output goes to \(path).", vi: "Kết quả được ghi vào \(path)."))
            }
        case "i":
            guard let argument else { throw ClientFailure.usage(tr("\\i needs a file", vi: "\\i cần một tệp")) }
            let path = (argument as NSString).expandingTildeInPath
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ClientFailure.usage(tr("cannot read \(path)", vi: "không đọc được \(path)"))
            }
            return try await Session.batch(connection, context, lines: Session.lines(text), source: path)
        case "html":
            guard let argument else {
                throw ClientFailure.usage(tr("\\html needs a file", vi: "\\html cần một tệp"))
            }
            guard !context.lastAnswer.isEmpty else {
                throw ClientFailure.usage(
                    tr(
                        "no answer to save yet: run a command first",
                        vi: "chưa có câu trả lời để lưu: hãy chạy một lệnh trước"))
            }
            let path = (argument as NSString).expandingTildeInPath
            do {
                try ReportPage.write([context.lastAnswer], localiser: context.localiser, to: path)
            } catch {
                throw ClientFailure.usage(tr("cannot write to \(path)", vi: "không ghi được vào \(path)"))
            }
            Terminal.error(tr("Saved to \(path).", vi: "Đã lưu vào \(path)."))
        case "password":
            guard interactive, Terminal.inputIsTerminal else {
                throw ClientFailure.usage(
                    tr("\\password needs a terminal to ask on", vi: "\\password cần một terminal để hỏi"))
            }
            return try await changePassword(connection, context)
        case "watch":
            // `\watch mine commune=02014` is WATCH mine=yes commune=02014: events then print above the prompt.
            let options = parts.dropFirst().map { $0 == "mine" ? "mine=yes" : $0 }
            let result = try await connection.request((["WATCH"] + options).joined(separator: " "))
            Interactive.show(result, context)
            return result.completion.status == .ok ? 0 : 1
        case "unwatch":
            let result = try await connection.request((["UNWATCH"] + parts.dropFirst()).joined(separator: " "))
            Interactive.show(result, context)
            return result.completion.status == .ok ? 0 : 1
        case "?", "help":
            Terminal.error(help + FriendlyVerbs.help)
        default:
            throw ClientFailure.usage(
                tr("unknown command \\\(name); \\? lists them", vi: "không có lệnh \\\(name); \\? liệt kê các lệnh"))
        }
        return 0
    }

    /// `\password`: the old password and the new one twice, none of them echoed, then PASSWORD.
    static func changePassword(_ connection: ClientConnection, _ context: Context) async throws -> Int32 {
        guard let old = Terminal.secret(prompt: tr("Current password: ", vi: "Mật khẩu hiện tại: ")),
            let new = Terminal.secret(prompt: tr("New password: ", vi: "Mật khẩu mới: ")),
            let again = Terminal.secret(prompt: tr("New password again: ", vi: "Nhập lại mật khẩu mới: "))
        else { return 2 }
        guard new == again else {
            throw ClientFailure.usage(
                tr("the two new passwords differ; nothing changed", vi: "hai mật khẩu mới khác nhau; chưa đổi gì"))
        }
        let result = try await connection.request(
            Command(tag: connection.makeTag(), name: "PASSWORD", arguments: [old, new]))
        if result.completion.status == .ok { Session.rememberedPassword.withLockedValue { $0 = new } }
        return Session.show(result, context)
    }
}
