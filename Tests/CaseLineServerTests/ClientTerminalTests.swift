import CaseLineClient
import CaseLineProtocol
import Foundation
import NIOCore
import NIOPosix
import Testing

/// A tmux server of a test's own (`-L`), so that none outlives the test, with waits on what the screen shows
/// instead of fixed sleeps.
struct Tmux {
    let name = "caseline-\(UUID().uuidString.prefix(8))"

    @discardableResult
    func run(_ arguments: [String]) async throws -> String {
        try await Peers.run("tmux", ["-u", "-L", name] + arguments, timeout: 10).stdout
    }

    func start(_ command: String, columns: Int = 160, rows: Int = 40) async throws {
        try await run(["new-session", "-d", "-s", name, "-x", "\(columns)", "-y", "\(rows)", command])
    }

    func screen() async throws -> String { try await run(["capture-pane", "-t", name, "-p"]) }

    /// The screen once `condition` holds, or as it is after `seconds`.
    func screen(within seconds: Double = 10, until condition: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var shown = try await screen()
        while !condition(shown) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            shown = try await screen()
        }
        return shown
    }

    func screen(until text: String, within seconds: Double = 10) async throws -> String {
        try await screen(within: seconds) { $0.contains(text) }
    }

    func type(_ keys: String...) async throws { try await run(["send-keys", "-t", name] + keys) }

    /// Runs `body`, then kills the tmux server whatever happened.
    func session<T>(_ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            _ = try? await run(["kill-server"])
            return result
        } catch {
            _ = try? await run(["kill-server"])
            throw error
        }
    }
}

/// A TCP relay on 127.0.0.1 that holds back everything, in each direction, for `delay`: a weak link.
final class DelayingProxy: Sendable {
    let port: Int
    private let channel: any Channel

    private init(port: Int, channel: any Channel) {
        self.port = port
        self.channel = channel
    }

    final class Relay: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let peer: EventLoopFuture<any Channel>
        let delay: TimeAmount

        init(peer: EventLoopFuture<any Channel>, delay: TimeAmount) {
            self.peer = peer
            self.delay = delay
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = Self.unwrapInboundIn(data)
            let peer = self.peer
            context.eventLoop.scheduleTask(in: delay) { peer.whenSuccess { $0.writeAndFlush(buffer, promise: nil) } }
        }

        func channelInactive(context: ChannelHandlerContext) {
            let peer = self.peer
            context.eventLoop.scheduleTask(in: delay) { peer.whenSuccess { $0.close(promise: nil) } }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
    }

    static func start(to target: Int, delay: TimeAmount) async throws -> DelayingProxy {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { inbound in
                let outbound = ClientBootstrap(group: inbound.eventLoop)
                    .channelInitializer { out in
                        out.eventLoop.makeCompletedFuture {
                            try out.pipeline.syncOperations.addHandler(
                                Relay(peer: inbound.eventLoop.makeSucceededFuture(inbound), delay: delay))
                        }
                    }
                    .connect(host: "127.0.0.1", port: target)
                outbound.whenFailure { _ in inbound.close(promise: nil) }
                return inbound.eventLoop.makeCompletedFuture {
                    try inbound.pipeline.syncOperations.addHandler(Relay(peer: outbound, delay: delay))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return DelayingProxy(port: channel.localAddress?.port ?? 0, channel: channel)
    }

    func stop() async { try? await channel.close() }
}

extension ServerSuites {
    /// `caseline` on a terminal, typed through tmux at the sizes and in the conditions staff work in (issue 17:
    /// points 1, 3, 5, 7 and 10).
    @Suite("caseline on a terminal", .timeLimit(.minutes(3)))
    struct ClientTerminalTests {
        typealias Client = ClientTests

        static func command(
            _ server: TestServer, port: Int? = nil, environment: String, arguments: String = "--user minh"
        ) -> String {
            "env \(environment) NO_COLOR=1 \(Client.executable) --port \(port ?? server.port) \(arguments)"
        }

        static func privateDirectories(_ home: URL) -> String {
            "XDG_CONFIG_HOME=\(home.path) XDG_STATE_HOME=\(home.path) XDG_CACHE_HOME=\(home.path)/cache"
        }

        /// Point 1: a wide answer fits 100 columns (low-value columns dropped, text cut with an ellipsis), a row
        /// that cannot fit is shown one field a line, and HELP goes through the pager instead of scrolling away.
        @Test func tablesFitTheTerminalAndLongOutputIsPaged() async throws {
            try await TestServer.run { server in
                let title = "Hỗ trợ sửa chữa nhà ở cho hộ ông Hoàng Văn Minh, thôn Nà Hin, sau trận lũ tháng 9"
                let id = try await ClientDailyUseTests.submittedCase(server, title: title)
                let other = try await ClientDailyUseTests.submittedCase(server, title: "Lớp may", organise: false)
                let home = try Client.home()
                defer { try? FileManager.default.removeItem(at: home) }
                let tmux = Tmux()
                try await tmux.session {
                    try await tmux.start(
                        Self.command(
                            server,
                            environment:
                                "-u PAGER \(Self.privateDirectories(home)) CASELINE_PASSWORD='\(TestServer.password)'",
                            arguments: "--ca \(server.certificateFile) --user chutich"), columns: 100, rows: 30)
                    #expect(try await tmux.screen(until: "caseline chutich@").contains("Connected to"))
                    try await tmux.type("CASE LIST", "Enter")
                    let listed = try await tmux.screen(until: "columns hidden")
                    let row = listed.split(separator: "\n").first { $0.hasPrefix(id + " ") }.map(String.init) ?? ""
                    #expect(row.contains("…") && row.contains("submitted"), "one line per row: \(listed)")
                    #expect(listed.contains("ID") && !listed.contains("CREATED-AT"), "\(listed)")
                    #expect(listed.contains(other + " "))
                    // One record wider than the terminal is shown expanded, title whole.
                    try await tmux.type("C-l")
                    try await tmux.type("CASE SHOW \(id)", "Enter")
                    let shown = try await tmux.screen(until: "-[ CASE 1 ]")
                    #expect(shown.contains("title") && shown.contains("Nà Hin"), "\(shown)")
                    try await tmux.type("\\x on", "Enter")
                    try await tmux.type("pending", "Enter")
                    #expect(try await tmux.screen(until: "-[ PENDING 1 ]").contains("-[ PENDING 1 ]"))
                    // HELP's long list opens in less: the prompt is not on the screen until q.
                    try await tmux.type("HELP", "Enter")
                    let paged = try await tmux.screen { $0.split(separator: "\n").last?.hasPrefix(":") == true }
                    #expect(paged.split(separator: "\n").last?.hasPrefix(":") == true, "\(paged)")
                    #expect(paged.contains("LOGIN <user> <password>"), "commands by group, syntax whole: \(paged)")
                    try await tmux.type("q")
                    let back = try await tmux.screen {
                        $0.split(separator: "\n").last?.hasPrefix("caseline chutich@") == true
                    }
                    #expect(back.split(separator: "\n").last?.hasPrefix("caseline chutich@") == true, "\(back)")
                    try await tmux.type("\\q", "Enter")
                }
            }
        }

        /// Point 3: through a link that delays each direction by 200 ms, the prompt comes after the login alone,
        /// not after a HELP per command (64 round trips, 26 s here); the table arrives in the background and is
        /// cached for the next start.
        @Test func theFirstPromptComesAtOnceThroughASlowLink() async throws {
            try await TestServer.run { server in
                let proxy = try await DelayingProxy.start(to: server.port, delay: .milliseconds(200))
                let home = try Client.home()
                defer { try? FileManager.default.removeItem(at: home) }
                let environment = "\(Self.privateDirectories(home)) CASELINE_PASSWORD='\(TestServer.password)'"
                let arguments = "--ca \(server.certificateFile) --user minh"
                let tmux = Tmux()
                try await tmux.session {
                    let started = ContinuousClock.now
                    try await tmux.start(
                        Self.command(server, port: proxy.port, environment: environment, arguments: arguments))
                    let prompt = try await tmux.screen(until: "caseline minh@", within: 20)
                    let waited = ContinuousClock.now - started
                    #expect(prompt.contains("caseline minh@"))
                    #expect(waited < .seconds(6), "the prompt took \(waited)")
                    // Completion works once the table has come in the background.
                    let cache = home.appendingPathComponent("cache/caseline/commands")
                    for _ in 0..<50
                    where ((try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []).isEmpty {
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).count == 1)
                    try await tmux.type("TAS", "Tab")
                    try await tmux.type("L", "Tab")
                    #expect(try await tmux.screen(until: "TASK LIST").contains("TASK LIST"))
                    try await tmux.type("C-u", "\\q", "Enter")
                    try await Task.sleep(for: .milliseconds(500))
                }
                // One-shot: one round trip for the login and the table together, then the command.
                let oneShotStart = ContinuousClock.now
                let ping = try await Peers.run(
                    Client.executable,
                    ["--port", "\(proxy.port)", "--ca", server.certificateFile, "--user", "minh", "PING"],
                    environment: [
                        "XDG_CONFIG_HOME": home.path, "XDG_STATE_HOME": home.path,
                        "XDG_CACHE_HOME": home.appendingPathComponent("fresh-cache").path,
                        "CASELINE_PASSWORD": TestServer.password,
                    ])
                let oneShot = ContinuousClock.now - oneShotStart
                #expect(ping.status == 0, "\(ping.stderr)")
                #expect(oneShot < .seconds(4), "a one-shot command took \(oneShot)")
                await proxy.stop()
            }
        }

        /// Points 5 and 7: files go under $HOME when no XDG variable is set, and the server's certificate is
        /// checked (and trusted on first use) before the password is asked; a changed one is refused first.
        @Test func homeIsFollowedAndTrustComesBeforeThePassword() async throws {
            try await TestServer.run { server in
                let home = try Client.home()
                defer { try? FileManager.default.removeItem(at: home) }
                let environment =
                    "-u XDG_CONFIG_HOME -u XDG_STATE_HOME -u XDG_CACHE_HOME -u CASELINE_PASSWORD HOME=\(home.path)"
                let tmux = Tmux()
                try await tmux.session {
                    try await tmux.start(Self.command(server, environment: environment))
                    let asked = try await tmux.screen(until: "Trust this server")
                    #expect(asked.contains("SHA-256 fingerprint"))
                    #expect(!asked.contains("Password"), "the password was asked before the certificate: \(asked)")
                    try await tmux.type("y", "Enter")
                    #expect(try await tmux.screen(until: "Password for minh@").contains("Password for minh@"))
                    try await tmux.type(TestServer.password, "Enter")
                    #expect(try await tmux.screen(until: "caseline minh@").contains("Connected to"))
                    try await tmux.type("PING nhà", "Enter")
                    #expect(try await tmux.screen(until: "OK pong").contains("nhà"))
                    try await tmux.type("\\q", "Enter")
                    try await Task.sleep(for: .milliseconds(500))
                }
                let known = home.appendingPathComponent(".config/caseline/known_servers")
                #expect(try String(contentsOf: known, encoding: .utf8).contains("127.0.0.1:\(server.port) "))
                let history = try String(
                    contentsOf: home.appendingPathComponent(".local/state/caseline/history"), encoding: .utf8)
                #expect(history.contains("PING"))
                #expect(
                    FileManager.default.fileExists(atPath: home.appendingPathComponent(".cache/caseline/commands").path)
                )
                // The certificate changes: refused before anything is asked.
                try "127.0.0.1:\(server.port) \(String(repeating: "ab", count: 32))\n".write(
                    to: known, atomically: true, encoding: .utf8)
                let again = Tmux()
                try await again.session {
                    try await again.start(Self.command(server, environment: environment) + "; sleep 5")
                    let refused = try await again.screen(until: "CHANGED")
                    #expect(refused.contains("CHANGED") && !refused.contains("Password"), "\(refused)")
                }
            }
        }

        /// Point 10: psql's conveniences in the session, and secrets kept off the screen and out of the history.
        @Test func psqlConveniencesInTheSession() async throws {
            try await TestServer.run { server in
                let home = try Client.home()
                defer { try? FileManager.default.removeItem(at: home) }
                let output = home.appendingPathComponent("units.txt")
                let script = home.appendingPathComponent("script.clp")
                try "PING từ-tệp\n".write(to: script, atomically: true, encoding: .utf8)
                let tmux = Tmux()
                try await tmux.session {
                    try await tmux.start(
                        Self.command(
                            server,
                            environment: "\(Self.privateDirectories(home)) CASELINE_PASSWORD='\(TestServer.password)'",
                            arguments: "--ca \(server.certificateFile) --user minh"))
                    #expect(try await tmux.screen(until: "caseline minh@").contains("Connected to"))
                    try await tmux.type("\\timing", "Enter")
                    try await tmux.type("PING", "Enter")
                    #expect(try await tmux.screen(until: "Time: ").contains(" ms"))
                    try await tmux.type("\\timing off", "Enter")
                    try await tmux.type("\\o \(output.path)", "Enter")
                    try await tmux.type("UNIT SEARCH \"bach thong\" edition=2025", "Enter")
                    try await tmux.type("\\o", "Enter")
                    try await tmux.type("\\i \(script.path)", "Enter")
                    let ran = try await tmux.screen(until: "từ-tệp")
                    #expect(!ran.contains("Xã Bạch Thông"), "\\o sent it to the file: \(ran)")
                    #expect(try String(contentsOf: output, encoding: .utf8).contains("Xã Bạch Thông"))
                    // \password asks without echo; PASSWORD typed in clear is wiped from the screen.
                    try await tmux.type("\\password", "Enter")
                    _ = try await tmux.screen(until: "Current password:")
                    try await tmux.type("bi-mat-cu", "Enter")
                    _ = try await tmux.screen(until: "New password:")
                    try await tmux.type("bi-mat-moi-dai", "Enter")
                    _ = try await tmux.screen(until: "New password again:")
                    try await tmux.type("bi-mat-moi-dai", "Enter")
                    #expect(try await tmux.screen(until: "AUTH-FAILED").contains("NO [AUTH-FAILED]"))
                    try await tmux.type("PASSWORD bi-mat-cu bi-mat-khac-dai", "Enter")
                    let wiped = try await tmux.screen { $0.components(separatedBy: "AUTH-FAILED").count == 3 }
                    #expect(!wiped.contains("bi-mat"), "a password stayed on the screen: \(wiped)")
                    try await tmux.type("mat-khau-go-nham", "Enter")
                    _ = try await tmux.screen(until: "UNKNOWN-COMMAND")
                    try await tmux.type("\\nope", "Enter")
                    #expect(try await tmux.screen(until: "unknown command \\nope").contains("\\? lists them"))
                    // `watch mine` is the session's \watch, not a WATCH with a stray word.
                    try await tmux.type("watch mine", "Enter")
                    #expect(try await tmux.screen(until: "OK watching W1").contains("OK watching W1"))
                    // History: the same line twice is kept once; Ctrl-R finds it and one Enter runs it.
                    try await tmux.type("PING hai-lan", "Enter")
                    try await tmux.type("PING hai-lan", "Enter")
                    try await tmux.type("C-l")
                    _ = try await tmux.screen { !$0.contains("hai-lan") }
                    try await tmux.type("C-r")
                    try await tmux.type("hai-la")
                    _ = try await tmux.screen(until: "hai-la")
                    try await tmux.type("Enter")
                    let searched = try await tmux.screen(until: "OK pong")
                    #expect(searched.contains("OK pong"), "one Enter ran the line found: \(searched)")
                    try await tmux.type("\\q", "Enter")
                    try await Task.sleep(for: .milliseconds(500))
                }
                let history = try String(
                    contentsOf: home.appendingPathComponent("caseline/history"), encoding: .utf8)
                #expect(!history.contains("bi-mat") && !history.contains("mat-khau"), "a secret reached the history")
                #expect(history.contains("timing"))
                #expect(history.components(separatedBy: "hai-lan").count == 2, "\(history)")
            }
        }
    }
}
