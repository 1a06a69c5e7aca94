import CaseLineClient
import CaseLineProtocol
import Foundation
import PostgresTestCluster
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `caseline-server store copy`: the demo province moved from its SQLite file to PostgreSQL with the real
/// executable, then read through a server on each store.
extension ServerSuites {
    @Suite("Store copy to PostgreSQL", .timeLimit(.minutes(3)))
    struct StoreCopyTests {
        /// Makes the demo's data directory (`demo` seeds it, then serves; it is stopped once ready).
        static func demo(_ data: URL) async throws {
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString).log")
            defer { try? FileManager.default.removeItem(at: log) }
            let process = try ChildProcess(
                ServerSuites.ServerProcessTests.executable.path,
                ["demo", "--data", data.path, "--host", "127.0.0.1", "--port", "0"], standardOutput: .null,
                standardError: .file(log.path))
            var ready = false
            for _ in 0..<1200 where !ready {
                try await Task.sleep(for: .milliseconds(50))
                ready = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("] ready")
            }
            process.send(ready ? SIGTERM : SIGKILL)
            _ = await process.wait(timeout: .seconds(30))
            guard ready else {
                throw TestFailure("the demo did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            }
        }

        /// What a reader sees, request by request.
        static func reads(_ server: ServerProcess) async throws -> [[Record]] {
            try await server.connect { auditor async throws -> [[Record]] in
                #expect(try await auditor.request("LOGIN kiemtoan caseline-demo").completion.status == .ok)
                var answers: [[Record]] = []
                for command in [
                    "COMMITTEE LIST", "ASSIGNMENT LIST", "TASK LIST", "CASE LIST", "DELEGATION LIST", "HOUSEHOLD LIST",
                    "FUND LIST", "REPORT MONEY province=19 from=2025-01-01 through=2026-12-31 as-of=2026-12-31",
                ] {
                    let answer = try await auditor.request(command)
                    #expect(answer.ok, "\(command): \(answer.completion)")
                    answers.append(answer.records)
                }
                return answers
            }
        }

        @Test func theDemoIsCopiedWithItsChainAndReadsTheSameOnBothStores() async throws {
            let source = ServerSuites.ServerProcessTests.temporaryDirectory()
            let target = ServerSuites.ServerProcessTests.temporaryDirectory()
            let cluster = try await PostgresTestCluster.shared
            let database = try await cluster.database()
            defer {
                try? FileManager.default.removeItem(at: source)
                try? FileManager.default.removeItem(at: target)
            }
            do {
                try await Self.demo(source)
                let executable = ServerSuites.ServerProcessTests.executable.path
                let copy = try await Peers.run(
                    executable, ["store", "copy", "--from", source.path, "--to", cluster.url(database)], timeout: 120)
                #expect(copy.status == 0, "\(copy.stderr)")
                #expect(copy.stdout.contains("Verified: every table's count; the audit chain"), "\(copy.stdout)")
                let again = try await Peers.run(
                    executable, ["store", "copy", "--from", source.path, "--to", cluster.url(database)], timeout: 120)
                #expect(again.status != 0 && again.stderr.contains("not empty"), "\(again.stderr)")

                // The same directory (certificate, configuration) on the copy.
                try FileManager.default.copyItem(at: source, to: target)
                try PostgresNodesTests.configure(target, ["store.url": cluster.url(database)])
                let onSQLite = try await ServerProcess.start(data: source)
                defer { onSQLite.process.send(SIGKILL) }
                let onPostgres = try await ServerProcess.start(data: target)
                defer { onPostgres.process.send(SIGKILL) }
                for server in [onSQLite, onPostgres] {
                    try await server.connect { auditor async throws in
                        #expect(try await auditor.request("LOGIN kiemtoan caseline-demo").completion.status == .ok)
                        let verify = try await auditor.request("AUDIT VERIFY")
                        #expect(verify.records.first?["status"] == "ok", "\(verify.records)")
                    }
                }
                let expected = try await Self.reads(onSQLite)
                #expect(expected.allSatisfy { !$0.isEmpty }, "the demo has something of every kind read")
                #expect(try await Self.reads(onPostgres) == expected)
            } catch {
                await cluster.drop(database)
                throw error
            }
            await cluster.drop(database)
        }
    }
}
