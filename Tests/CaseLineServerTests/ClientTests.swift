import CaseLineClient
import CaseLineProtocol
import CaseLineServer
import CaseLineStore
import CaseLineStoreSQLite
import Foundation
import Testing

extension ServerSuites {
    /// The `caseline` executable as scripts and people use it, against a real server over TLS.
    @Suite("The caseline client", .timeLimit(.minutes(3)))
    struct ClientTests {
        static var executable: String {
            ServerSuites.ServerProcessTests.executable.deletingLastPathComponent().appendingPathComponent("caseline")
                .path
        }

        /// A private configuration home, so that the user's own known servers and history are never touched.
        static func home() throws -> URL {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent(
                "caseline-client-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return url
        }

        static func run(
            _ server: TestServer, _ home: URL, _ arguments: [String], input: String? = nil,
            environment: [String: String] = [:], trust: Bool = true, timeout: Double = 30
        ) async throws -> (status: Int32, stdout: String, stderr: String) {
            var base = ["--port", "\(server.port)"]
            if trust { base += ["--ca", server.certificateFile] }
            let result = try await Peers.run(
                executable, base + arguments, input: input,
                environment: ["XDG_CONFIG_HOME": home.path, "XDG_STATE_HOME": home.path, "NO_COLOR": "1"]
                    .merging(environment) { $1 }, timeout: timeout)
            return (result.status, result.stdout, result.stderr)
        }

        @Test func oneShotCommandsPrintRecordsAndSetTheExitCode() async throws {
            try await TestServer.run { server in
                let home = try Self.home()
                defer { try? FileManager.default.removeItem(at: home) }
                let password = ["CASELINE_PASSWORD": TestServer.password]
                let json = try await Self.run(
                    server, home, ["--user", "minh", "--format", "json", "PING", "Quang Thuận"], environment: password)
                #expect(json.status == 0, "\(json.stderr)")
                #expect(json.stdout.contains(#""type":"PONG""#))
                #expect(json.stdout.contains(#""text":"Quang Thuận""#), "words are quoted for the protocol")
                let refused = try await Self.run(
                    server, home, ["--user", "minh", "USER", "LIST"], environment: password)
                #expect(refused.status == 1)
                #expect(refused.stderr.contains("NO [FORBIDDEN]"))
                let malformed = try await Self.run(
                    server, home, ["--user", "minh", "TASK", "SHOW"], environment: password)
                #expect(malformed.status == 2, "\(malformed.stderr)")
                let wrong = try await Self.run(
                    server, home, ["--user", "minh", "PING"], environment: ["CASELINE_PASSWORD": "sai"])
                #expect(wrong.status == 4)
                let unknown = try await Self.run(server, home, ["--user", "minh", "FLY"], environment: password)
                #expect(unknown.status == 2)
                let table = try await Self.run(
                    server, home, ["--user", "minh", "UNIT", "SEARCH", "quang thuan"], environment: password)
                #expect(table.stdout.split(separator: "\n").first?.hasPrefix("CODE") == true)
                #expect(table.stdout.contains("Xã Quang Thuận"))
                let csv = try await Self.run(
                    server, home, ["--user", "minh", "--format", "csv", "UNIT", "SHOW", "02014"], environment: password)
                #expect(csv.stdout.contains("code,edition,ref,name"))
            }
            // Nobody listens on this port: a connection failure, exit 3.
            let home = try Self.home()
            let closed = try await Peers.run(
                Self.executable, ["--port", "1", "PING"], environment: ["XDG_CONFIG_HOME": home.path], timeout: 30)
            #expect(closed.status == 3)
        }

        @Test func aFileOfCommandsStopsAtTheFirstRefusalUnlessToldToGoOn() async throws {
            try await TestServer.run { server in
                let home = try Self.home()
                defer { try? FileManager.default.removeItem(at: home) }
                let file = home.appendingPathComponent("nightly.clp")
                try "# báo cáo đêm\nPING một\nUSER LIST\nPING hai\n".write(to: file, atomically: true, encoding: .utf8)
                let password = ["CASELINE_PASSWORD": TestServer.password]
                let stopped = try await Self.run(
                    server, home, ["--user", "minh", "--format", "raw", "-f", file.path], environment: password)
                #expect(stopped.status == 1)
                #expect(stopped.stdout.contains("một"))
                #expect(!stopped.stdout.contains("hai"))
                let onward = try await Self.run(
                    server, home, ["--user", "minh", "--format", "raw", "--continue-on-error", "-f", file.path],
                    environment: password)
                #expect(onward.status == 1)
                #expect(onward.stdout.contains("hai"))
                // The same commands through a pipe.
                let piped = try await Self.run(
                    server, home, ["--user", "minh", "--format", "raw"], input: "PING ba\n", environment: password)
                #expect(piped.stdout.contains("ba"))
            }
        }

        @Test func tokensFromAPrivateFileOnly() async throws {
            try await TestServer.run { server in
                let home = try Self.home()
                defer { try? FileManager.default.removeItem(at: home) }
                let secret = try await server.session("minh") { connection async throws in
                    try #require(try await connection.request("TOKEN CREATE script").records.first?["secret"])
                }
                let file = home.appendingPathComponent("token")
                try secret.write(to: file, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
                let open = try await Self.run(server, home, ["--token-file", file.path, "WHOAMI"])
                #expect(open.status == 2)
                #expect(open.stderr.contains("chmod 600"))
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
                let ok = try await Self.run(server, home, ["--token-file", file.path, "--format", "json", "WHOAMI"])
                #expect(ok.status == 0, "\(ok.stderr)")
                #expect(ok.stdout.contains(#""via":"token""#))
            }
        }

        /// Messages follow the locale, or --lang; protocol codes and the server's texts are never translated.
        @Test func messagesInVietnameseByLocaleOrFlag() async throws {
            try await TestServer.run { server in
                let home = try Self.home()
                defer { try? FileManager.default.removeItem(at: home) }
                let vietnamese = ["LANG": "vi_VN.UTF-8", "CASELINE_PASSWORD": TestServer.password]
                let format = try await Self.run(server, home, ["--format", "nope", "PING"], environment: vietnamese)
                #expect(format.status == 2)
                #expect(format.stderr.contains("định dạng nope không có"), "\(format.stderr)")
                let english = try await Self.run(
                    server, home, ["--lang", "en", "--format", "nope", "PING"], environment: vietnamese)
                #expect(english.stderr.contains("unknown format nope"), "\(english.stderr)")
                let usage = try await Self.run(server, home, ["--user", "minh", "case"], environment: vietnamese)
                #expect(usage.stderr.contains("case cần mã hồ sơ"), "\(usage.stderr)")
                let refused = try await Self.run(
                    server, home, ["--user", "minh", "TASK", "SHOW", "T-999"], environment: vietnamese)
                #expect(refused.status == 1)
                #expect(refused.stderr.contains("NO [NOT-FOUND]"), "codes stay as the protocol has them")
            }
        }

        @Test func anAskpassProgramGivesThePassword() async throws {
            try await TestServer.run { server in
                let home = try Self.home()
                defer { try? FileManager.default.removeItem(at: home) }
                let good = home.appendingPathComponent("askpass-good")
                try "#!/bin/sh\nprintf '%s\\n' '\(TestServer.password)'\n".write(
                    to: good, atomically: true, encoding: .utf8)
                let bad = home.appendingPathComponent("askpass-bad")
                try "#!/bin/sh\nexit 1\n".write(to: bad, atomically: true, encoding: .utf8)
                for script in [good, bad] {
                    try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: script.path)
                }
                let asked = try await Self.run(server, home, ["--user", "minh", "--askpass", good.path, "WHOAMI"])
                #expect(asked.status == 0, "\(asked.stderr)")
                #expect(asked.stdout.contains("minh"))
                let refused = try await Self.run(server, home, ["--user", "minh", "--askpass", bad.path, "WHOAMI"])
                #expect(refused.status == 4)
                #expect(refused.stderr.contains("exited with status 1"), "\(refused.stderr)")
            }
        }

        @Test func selfSignedServersAreTrustedOnFirstUseAndPinned() async throws {
            try await TestServer.run { server in
                let home = try Self.home()
                defer { try? FileManager.default.removeItem(at: home) }
                // Without a terminal to ask on, an unknown certificate is refused and nothing is sent.
                let unknown = try await Self.run(server, home, ["PING"], trust: false)
                #expect(unknown.status == 3)
                #expect(unknown.stderr.contains("no authority vouches for"))
                // Remembered (as the interactive prompt would), it is accepted.
                let pem = try String(contentsOfFile: server.certificateFile, encoding: .utf8)
                let fingerprint = try CertificateFactory.fingerprint(pem: pem)
                let known = KnownServers(file: home.appendingPathComponent("caseline/known_servers"))
                try known.remember(server: "127.0.0.1:\(server.port)", fingerprint: fingerprint)
                let trusted = try await Self.run(server, home, ["PING"], trust: false)
                #expect(trusted.status == 0, "\(trusted.stderr)")
                // A different certificate under the same name is a hard error.
                try "127.0.0.1:\(server.port) \(String(repeating: "ab", count: 32))\n".write(
                    to: known.file, atomically: true, encoding: .utf8)
                let changed = try await Self.run(server, home, ["PING"], trust: false)
                #expect(changed.status == 3)
                #expect(changed.stderr.contains("CHANGED"))
                let insecure = try await Self.run(server, home, ["--insecure", "PING"], trust: false)
                #expect(insecure.status == 0)
                #expect(insecure.stderr.contains("WARNING"))
            }
        }

        /// The interactive session typed through tmux, as a person would: line editing, tables, meta-commands,
        /// and a history file that never holds a secret.
        @Test func anInteractiveSessionInTmux() async throws {
            try await TestServer.run { server in
                let home = try Self.home()
                defer { try? FileManager.default.removeItem(at: home) }
                let name = "caseline-\(UUID().uuidString.prefix(8))"
                let command =
                    "env XDG_CONFIG_HOME=\(home.path) XDG_STATE_HOME=\(home.path) NO_COLOR=1 CASELINE_PASSWORD='\(TestServer.password)' \(Self.executable) --port \(server.port) --ca \(server.certificateFile) --user minh"
                // A tmux server of the test's own (-L), killed at the end whatever happened, so none outlives it.
                func tmux(_ arguments: [String]) async throws -> String {
                    try await Peers.run("tmux", ["-u", "-L", name] + arguments, timeout: 10).stdout
                }
                func type(_ tmux: (_ arguments: [String]) async throws -> String, _ name: String) async throws {
                    func screen(until text: String) async throws -> String {
                        for _ in 0..<50 {
                            let shown = try await tmux(["capture-pane", "-t", name, "-p"])
                            if shown.contains(text) { return shown }
                            try await Task.sleep(for: .milliseconds(100))
                        }
                        return try await tmux(["capture-pane", "-t", name, "-p"])
                    }
                    #expect(try await screen(until: "caseline minh@").contains("Connected to"))
                    _ = try await tmux(["send-keys", "-t", name, "UNIT SEARCH \"dong hoi\" edition=2025", "Enter"])
                    #expect(try await screen(until: "Phường Đồng Hới").contains("18880"))
                    // Vietnamese typed at the keyboard reaches the server intact.
                    _ = try await tmux(["send-keys", "-t", name, "UNIT SEARCH \"Bạch Thông\" edition=2025", "Enter"])
                    #expect(try await screen(until: "Xã Bạch Thông").contains("02014"))
                    // Ctrl-C clears the line being typed, and the session goes on.
                    _ = try await tmux(["send-keys", "-t", name, "UNIT SEARCH half typed"])
                    try await Task.sleep(for: .milliseconds(300))
                    _ = try await tmux(["send-keys", "-t", name, "C-c"])
                    try await Task.sleep(for: .milliseconds(300))
                    _ = try await tmux(["send-keys", "-t", name, "HELP PING", "Enter"])
                    let cleared = try await screen(until: "OK 1 command")
                    #expect(cleared.contains("> HELP PING") && !cleared.contains("half typed"), "\(cleared)")
                    _ = try await tmux(["send-keys", "-t", name, "PASSWORD bi-mat-cu bi-mat-moi-dai", "Enter"])
                    #expect(try await screen(until: "AUTH-FAILED").contains("NO [AUTH-FAILED]"))
                    // Ctrl-R searches the history backwards; one Enter runs the line found.
                    _ = try await tmux(["send-keys", "-t", name, "C-r"])
                    _ = try await tmux(["send-keys", "-t", name, "dong"])
                    try await Task.sleep(for: .milliseconds(300))
                    _ = try await tmux(["send-keys", "-t", name, "Enter"])
                    var searched = ""
                    for _ in 0..<50 {
                        searched = try await tmux(["capture-pane", "-t", name, "-p"])
                        if searched.components(separatedBy: "Phường Đồng Hới").count == 3 { break }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    #expect(searched.components(separatedBy: "Phường Đồng Hới").count == 3, "\(searched)")
                    // A live event prints above the prompt; the half-typed line survives below it.
                    _ = try await tmux(["send-keys", "-t", name, "\\watch", "Enter"])
                    #expect(try await screen(until: "OK watching W1").contains("OK watching W1"))
                    _ = try await tmux(["send-keys", "-t", name, "PIN"])
                    try await Task.sleep(for: .milliseconds(300))
                    try await EventTests.event(server.store, task: "T-77", commune: "02014", province: "19")
                    let live = try await screen(until: "task.created")
                    #expect(live.contains("task.created  province=19 commune=02014 task=T-77  (system)"), "\(live)")
                    #expect(live.contains("caseline minh@127.0.0.1> PIN"), "\(live)")
                    _ = try await tmux(["send-keys", "-t", name, "G", "Enter"])
                    #expect(try await screen(until: "OK pong").contains("> PING"))
                    _ = try await tmux(["send-keys", "-t", name, "\\format json", "Enter"])
                    _ = try await tmux(["send-keys", "-t", name, "PING", "Enter"])
                    #expect(try await screen(until: "\"type\":\"PONG\"").contains("\"type\":\"PONG\""))
                    // Tab completes verbs, subcommands and options from the server's HELP.
                    _ = try await tmux(["send-keys", "-t", name, "TAS", "Tab"])
                    try await Task.sleep(for: .milliseconds(300))
                    _ = try await tmux(["send-keys", "-t", name, "L", "Tab"])
                    try await Task.sleep(for: .milliseconds(300))
                    _ = try await tmux(["send-keys", "-t", name, "mi", "Tab"])
                    try await Task.sleep(for: .milliseconds(300))
                    _ = try await tmux(["send-keys", "-t", name, "yes", "Enter"])
                    #expect(try await screen(until: "TASK LIST mine=yes").contains("TASK LIST mine=yes"))
                    _ = try await tmux(["send-keys", "-t", name, "\\q", "Enter"])
                    try await Task.sleep(for: .milliseconds(500))
                }
                _ = try await tmux(["new-session", "-d", "-s", name, "-x", "160", "-y", "40", command])
                do {
                    try await type(tmux, name)
                } catch {
                    _ = try? await tmux(["kill-server"])
                    throw error
                }
                _ = try? await tmux(["kill-server"])
                let history = try String(contentsOf: home.appendingPathComponent("caseline/history"), encoding: .utf8)
                #expect(history.contains("UNIT"))
                #expect(!history.contains("bi-mat"), "a secret reached the history file")
            }
        }

        /// `caseline watch` prints events as they happen until it is stopped (here: killed after 8 s).
        @Test func watchPrintsEventsAsTheyHappen() async throws {
            try await TestServer.run { server in
                try await TaskTests.organise(server.store)
                let home = try Self.home()
                defer { try? FileManager.default.removeItem(at: home) }
                async let watched = Self.run(
                    server, home, ["--user", "canbo", "watch", "commune=02014"],
                    environment: ["CASELINE_PASSWORD": TestServer.password], timeout: 12)
                // Until the server counts the client's watch, however slow the machine.
                for _ in 0..<100 where try await EventTests.watchingSessions(server) < 1 {
                    try await Task.sleep(for: .milliseconds(100))
                }
                let id = try await server.session("minh") { minh async throws -> String in
                    let created = try await minh.request("TASK CREATE 02014 title=\"Theo dõi\" assignee=canbo")
                    return try #require(created.records.first?["id"])
                }
                let output = try await watched
                let line = "task.created  province=19 commune=02014 task=\(id) assignee=canbo  (minh)"
                #expect(output.stdout.contains(line), "\(output)")
                #expect(output.stdout.contains("#"))
            }
        }

        /// The interactive session outlives its server: after a restart it reconnects, logs in again, re-arms its
        /// watch from the last event it had, and shows what happened while it was away.
        @Test func theInteractiveSessionReconnectsAndMissesNoEvent() async throws {
            let path = TestServer.storeFile("reconnect")
            defer { TestServer.removeStoreFile(path) }
            let certificate = try CertificateFactory.selfSigned()
            let home = try Self.home()
            defer { try? FileManager.default.removeItem(at: home) }
            let ca = home.appendingPathComponent("ca.pem")
            try certificate.certificatePEM.write(to: ca, atomically: true, encoding: .utf8)
            let name = "caseline-\(UUID().uuidString.prefix(8))"
            @Sendable func tmux(_ arguments: [String]) async throws -> String {
                try await Peers.run("tmux", ["-u", "-L", name] + arguments, timeout: 10).stdout
            }
            @Sendable func screen(until text: String, tenths: Int = 100) async throws -> String {
                for _ in 0..<tenths {
                    let shown = try await tmux(["capture-pane", "-t", name, "-p"])
                    if shown.contains(text) { return shown }
                    try await Task.sleep(for: .milliseconds(100))
                }
                return try await tmux(["capture-pane", "-t", name, "-p"])
            }
            do {
                let port = try await TestServer.run(storePath: path, certificate: certificate) { server in
                    let command =
                        "env XDG_CONFIG_HOME=\(home.path) XDG_STATE_HOME=\(home.path) NO_COLOR=1 CASELINE_PASSWORD='\(TestServer.password)' \(Self.executable) --port \(server.port) --ca \(ca.path) --user minh"
                    _ = try await tmux(["new-session", "-d", "-s", name, "-x", "160", "-y", "40", command])
                    #expect(try await screen(until: "caseline minh@").contains("Connected to"))
                    _ = try await tmux(["send-keys", "-t", name, "\\watch commune=02014", "Enter"])
                    #expect(try await screen(until: "OK watching W1").contains("OK watching W1"))
                    return server.port
                }
                let lost = try await screen(until: "reconnecting")
                #expect(lost.contains("lost"))
                // The server's goodbye says why (issue 17, point 8), and the prompt is drawn again below it.
                #expect(lost.contains("[SHUTDOWN]"), "\(lost)")
                // While the session is away, something happens in its commune.
                let store = try SQLiteStore(path: path)
                try await EventTests.event(store, task: "T-88", commune: "02014", province: "19")
                try await store.close()
                let again = TestServer.configured { $0.listen.port = port }
                try await TestServer.run(again, storePath: path, certificate: certificate) { _ in
                    // The client waits 1, 2, 4, 8… s between attempts: under load the second server can come up
                    // just after an attempt, so allow a few of them (40 s at most).
                    let shown = try await screen(until: "task=T-88", tenths: 400)
                    #expect(shown.contains("reconnected to"), "\(shown)")
                    #expect(shown.contains("task.created  province=19 commune=02014 task=T-88"), "\(shown)")
                    let redrawn = try await screen(until: "caseline minh@127.0.0.1> \n")
                    let lines = redrawn.split(separator: "\n")
                    #expect(lines.last?.hasPrefix("caseline minh@") == true, "the prompt after the notices: \(redrawn)")
                    _ = try await tmux(["send-keys", "-t", name, "\\q", "Enter"])
                    try await Task.sleep(for: .milliseconds(500))
                }
            } catch {
                _ = try? await tmux(["kill-server"])
                throw error
            }
            _ = try? await tmux(["kill-server"])
        }

        @Test func dailyVerbsForAnApprover() async throws {
            try await TestServer.run { server in
                try await TaskTests.organise(server.store)
                let home = try Self.home()
                defer { try? FileManager.default.removeItem(at: home) }
                let id = try await server.session("canbo") { staff async throws -> String in
                    let created = try await staff.request(
                        "CASE CREATE inspection 02014 title=\"Kiểm tra rà soát hộ nghèo\" documents=05/KH-BCĐ")
                    let id = try #require(created.records.first?["id"])
                    #expect(try await staff.request("CASE SUBMIT \(id)").ok)
                    return id
                }
                let password = ["CASELINE_PASSWORD": TestServer.password]
                let pending = try await Self.run(server, home, ["--user", "chutich", "pending"], environment: password)
                #expect(pending.stdout.contains(id), "\(pending.stderr)")
                let refused = try await Self.run(
                    server, home, ["--user", "chutich", "reject", id], input: "", environment: password)
                #expect(refused.status == 2, "a reason is required and there is no terminal to open an editor on")
                let approved = try await Self.run(
                    server, home, ["--user", "chutich", "approve", id, "Đã", "kiểm", "tra"], environment: password)
                #expect(approved.status == 0, "\(approved.stderr)")
                let timeline = try await Self.run(
                    server, home, ["--user", "chutich", "case", id], environment: password)
                #expect(timeline.stdout.contains("✔ 1. chair@commune  approved  by chutich"))
                #expect(timeline.stdout.contains("\"Đã kiểm tra\""))
                let tasks = try await Self.run(
                    server, home, ["--user", "minh", "--format", "json", "communes"], environment: password)
                #expect(tasks.stdout.contains(#""commune":"02014""#))
            }
        }
    }
}
