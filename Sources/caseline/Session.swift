import CaseLineClient
import CaseLineProtocol
import Foundation
import NIOCore
import NIOSSL

/// One connection's life: trust the server, authenticate, then run the command(s) in the chosen mode.
enum Session {
    static func run(settings: Settings, words: [String]) async -> Int32 {
        if words.first == "watch" { return await WatchVerb.run(settings: settings, words: words) }
        if words.isEmpty, settings.file == nil, Terminal.inputIsTerminal { return await Interactive.run(settings) }
        do {
            return try await connect(settings) { connection in
                try await authenticate(connection, settings)
                if !words.isEmpty { return try await oneShot(connection, settings, words) }
                if let file = settings.file {
                    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                        throw ClientFailure.usage(tr("cannot read \(file)", vi: "không đọc được \(file)"))
                    }
                    return try await batch(connection, settings, lines: text.split(separator: "\n").map(String.init))
                }
                var lines: [String] = []
                while let line = readLine(strippingNewline: true) { lines.append(line) }
                return try await batch(connection, settings, lines: lines)
            }
        } catch let failure as ClientFailure {
            failure.report()
            return failure.exitCode
        } catch let bye as ClientConnection.ByeReceived {
            if case .bye(let code, _, let text) = bye.response {
                Terminal.error(
                    tr("caseline: the server closed the session: ", vi: "caseline: máy chủ đã đóng phiên: ")
                        + "\(code.map { "[\($0)] " } ?? "")\(text)")
            }
            return 3
        } catch {
            return cannotTalk(settings, error)
        }
    }

    /// Says why the server could not be reached; the exit code for a connection failure.
    static func cannotTalk(_ settings: Settings, _ error: any Error) -> Int32 {
        Terminal.error(
            tr(
                "caseline: cannot talk to \(settings.server): ",
                vi: "caseline: không liên lạc được với \(settings.server): ")
                + "\(error)")
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
        do {
            return try await ClientConnection.connect(
                host: settings.host, port: settings.port, tls: tls, serverHostname: nil, connectTimeout: timeout,
                pin: pin, body)
        } catch let error as NIOSSLError {
            throw error
        } catch let error as ChannelError {
            throw ClientFailure.connection(
                tr("cannot connect to \(settings.server): ", vi: "không kết nối được tới \(settings.server): ")
                    + "\(error)")
        } catch let error as IOError {
            throw ClientFailure.connection(
                tr("cannot connect to \(settings.server): ", vi: "không kết nối được tới \(settings.server): ")
                    + error.description)
        }
    }

    static func authenticate(_ connection: ClientConnection, _ settings: Settings) async throws {
        if connection.greeting?["auth"] == "certificate" { return }
        let result: ClientConnection.Result
        if let token = settings.token {
            result = try await connection.request(Command(tag: connection.makeTag(), name: "AUTH", arguments: [token]))
        } else if let user = settings.user {
            let password = try settings.password ?? askPassword(settings, user: user)
            guard let password else {
                throw ClientFailure.authentication(
                    tr(
                        "no password for \(user): use a terminal, --askpass, --password-file, CASELINE_PASSWORD or a token",
                        vi:
                            "không có mật khẩu cho \(user): hãy dùng terminal, --askpass, --password-file, CASELINE_PASSWORD hoặc một token"
                    ))
            }
            result = try await connection.request(
                Command(tag: connection.makeTag(), name: "LOGIN", arguments: [user, password]))
        } else {
            return  // Unauthenticated: HELP and PING still work.
        }
        guard result.completion.status == .ok else {
            throw ClientFailure.authentication(
                "\(result.completion.code.map { "[\($0)] " } ?? "")\(result.completion.text)")
        }
        if result.records.first?["must-change-password"] == "yes" {
            Terminal.error(
                tr(
                    "caseline: your password is one-time: change it with PASSWORD old new",
                    vi: "caseline: mật khẩu của bạn chỉ dùng một lần: hãy đổi bằng PASSWORD cũ mới"))
        }
    }

    /// Settings with the password asked for now, once, for a session that may log in again and again
    /// (reconnections); unchanged when a password or token is already at hand, or nobody can be asked.
    static func askingPasswordOnce(_ settings: Settings) -> Settings {
        var settings = settings
        if settings.password == nil, settings.token == nil, let user = settings.user {
            settings.password = try? askPassword(settings, user: user)
        }
        return settings
    }

    /// The password from the askpass program, or typed without echo on a terminal; nil when neither can ask.
    static func askPassword(_ settings: Settings, user: String) throws -> String? {
        let prompt = tr("Password for \(user)@\(settings.server): ", vi: "Mật khẩu của \(user)@\(settings.server): ")
        if let program = settings.askpass { return try Askpass.ask(program, prompt: prompt) }
        return Terminal.inputIsTerminal ? Terminal.secret(prompt: prompt) : nil
    }

    static func oneShot(_ connection: ClientConnection, _ settings: Settings, _ words: [String]) async throws -> Int32 {
        if let first = words.first, FriendlyVerbs.isFriendly(first) {
            return try await FriendlyVerbs.run(words, connection, settings.format)
        }
        switch CommandWords.command(words, tag: connection.makeTag(), table: CommandTable([])) {  // TEMPORARY until the client branch lands
        case .failure(let failure): throw ClientFailure.usage(failure.description)
        case .success(let command): return show(try await connection.request(command), settings.format)
        }
    }

    /// Runs lines one after another; stops at the first NO or BAD unless told to go on.
    static func batch(_ connection: ClientConnection, _ settings: Settings, lines: [String]) async throws -> Int32 {
        var worst: Int32 = 0
        for line in lines {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            let code = show(try await connection.request(text), settings.format)
            worst = max(worst, code)
            if code != 0 && !settings.continueOnError { return code }
        }
        return worst
    }

    /// Prints an answer and returns its exit code: 0 OK, 1 NO, 2 BAD.
    @discardableResult
    static func show(_ result: ClientConnection.Result, _ format: OutputFormat) -> Int32 {
        let records = result.records.filter { $0.type != "PAGE" }
        if !records.isEmpty { Terminal.out(format.render(records)) }
        for other in result.others {
            if case .bye(let code, _, let text) = other {
                Terminal.error("* BYE \(code.map { "[\($0)] " } ?? "")\(text)")
            }
        }
        let completion = result.completion
        let code =
            completion.code.map { "[\($0)\(completion.details.map { " \($0.key)=\($0.value)" }.joined())] " } ?? ""
        switch completion.status {
        case .ok:
            if format == .table && !completion.text.isEmpty {
                Terminal.error(Terminal.paint("OK", .green, onError: true) + " \(code)\(completion.text)")
            }
            if format == .raw { Terminal.out("OK \(code)\(completion.text)\n") }
            return 0
        case .no:
            Terminal.error(Terminal.paint("NO \(code)", .red, onError: true) + completion.text)
            return 1
        case .bad:
            Terminal.error(Terminal.paint("BAD \(code)", .red, onError: true) + completion.text)
            return 2
        }
    }
}
