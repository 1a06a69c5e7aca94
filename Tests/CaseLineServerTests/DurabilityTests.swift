import CaseLineClient
import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension ServerSuites {
    /// "Loses nothing it acknowledged": writes under load, `kill -9`, restart, and every acknowledged write is
    /// there, the audit chain verifies, and each write's idempotency key still replays.
    @Suite("Durability across kill -9", .timeLimit(.minutes(4)))
    struct DurabilityTests {
        /// Observed, not read from a setting: with `strace` watching the real server, every write acknowledged
        /// one after another is preceded by its own fsync of the log. GRDB's WAL set-up once put the writer
        /// on `synchronous = NORMAL` behind a FULL set earlier, and no fsync happened before the OK at all.
        @Test func everyAcknowledgedWriteIsSyncedFirst() async throws {
            guard let strace = Peers.which("strace") else {
                Issue.record("strace is not installed (Tools/install-deps installs it); durability not observed")
                return
            }
            let data = ServerSuites.ServerProcessTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: data) }
            let oneTime = try await ServerProcess.initialise(data)
            let server = try await ServerProcess.start(data: data)
            defer { server.process.send(SIGKILL) }
            let trace = data.appendingPathComponent("strace.txt")
            let tracer = try ChildProcess(
                strace,
                ["-f", "-qq", "-e", "trace=fsync,fdatasync", "-o", trace.path, "-p", String(server.process.pid)],
                standardOutput: .null, standardError: .null)
            // strace prints nothing until it is attached to every thread; wait for it to have started tracing.
            try await Task.sleep(for: .milliseconds(700))
            let writes = 20
            try await server.connect { admin async throws in
                #expect(try await admin.request("LOGIN admin \(oneTime)").completion.status == .ok)
                #expect(try await admin.request("PASSWORD \(oneTime) \"mật khẩu bền vững 1\"").ok)
                for n in 0..<writes {
                    // One at a time: each is acknowledged before the next is sent, so each is its own commit.
                    let result = try await admin.request(
                        "TOKEN CREATE \"bền \(n)\"")
                    #expect(result.ok, "\(result.completion)")
                }
            }
            tracer.send(SIGINT)
            _ = await tracer.wait(timeout: .seconds(10))
            let lines = try String(contentsOf: trace, encoding: .utf8).split(separator: "\n")
            let syncs = lines.filter { $0.contains("fsync(") || $0.contains("fdatasync(") }.count
            // The PASSWORD change and each token are one commit each, and each commit syncs the log.
            #expect(syncs >= writes + 1, "only \(syncs) fsync/fdatasync calls for \(writes + 1) acknowledged commits")
        }

        @Test func acknowledgedWritesSurviveKillNine() async throws {
            let data = ServerSuites.ServerProcessTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: data) }
            let oneTime = try await ServerProcess.initialise(data)
            let password = "mật khẩu quản trị bền vững"
            let server = try await ServerProcess.start(data: data)
            try await server.connect { admin async throws in
                #expect(try await admin.request("LOGIN admin \(oneTime)").completion.status == .ok)
                #expect(try await admin.request("PASSWORD \(oneTime) \"\(password)\"").completion.status == .ok)
            }
            let communes = try UnitResource.bundled().units
                .filter { $0.ref.edition == .current && $0.level == .commune }.map(\.ref.code).sorted()
            let writers = 4
            let perWriter = communes.count / writers
            let pid = server.process.pid
            // Each writer creates committees one after another and remembers every one the server acknowledged.
            let acknowledged = try await withThrowingTaskGroup(of: [String].self) { group in
                for writer in 0..<writers {
                    let mine = Array(communes[(writer * perWriter)..<((writer + 1) * perWriter)])
                    group.addTask {
                        var done: [String] = []
                        do {
                            try await server.connect { connection async throws in
                                guard
                                    try await connection.request("LOGIN admin \"\(password)\"").completion.status == .ok
                                else { return }
                                for code in mine {
                                    let result = try await connection.request(
                                        "COMMITTEE CREATE \(code) name=\"Ban Chỉ đạo \(code)\" decision=\(code)/QĐ-UBND decided=2025-09-01 key=k-\(code)"
                                    )
                                    if result.completion.status == .ok { done.append(code) }
                                }
                            }
                        } catch {
                            // The kill cuts the connection mid-request: that request was never acknowledged.
                        }
                        return done
                    }
                }
                try await Task.sleep(for: .seconds(3))
                kill(pid, SIGKILL)
                var all: [String] = []
                for try await done in group { all += done }
                return all
            }
            #expect(await server.process.wait(timeout: .seconds(30)) == 128 + SIGKILL)
            #expect(acknowledged.count > 20, "the load should have produced acknowledged writes before the kill")

            let restarted = try await ServerProcess.start(data: data)
            try await restarted.connect { admin async throws in
                #expect(try await admin.request("LOGIN admin \"\(password)\"").completion.status == .ok)
                var stored: Set<String> = []
                var offset = 0
                while true {
                    let page = try await admin.request("COMMITTEE LIST limit=1000 offset=\(offset)")
                    let units = page.records.filter { $0.type == "COMMITTEE" }.compactMap { $0["unit"] }
                    stored.formUnion(units)
                    offset += units.count
                    if units.count < 1000 { break }
                }
                let lost = Set(acknowledged).subtracting(stored)
                #expect(lost.isEmpty, "acknowledged but lost after kill -9: \(lost.sorted().prefix(10))")
                let verify = try await admin.request("AUDIT VERIFY")
                #expect(verify.records.first?["status"] == "ok", "\(verify.records)")
                // A client that retries after the crash gets its first result back, not a second committee.
                if let code = acknowledged.first {
                    let retry = try await admin.request(
                        "COMMITTEE CREATE \(code) name=\"Ban Chỉ đạo \(code)\" decision=\(code)/QĐ-UBND decided=2025-09-01 key=k-\(code)"
                    )
                    #expect(retry.completion.code == "REPLAYED")
                }
            }
        }
    }
}
