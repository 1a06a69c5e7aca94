import CaseLineClient
import CaseLineProtocol
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL

/// One connection's life: trust the server, authenticate, then run the command(s) in the chosen mode.
enum Session {
    static func run(settings: Settings, words: [String]) async -> Int32 {
        if words.first == "watch" { return await WatchVerb.run(settings: settings, words: words) }
        if words.isEmpty, settings.file == nil, Terminal.inputIsTerminal { return await Interactive.run(settings) }
        let context = Context(settings: settings)
        do {
            return try await connect(settings) { connection in
                try await start(connection, context, needTable: true)
                if !words.isEmpty { return try await oneShot(connection, context, words) }
                if let file = settings.file {
                    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                        throw ClientFailure.usage(tr("cannot read \(file)", vi: "không đọc được \(file)"))
                    }
                    return try await batch(connection, context, lines: lines(text), source: file)
                }
                var lines: [String] = []
                while let line = readLine(strippingNewline: true) { lines.append(line) }
                return try await batch(connection, context, lines: lines, source: "stdin")
            }
        } catch let failure as ClientFailure {
            failure.report()
            return failure.exitCode
        } catch let bye as ClientConnection.ByeReceived {
            Terminal.error(
                tr("caseline: the server closed the session: ", vi: "caseline: máy chủ đã đóng phiên: ")
                    + said(bye.response))
            return 3
        } catch {
            return cannotTalk(settings, error)
        }
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
    }

    /// A BYE as a person reads it: its code and the server's reason.
    static func said(_ response: Response) -> String {
        guard case .bye(let code, _, let text) = response else { return "" }
        return "\(code.map { "[\($0)] " } ?? "")\(text)"
    }

    /// Why a connection ended, for people: the server's goodbye when it said one.
    static func why(_ error: any Error, _ connection: ClientConnection? = nil) -> String {
        if let bye = error as? ClientConnection.ByeReceived { return said(bye.response) }
        if let goodbye = connection?.goodbye {
            return tr("the server said goodbye: ", vi: "máy chủ chào tạm biệt: ") + said(goodbye)
        }
        if let failure = error as? ClientConnection.Failure {
            switch failure {
            case .closed: return tr("the server closed the connection", vi: "máy chủ đã đóng kết nối")
            case .malformed(let message): return tr("a malformed answer: ", vi: "câu trả lời sai dạng: ") + message
            }
        }
        if let failure = error as? ClientFailure { return failure.message }
        return describe(error)
    }

    private struct Refused: Error {}

    /// Library errors in words: what failed, never the type's internals.
    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if error is SocketAddressError || error is SocketAddressError.UnknownHost {
            return tr(
                "the host name is unknown (check the spelling, or the network's name service)",
                vi: "không tìm thấy tên máy (hãy kiểm tra chính tả, hoặc dịch vụ tên miền)")
        }
        if case .connectTimeout? = error as? ChannelError {
            return tr(
                "no answer in time (a slow or broken link?)",
                vi: "không có trả lời kịp thời (đường truyền chậm hoặc đứt?)")
        }
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNREFUSED: return describe(Refused())
            case ETIMEDOUT: return describe(ChannelError.connectTimeout(.seconds(0)))
            default: break
            }
        }
        // NIO's connection error lists what each address said ("… Connection refused"): read in its text.
        if text.contains("Connection refused") || error is Refused {
            return tr(
                "connection refused: no server listens there (is it running, and is the port right?)",
                vi: "bị từ chối kết nối: không có máy chủ nào nghe ở đó (máy chủ có chạy không, cổng có đúng không?)")
        }
        if text.contains("UnknownHost") || text.contains("unknownHost") {
            return tr(
                "the host name is unknown (check the spelling, or the network's name service)",
                vi: "không tìm thấy tên máy (hãy kiểm tra chính tả, hoặc dịch vụ tên miền)")
        }
        if text.contains("connectTimeout") || text.contains("timed out") || text.contains("Timeout") {
            return tr(
                "no answer in time (a slow or broken link?)",
                vi: "không có trả lời kịp thời (đường truyền chậm hoặc đứt?)")
        }
        if text.contains("Network is unreachable") || text.contains("No route to host") {
            return tr("the network cannot reach it", vi: "mạng không tới được")
        }
        if text.contains("Connection reset") || text.contains("connection reset") {
            return tr("the connection was reset", vi: "kết nối bị ngắt")
        }
        if error is NIOSSLError {
            return tr("the TLS handshake failed", vi: "bắt tay TLS thất bại")
        }
        return text
    }

    /// Says why the server could not be reached; the exit code for a connection failure.
    static func cannotTalk(_ settings: Settings, _ error: any Error) -> Int32 {
        Terminal.error(
            tr(
                "caseline: cannot talk to \(settings.server): ",
                vi: "caseline: không liên lạc được với \(settings.server): ")
                + why(error))
        return 3
    }

    /// Connects with the trust the settings ask for; a self-signed server goes through trust on first use.
    static func connect(_ settings: Settings, _ body: (ClientConnection) async throws -> Int32) async throws -> Int32 {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let cert = settings.cert, let key = settings.key {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        }
        let timeout = TimeAmount.seconds(Int64(settings.connectTimeout))
        if settings.insecure {
            Terminal.error(
                tr(
                    "caseline: WARNING: --insecure: the server's certificate is NOT checked; anyone on the path can read and change this session",
                    vi:
                        "caseline: CẢNH BÁO: --insecure: chứng chỉ của máy chủ KHÔNG được kiểm tra; bất kỳ ai trên đường truyền đều có thể đọc và sửa phiên này"
                )
            )
            tls.certificateVerification = .none
            return try await attempt(settings, tls, timeout: timeout, pin: nil, body)
        }
        if let ca = settings.ca {
            guard FileManager.default.isReadableFile(atPath: ca) else {
                throw ClientFailure.usage(tr("cannot read --ca \(ca)", vi: "không đọc được --ca \(ca)"))
            }
            tls.trustRoots = .file(ca)
            tls.certificateVerification = .noHostnameVerification
            do {
                return try await attempt(settings, tls, timeout: timeout, pin: nil, body)
            } catch is NIOSSLError {
                throw ClientFailure.connection(
                    tr(
                        "the TLS handshake with \(settings.server) failed: its certificate is not the one in, or signed by, \(ca)",
                        vi:
                            "bắt tay TLS với \(settings.server) thất bại: chứng chỉ của nó không phải chứng chỉ trong \(ca), cũng không do nó ký"
                    )
                )
            }
        }
        // The system's roots first; if they do not vouch for the server, fall back to its remembered fingerprint.
        let known = settings.knownServers
        let server = settings.server
        let pin = CertificatePin { known.check(server: server, fingerprint: $0) == .known }
        var pinned = tls
        // Verification must be on for the custom callback to run; the callback then replaces the chain check.
        pinned.certificateVerification = .noHostnameVerification
        do {
            return try await attempt(settings, tls, timeout: timeout, pin: nil, body)
        } catch let error as NIOSSLError {
            _ = error
        }
        do {
            return try await attempt(settings, pinned, timeout: timeout, pin: pin, body)
        } catch let error as NIOSSLError {
            guard let seen = pin.fingerprint else { throw error }
            switch known.check(server: server, fingerprint: seen) {
            case .known:
                throw error
            case .changed(let expected):
                throw ClientFailure.connection(
                    tr(
                        """
                        the certificate of \(server) has CHANGED.
                          remembered: \(KnownServers.display(expected))
                          offered:    \(KnownServers.display(seen))
                        Either the server was given a new certificate, or someone is intercepting the connection.
                        Ask the server's administrator for its fingerprint (caseline-server prints it at start). If the
                        change is genuine, remove the line for \(server) from \(known.file.path) and connect again.
                        """,
                        vi: """
                            chứng chỉ của \(server) đã THAY ĐỔI.
                              đã ghi nhớ: \(KnownServers.display(expected))
                              nay đưa ra: \(KnownServers.display(seen))
                            Hoặc máy chủ đã được cấp chứng chỉ mới, hoặc có kẻ đang chặn kết nối.
                            Hãy hỏi quản trị viên máy chủ dấu vân tay của nó (caseline-server in ra khi khởi động). Nếu
                            thay đổi là thật, hãy xóa dòng của \(server) trong \(known.file.path) rồi kết nối lại.
                            """))
            case .unknown:
                guard Terminal.inputIsTerminal else {
                    throw ClientFailure.connection(
                        tr(
                            "\(server) has a certificate no authority vouches for (SHA-256 \(KnownServers.display(seen))); run caseline on a terminal once to check and remember it, or pass --ca FILE",
                            vi:
                                "chứng chỉ của \(server) không được tổ chức nào bảo chứng (SHA-256 \(KnownServers.display(seen))); hãy chạy caseline trên một terminal một lần để kiểm tra và ghi nhớ nó, hoặc dùng --ca TỆP"
                        )
                    )
                }
                Terminal.error(
                    tr(
                        "The server \(server) presents a certificate that no authority vouches for.\n  SHA-256 fingerprint: \(KnownServers.display(seen))\nCompare it with the fingerprint the server's administrator gave you.",
                        vi:
                            "Máy chủ \(server) đưa ra một chứng chỉ không được tổ chức nào bảo chứng.\n  Dấu vân tay SHA-256: \(KnownServers.display(seen))\nHãy so với dấu vân tay do quản trị viên máy chủ cung cấp."
                    )
                )
                guard
                    Terminal.confirm(tr("Trust this server and remember it?", vi: "Tin cậy máy chủ này và ghi nhớ nó?"))
                else {
                    throw ClientFailure.connection(
                        tr("not trusted; nothing was sent", vi: "không tin cậy; chưa gửi gì"))
                }
                try known.remember(server: server, fingerprint: seen)
                return try await attempt(settings, pinned, timeout: timeout, pin: pin, body)
            }
        }
    }

    static func attempt(
        _ settings: Settings, _ tls: TLSConfiguration, timeout: TimeAmount, pin: CertificatePin?,
        _ body: (ClientConnection) async throws -> Int32
    ) async throws -> Int32 {
        var started = false
        do {
            return try await ClientConnection.connect(
                host: settings.host, port: settings.port, tls: tls, serverHostname: nil, connectTimeout: timeout,
                pin: pin
            ) { connection in
                started = true
                return try await body(connection)
            }
        } catch let error as NIOSSLError {
            throw error
        } catch {
            // Before the session began: whatever NIO says (a refused connection, an unknown host, a time-out), in
            // words. Once it began, errors are the session's (a dropped link is retried by the interactive one).
            if started || error is ClientFailure || error is ClientConnection.ByeReceived
                || error is ClientConnection.Failure
            {
                throw error
            }
            throw ClientFailure.connection(
                tr("cannot connect to \(settings.server): ", vi: "không kết nối được tới \(settings.server): ")
                    + describe(error))
        }
    }

    /// The password, asked once per run (after the server's certificate was accepted, never before) and kept
    /// for the logins a reconnecting session makes again.
    static let rememberedPassword = NIOLockedValueBox<String?>(nil)

    /// Logs in (with the token, or the password asked now) and, pipelined with the login, fetches the command
    /// table when it is needed and not cached for this server's version: one round trip for both.
    static func start(_ connection: ClientConnection, _ context: Context, needTable: Bool) async throws {
        let settings = context.settings
        let server = connection.greeting?["server"] ?? "unknown"
        if context.table == nil || context.table?.server != server {
            context.table = context.cache.load(host: settings.host, port: settings.port, server: server)
        }
        var loginTag: String?
        if connection.greeting?["auth"] == "certificate" {
            context.authenticated = true
        } else if let token = settings.token {
            loginTag = try await connection.send(Command(tag: connection.makeTag(), name: "AUTH", arguments: [token]))
        } else if let user = settings.user {
            let password =
                try settings.password ?? rememberedPassword.withLockedValue { $0 } ?? askPassword(settings, user: user)
            guard let password else {
                throw ClientFailure.authentication(
                    tr(
                        "no password for \(user): use a terminal, --askpass, --password-file, CASELINE_PASSWORD or a token",
                        vi:
                            "không có mật khẩu cho \(user): hãy dùng terminal, --askpass, --password-file, CASELINE_PASSWORD hoặc một token"
                    ))
            }
            rememberedPassword.withLockedValue { $0 = password }
            loginTag = try await connection.send(
                Command(tag: connection.makeTag(), name: "LOGIN", arguments: [user, password]))
        }
        let helpTag = needTable && context.table == nil ? try await connection.send(line: "HELP params=yes") : nil
        if let loginTag {
            let result = try await connection.read(tag: loginTag)
            guard result.completion.status == .ok else {
                throw ClientFailure.authentication(
                    "\(result.completion.code.map { "[\($0)] " } ?? "")\(result.completion.text)")
            }
            context.authenticated = true
            if result.records.first?["must-change-password"] == "yes" {
                Terminal.error(
                    tr(
                        "caseline: your password is one-time: change it with \\password (or PASSWORD old new)",
                        vi:
                            "caseline: mật khẩu của bạn chỉ dùng một lần: hãy đổi bằng \\password (hoặc PASSWORD cũ mới)"
                    ))
            }
        }
        if let helpTag { context.learn(try await connection.read(tag: helpTag), server: server) }
    }

    /// The command table fetched again (a cached one did not know a command: the server changed under the
    /// same version).
    static func refreshTable(_ connection: ClientConnection, _ context: Context) async throws {
        context.learn(
            try await connection.request("HELP params=yes"), server: connection.greeting?["server"] ?? "unknown")
    }

    /// The password from the askpass program, or typed without echo on a terminal; nil when neither can ask.
    static func askPassword(_ settings: Settings, user: String) throws -> String? {
        let prompt = tr("Password for \(user)@\(settings.server): ", vi: "Mật khẩu của \(user)@\(settings.server): ")
        if let program = settings.askpass { return try Askpass.ask(program, prompt: prompt) }
        return Terminal.inputIsTerminal ? Terminal.secret(prompt: prompt) : nil
    }

    static func oneShot(_ connection: ClientConnection, _ context: Context, _ words: [String]) async throws -> Int32 {
        if let first = words.first, FriendlyVerbs.isFriendly(first) {
            return try await FriendlyVerbs.run(words, connection, context)
        }
        if context.table?.resolve(words) == nil { try await refreshTable(connection, context) }
        guard let table = context.table else {
            throw ClientFailure.connection(
                tr("the server did not describe its commands", vi: "máy chủ không mô tả các lệnh của nó"))
        }
        switch CommandWords.command(words, tag: connection.makeTag(), table: table) {
        case .failure(let failure): throw ClientFailure.usage(failure.description)
        case .success(let command): return show(try await execute(connection, context, .command(command)), context)
        }
    }

    /// Runs lines one after another, each as it would run at the prompt (daily verbs, protocol commands,
    /// backslash commands); stops at the first NO or BAD unless told to go on. Errors name the file and line.
    static func batch(
        _ connection: ClientConnection, _ context: Context, lines: [String], source: String
    ) async throws -> Int32 {
        var worst: Int32 = 0
        for (number, line) in lines.enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            let previous = context.place
            context.place = "\(source):\(number + 1)"
            defer { context.place = previous }
            let code: Int32
            do {
                code = try await runLine(text, connection, context, interactive: false)
            } catch let failure as ClientFailure where failure.exitCode == 2 {
                Terminal.error("\(context.place ?? source): \(failure.message)")
                code = 2
            }
            if code == quitCode { return worst }
            worst = max(worst, code)
            if code != 0 && !context.settings.continueOnError { return code }
        }
        return worst
    }

    /// `\q` in a file or at the prompt: stop without an error.
    static let quitCode: Int32 = -1

    /// One line, typed or read from a file: a backslash command, a daily verb or a protocol command.
    static func runLine(
        _ line: String, _ connection: ClientConnection, _ context: Context, interactive: Bool
    ) async throws -> Int32 {
        if line.hasPrefix("\\") {
            return try await MetaCommands.run(line, connection, context, interactive: interactive)
        }
        let words = Words.split(line)
        guard let first = words.first else { return 0 }
        if first == "watch" {
            guard interactive else {
                throw ClientFailure.usage(
                    tr(
                        "watch runs on its own (caseline watch …), or as \\watch in a session",
                        vi: "watch chạy riêng (caseline watch …), hoặc \\watch trong một phiên"))
            }
            return try await MetaCommands.run("\\" + line, connection, context, interactive: true)
        }
        if FriendlyVerbs.isFriendly(first) { return try await FriendlyVerbs.run(words, connection, context) }
        if line.uppercased() == "LOGOUT" && interactive {
            _ = try? await connection.request("LOGOUT")
            return quitCode
        }
        if interactive, ["WATCH", "UNWATCH"].contains(first.uppercased()) {
            let result = try await connection.request(line)
            Interactive.show(result, context)
            return result.completion.status == .ok ? 0 : 1
        }
        return show(try await execute(connection, context, .line(line)), context)
    }

    enum Request {
        case line(String)
        case command(Command)
    }

    /// Sends a request and reads its answer; a list asked for without `limit=` or `offset=` is read to its end,
    /// page after page (the server sends at most 1000 records at a time), and a list cut short by a `limit=`
    /// says so: truncation never passes silently.
    static func execute(_ connection: ClientConnection, _ context: Context, _ request: Request) async throws
        -> ClientConnection.Result
    {
        let started = ContinuousClock.now
        defer {
            if context.timing {
                let elapsed = ContinuousClock.now - started
                let milliseconds =
                    Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
                Terminal.error(tr("Time: ", vi: "Thời gian: ") + String(format: "%.3f ms", milliseconds))
            }
        }
        let entry: ServerCommands.Entry?
        let given: Set<String>
        switch request {
        case .line(let line):
            entry = context.table?.resolve(ServerCommands.leadingWords(line))?.entry
            given = Set(
                Words.split(line).compactMap { word in word.firstIndex(of: "=").map { word[..<$0].lowercased() } })
        case .command(let command):
            entry = context.table?[command.name]
            given = Set(command.options.keys)
        }
        let pages = entry?.option("limit") != nil && !given.contains("limit") && !given.contains("offset")
        func send(offset: Int?) async throws -> String {
            switch request {
            case .line(let line):
                return try await connection.send(
                    line: line + (pages ? " limit=\(pageSize)" + (offset.map { " offset=\($0)" } ?? "") : ""))
            case .command(var command):
                command.tag = connection.makeTag()
                if pages {
                    command.options["limit"] = String(pageSize)
                    if let offset { command.options["offset"] = String(offset) }
                }
                return try await connection.send(command)
            }
        }
        var result = try await connection.read(tag: try await send(offset: nil))
        guard result.completion.status == .ok, let shown = result.records.last(where: { $0.type == "PAGE" }) else {
            return result
        }
        func number(_ key: String, _ record: Record) -> Int? { record[key].flatMap { Int($0) } }
        var rounds = 1
        var end = (number("offset", shown) ?? 0) + (number("returned", shown) ?? 0)
        var total = number("total", shown) ?? 0
        // The pages after the first are asked for together, a batch at a time (pipelined: one round trip per
        // batch, not per page, on a slow link), until the total the server reports is reached.
        while pages && end < total {
            guard rounds < maximumPages else {
                Terminal.error(
                    tr(
                        "caseline: stopped after \(end) of \(total) records (\(maximumPages) pages); narrow the list with filters, or page it with limit= and offset=",
                        vi:
                            "caseline: dừng sau \(end) trên \(total) bản ghi (\(maximumPages) trang); hãy lọc bớt, hoặc dùng limit= và offset="
                    ))
                break
            }
            let count = min((total - end + pageSize - 1) / pageSize, 16, maximumPages - rounds)
            var tags: [String] = []
            for index in 0..<count { tags.append(try await send(offset: end + index * pageSize)) }
            var failed: ClientConnection.Result?
            var progressed = false
            for tag in tags {
                let next = try await connection.read(tag: tag)
                guard failed == nil else { continue }
                guard next.completion.status == .ok else {
                    failed = next
                    continue
                }
                result.records.removeAll { $0.type == "PAGE" }
                result.records += next.records
                result.others += next.others
                result.completion = next.completion
                rounds += 1
                if let page = next.records.last(where: { $0.type == "PAGE" }), let returned = number("returned", page),
                    returned > 0
                {
                    end = (number("offset", page) ?? end) + returned
                    total = number("total", page) ?? total
                    progressed = true
                }
            }
            if let failed { return failed }
            if !progressed { break }
        }
        if !pages, let offset = number("offset", shown), let returned = number("returned", shown),
            let total = number("total", shown), offset + returned < total
        {
            Terminal.error(
                tr(
                    "caseline: records \(offset + 1)–\(offset + returned) of \(total) shown; ask with offset=\(offset + returned) for the next ones",
                    vi:
                        "caseline: đã hiện bản ghi \(offset + 1)–\(offset + returned) trên \(total); hỏi với offset=\(offset + returned) để xem tiếp"
                ))
        }
        if rounds > 1 {
            let count = result.records.filter { $0.type != "PAGE" && $0.type == result.records.first?.type }.count
            result.completion.text = tr(
                "\(count) records, in \(rounds) pages", vi: "\(count) bản ghi, trong \(rounds) trang")
        }
        return result
    }

    /// At most this many pages of `pageSize` are read for one list (the server's largest `limit=`).
    static let maximumPages = 100
    static let pageSize = 1000

    /// Prints an answer and returns its exit code: 0 OK, 1 NO, 2 BAD.
    @discardableResult
    static func show(_ result: ClientConnection.Result, _ context: Context) -> Int32 {
        let format = context.format
        let records = result.records.filter { $0.type != "PAGE" }
        Completion.remember(records)
        if !records.isEmpty { context.lastAnswer = records }
        if let path = context.settings.html, !records.isEmpty {
            context.pageAnswers.append(records)
            do {
                try ReportPage.write(context.pageAnswers, localiser: context.localiser, to: path)
                Terminal.error(tr("Saved to \(path).", vi: "Đã lưu vào \(path)."))
            } catch {
                Terminal.error(tr("caseline: cannot write \(path)", vi: "caseline: không ghi được \(path)"))
                return 2
            }
        } else if !records.isEmpty {
            var text =
                format == .table && HelpView.applies(records)
                ? HelpView.render(records, context.renderOptions) : format.render(records, context.renderOptions)
            if format == .csv && context.settings.bom && !context.wroteBOM {
                text = "\u{FEFF}" + text
                context.wroteBOM = true
            }
            context.output.emit(text, format: format)
        }
        for other in result.others {
            if case .bye = other { Terminal.error("* BYE " + said(other)) }
        }
        let completion = result.completion
        let code =
            completion.code.map { "[\($0)\(completion.details.map { " \($0.key)=\($0.value)" }.joined())] " } ?? ""
        let place = context.place.map { "\($0): " } ?? ""
        switch completion.status {
        case .ok:
            if format == .table && !completion.text.isEmpty {
                Terminal.error(Terminal.paint("OK", .green, onError: true) + " \(code)\(completion.text)")
            }
            if format == .raw { context.output.emit("OK \(code)\(completion.text)\n", format: format) }
            return 0
        case .no:
            Terminal.error(place + Terminal.paint("NO \(code)", .red, onError: true) + completion.text)
            if completion.code == "AUTH-REQUIRED" && !context.authenticated {
                Terminal.error(
                    tr(
                        "caseline: this needs a login: give --user NAME (or set user = NAME in \(context.settings.paths.configFile.path)), or an API token",
                        vi:
                            "caseline: lệnh này cần đăng nhập: hãy dùng --user TÊN (hoặc đặt user = TÊN trong \(context.settings.paths.configFile.path)), hoặc một token API"
                    ))
                return 4
            }
            return 1
        case .bad:
            Terminal.error(place + Terminal.paint("BAD \(code)", .red, onError: true) + completion.text)
            return 2
        }
    }
}

/// What one run of the client keeps between commands: its settings, the server's command table, and the
/// choices made with backslash commands. Used by the session's task only.
final class Context {
    var settings: Settings
    var format: OutputFormat
    var expanded: OutputFormat.Expanded
    var timing = false
    var authenticated = false
    var table: ServerCommands?
    /// `file:line` of the line being run from a file, for messages.
    var place: String?
    var wroteBOM = false
    /// The records of the last answer shown (`\\html FILE` saves them).
    var lastAnswer: [Record] = []
    /// With `--html FILE`: every answer of the run so far, rewritten to the page after each.
    var pageAnswers: [[Record]] = []
    let output = Output()
    /// The watches to re-arm after a reconnection and the last event shown.
    let memory = Interactive.Memory()
    let cache: CommandCache
    let localiser: Localiser

    init(settings: Settings) {
        self.settings = settings
        format = settings.format
        expanded = settings.expanded
        output.pagerAllowed = settings.pager
        cache = CommandCache(directory: settings.paths.cacheHome.appendingPathComponent("caseline/commands"))
        localiser = Localiser(
            vietnamese: Language.current == .vi, zone: Localiser.zone(environment: ProcessInfo.processInfo.environment))
    }

    var renderOptions: OutputFormat.Options {
        OutputFormat.Options(
            width: output.file == nil ? Terminal.size?.columns : nil, expanded: expanded, localiser: localiser,
            unicode: OutputFormat.Options.unicode(environment: ProcessInfo.processInfo.environment))
    }

    /// Takes a `HELP params=yes` answer as the command table and caches it for this server and version.
    func learn(_ answer: ClientConnection.Result, server: String) {
        guard answer.completion.status == .ok, let table = try? ServerCommands(records: answer.records, server: server)
        else { return }
        self.table = table
        try? cache.store(table, host: settings.host, port: settings.port)
    }
}

/// A line split into words as a shell would for the daily verbs: spaces separate, double quotes group (with
/// `\"` and `\\` inside), the quotes themselves are dropped.
enum Words {
    static func split(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quoted = false
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if quoted {
                if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    quoted = false
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                quoted = true
                inWord = true
            } else if character == " " || character == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
