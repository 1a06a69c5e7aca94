import CaseLineClient
import CaseLineProtocol
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension ServerSuites {
    /// Clients that misbehave on purpose, against the real executable (its memory is measured from outside,
    /// in /proc): one that never reads what it asked for, and a crowd still connecting when SIGTERM lands.
    @Suite("Hostile clients against the real server", .timeLimit(.minutes(4)))
    struct HostileClientTests {
        /// A data directory whose admin has a known password, with settings for many sessions from one
        /// address and a cheap password hash (the hash of 40 logins is not what these tests measure).
        static func prepare(_ data: URL, extra: String = "") async throws -> String {
            let oneTime = try await ServerProcess.initialise(data)
            let config = data.appendingPathComponent("caseline.conf")
            let settings = """

                auth.scrypt-log-n = 10
                limits.max-connections-per-address = 500
                limits.max-sessions-per-user = 500
                \(extra)
                """
            try (try String(contentsOf: config, encoding: .utf8) + settings).write(
                to: config, atomically: true, encoding: .utf8)
            let password = "mật khẩu thử thách 2026"
            let server = try await ServerProcess.start(data: data)
            try await server.connect { admin async throws in
                #expect(try await admin.request("LOGIN admin \(oneTime)").ok)
                #expect(try await admin.request("PASSWORD \(oneTime) \"\(password)\"").ok)
            }
            server.process.send(SIGTERM)
            #expect(await server.process.wait(timeout: .seconds(20)) == 0)
            return password
        }

        static func residentMiB(_ pid: pid_t) -> Int {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
                let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
            else { return 0 }
            return kilobytes / 1024
        }

        static func hostile(_ arguments: [String], port: Int, data: URL, password: String, output: URL) throws
            -> ChildProcess
        {
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            return try ChildProcess(
                "python3",
                [
                    Peers.directory.appendingPathComponent("hostile.py").path, arguments[0], String(port),
                    data.appendingPathComponent("cert.pem").path,
                ] + arguments.dropFirst(),
                environment: ProcessInfo.processInfo.environment.merging(["CASELINE_PASSWORD": password]) { $1 },
                standardOutput: .file(output.path), standardError: .file(output.path + ".err"))
        }

        /// Waits until the hostile client says it has stopped sending (the server stopped reading it).
        static func waitForStall(_ output: URL, seconds: Int = 30) async throws -> String {
            for _ in 0..<(seconds * 10) {
                let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
                if text.contains("sent ") { return text }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw TestFailure(
                "the hostile client never stopped sending: \((try? String(contentsOfFile: output.path + ".err", encoding: .utf8)) ?? "")"
            )
        }

        /// CLP1.md §9: past `limits.outbound-buffer` of unread answers the server stops reading a session. A
        /// client pipelining ten thousand large answers and reading none once grew the server by hundreds of
        /// megabytes, stalled new handshakes for 20 s and slowed everyone's PING: the answers were queued as
        /// event-loop tasks that the channel's writability never saw.
        @Test(arguments: ["UNIT LIST limit=1000", "HELP"])
        func aClientThatNeverReadsHoldsBoundedMemoryAndSlowsNobody(_ command: String) async throws {
            let data = ServerSuites.ServerProcessTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: data) }
            let password = try await Self.prepare(data)
            let server = try await ServerProcess.start(data: data)
            defer { server.process.send(SIGKILL) }
            let pid = server.process.pid
            // Warm up: the units directory and one answer of each kind are in memory before the baseline.
            try await server.connect { warm async throws in
                #expect(try await warm.request("LOGIN admin \"\(password)\"").ok)
                #expect(try await warm.request(command).ok)
            }
            let before = Self.residentMiB(pid)
            let output = data.appendingPathComponent("noread.txt")
            let hostile = try Self.hostile(
                ["noread", "admin", "10000", "40", command], port: server.port, data: data, password: password,
                output: output)
            defer { hostile.send(SIGKILL) }
            let stalled = try await Self.waitForStall(output)
            var peak = before
            var slowest: Duration = .zero
            try await server.connect { other async throws in
                #expect(try await other.request("LOGIN admin \"\(password)\"").ok)
                for _ in 0..<12 {
                    let started = ContinuousClock.now
                    #expect(try await other.request("PING").ok)
                    slowest = max(slowest, ContinuousClock.now - started)
                    peak = max(peak, Self.residentMiB(pid))
                    try await Task.sleep(for: .milliseconds(250))
                }
            }
            let handshakeStarted = ContinuousClock.now
            try await server.connect { fresh async throws in #expect(try await fresh.request("PING").ok) }
            let handshake = ContinuousClock.now - handshakeStarted
            // The session's own budget is 1 MiB plus the answer being written; the rest is the server's
            // ordinary churn. Before the fix the same load added 280–390 MiB.
            #expect(peak - before < 48, "resident memory grew from \(before) to \(peak) MiB (\(stalled))")
            #expect(slowest < .seconds(1), "another session's PING took \(slowest)")
            #expect(handshake < .seconds(2), "a new connection took \(handshake)")
        }

        /// SIGTERM lands while forty clients are connecting and writing: every client that got as far as TLS is
        /// told BYE [SHUTDOWN], the server exits 0, and every write it committed was answered (counted from
        /// the store afterwards). A connection accepted but not yet picked up once made NIO trap (SIGILL).
        @Test func sigtermWhileClientsConnectSaysGoodbyeToEachAndAnswersEveryCommit() async throws {
            let data = ServerSuites.ServerProcessTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: data) }
            let password = try await Self.prepare(data)
            var answered = 0
            for round in 0..<3 {
                let server = try await ServerProcess.start(data: data)
                let output = data.appendingPathComponent("storm-\(round).txt")
                let storm = try Self.hostile(
                    ["storm", "admin", "40", "1200"], port: server.port, data: data, password: password, output: output)
                try await Task.sleep(for: .milliseconds(600 + 150 * round))
                server.process.send(SIGTERM)
                let status = await server.process.wait(timeout: .seconds(20))
                #expect(status == 0, "round \(round): the server ended with \(String(describing: status))")
                _ = await storm.wait(timeout: .seconds(60))
                let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
                #expect(lines.count == 40, "round \(round): \(lines.count) outcomes")
                var sessions = 0
                for line in lines {
                    let outcome = try #require(
                        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                    answered += (outcome["ok"] as? [String])?.count ?? 0
                    guard outcome["tls"] as? Bool == true else { continue }
                    sessions += 1
                    #expect(outcome["bye"] as? String == "SHUTDOWN", "round \(round): \(line)")
                }
                #expect(sessions > 0, "round \(round): no client got as far as TLS")
            }
            // Every token the server committed was answered OK, and every OK is a token.
            let server = try await ServerProcess.start(data: data)
            defer { server.process.send(SIGKILL) }
            try await server.connect { admin async throws in
                #expect(try await admin.request("LOGIN admin \"\(password)\"").ok)
                let tokens = try await admin.request("TOKEN LIST")
                #expect(tokens.records.filter { $0.type == "TOKEN" }.count == answered)
            }
        }

        /// Ten wrong passwords for the only admin, from a stranger's address: the admin still logs in from
        /// their own, the lock survives a restart but ends by itself, and whoever holds the data directory can
        /// lift it (or give a new one-time password) with no other admin — once it was permanent.
        @Test func aStrangerCannotLockTheOnlyAdminOut() async throws {
            let data = ServerSuites.ServerProcessTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: data) }
            let password = try await Self.prepare(
                data, extra: "auth.failure-delay-ms = 1\nauth.failure-delay-max-ms = 5")
            var server = try await ServerProcess.start(data: data)
            try await server.connect(from: "127.0.0.2") { stranger async throws in
                for _ in 0..<10 { #expect(try await stranger.request("LOGIN admin guess").code == "AUTH-FAILED") }
                #expect(try await stranger.request("LOGIN admin \"\(password)\"").code == "LOCKED")
            }
            try await server.connect(from: "127.0.0.1") { admin async throws in
                #expect(try await admin.request("LOGIN admin \"\(password)\"").ok)
            }
            server.process.send(SIGTERM)
            #expect(await server.process.wait(timeout: .seconds(20)) == 0)
            server = try await ServerProcess.start(data: data)
            defer { server.process.send(SIGKILL) }
            try await server.connect(from: "127.0.0.2") { again async throws in
                #expect(try await again.request("LOGIN admin \"\(password)\"").code == "LOCKED")
            }
            let executable = ServerSuites.ServerProcessTests.executable.path
            let unlocked = try await Peers.run(
                executable, ["user", "unlock", "admin", "--data", data.path], timeout: 60)
            #expect(unlocked.status == 0, "\(unlocked.stderr)")
            try await server.connect(from: "127.0.0.2") { again async throws in
                #expect(try await again.request("LOGIN admin \"\(password)\"").ok)
            }
            let unknown = try await Peers.run(
                executable, ["user", "unlock", "nobody", "--data", data.path], timeout: 60)
            #expect(unknown.status != 0 && unknown.stderr.contains("no user nobody"), "\(unknown.stderr)")
            // A lost password: a new one-time password, printed once, that the running server accepts.
            let reset = try await Peers.run(
                executable, ["user", "reset-password", "admin", "--data", data.path], timeout: 60)
            #expect(reset.status == 0, "\(reset.stderr)")
            let oneTime = try #require(
                reset.stdout.split(separator: "\n").first { $0.hasPrefix("One-time password") }?.split(separator: " ")
                    .last)
            try await server.connect { admin async throws in
                let login = try await admin.request("LOGIN admin \(oneTime)")
                #expect(login.ok)
                #expect(login.records.first?["must-change-password"] == "yes")
            }
        }

        /// CLP1.md §3: after `shutdown.grace` whatever is still open is closed, written or not. A client that did
        /// not read once kept the server alive 15–42 s past a 10 s grace.
        @Test func aClientThatNeverReadsCannotHoldTheServerPastTheGracePeriod() async throws {
            let data = ServerSuites.ServerProcessTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: data) }
            let password = try await Self.prepare(data, extra: "shutdown.grace = 2")
            let server = try await ServerProcess.start(data: data)
            defer { server.process.send(SIGKILL) }
            let output = data.appendingPathComponent("noread.txt")
            let hostile = try Self.hostile(
                ["noread", "admin", "20000", "60", "HELP"], port: server.port, data: data, password: password,
                output: output)
            defer { hostile.send(SIGKILL) }
            _ = try await Self.waitForStall(output)
            let started = ContinuousClock.now
            server.process.send(SIGTERM)
            let status = await server.process.wait(timeout: .seconds(20))
            let took = ContinuousClock.now - started
            #expect(status == 0)
            #expect(took < .seconds(5), "the server took \(took) to stop with a 2 s grace")
        }
    }
}
