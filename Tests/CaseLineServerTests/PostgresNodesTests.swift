import CaseLineClient
import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation
import NIOConcurrencyHelpers
import PostgresTestCluster
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Several real `caseline-server` processes (nodes) on one PostgreSQL database, as a national deployment runs
/// them: events cross nodes, a node killed under load loses no acknowledged write, a retry through another node
/// gets its first answer back.
extension ServerSuites {
    @Suite("Server nodes on one PostgreSQL", .timeLimit(.minutes(3)))
    struct PostgresNodesTests {
        static let password = "mật khẩu quản trị các nút"

        /// `count` data directories on one fresh database: the first `init` sets the store up, the others join
        /// it; each node started, the admin's one-time password replaced. Everything is stopped and removed after.
        static func withNodes(
            _ count: Int, settings: [String: String] = [:], _ body: ([ServerProcess]) async throws -> Void
        ) async throws {
            let cluster = try await PostgresTestCluster.shared
            let database = try await cluster.database()
            let url = cluster.url(database)
            let directories = (0..<count).map { _ in ServerSuites.ServerProcessTests.temporaryDirectory() }
            var nodes: [ServerProcess] = []
            do {
                var oneTime: String?
                for data in directories {
                    let result = try await Peers.run(
                        ServerSuites.ServerProcessTests.executable.path,
                        ["init", "--data", data.path, "--store", url], timeout: 120)
                    guard result.status == 0 else { throw TestFailure("init failed: \(result.stderr)") }
                    if let line = result.stdout.split(separator: "\n").first(where: { $0.contains("One-time password") }
                    ),
                        let password = line.split(separator: " ").last
                    {
                        #expect(oneTime == nil, "only the first node's init creates the admin")
                        oneTime = String(password)
                    }
                    try configure(data, settings)
                    nodes.append(try await ServerProcess.start(data: data))
                }
                let first = try #require(oneTime, "the first init printed no one-time password")
                try await nodes[0].connect { admin async throws in
                    #expect(try await admin.request("LOGIN admin \(first)").completion.status == .ok)
                    #expect(try await admin.request("PASSWORD \(first) \"\(Self.password)\"").ok)
                }
                try await body(nodes)
            } catch {
                for node in nodes { node.process.send(SIGKILL) }
                for data in directories { try? FileManager.default.removeItem(at: data) }
                await cluster.drop(database)
                throw error
            }
            for node in nodes { node.process.send(SIGKILL) }
            for data in directories { try? FileManager.default.removeItem(at: data) }
            await cluster.drop(database)
        }

        /// Rewrites settings of a node's caseline.conf (limits the load tests need above the defaults).
        static func configure(_ data: URL, _ settings: [String: String]) throws {
            guard !settings.isEmpty else { return }
            let file = data.appendingPathComponent("caseline.conf")
            let lines = try String(contentsOf: file, encoding: .utf8).split(
                separator: "\n", omittingEmptySubsequences: false)
            let rewritten = lines.map { line -> String in
                let key = line.split(separator: "=", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces) ?? ""
                return settings[key].map { "\(key) = \($0)" } ?? String(line)
            }
            try rewritten.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        }

        /// Logs in as the admin and runs `body`.
        static func admin<T: Sendable>(_ node: ServerProcess, _ body: (ClientConnection) async throws -> T)
            async throws -> T
        {
            try await node.connect { connection async throws -> T in
                let login = try await connection.request("LOGIN admin \"\(Self.password)\"")
                guard login.completion.status == .ok else { throw TestFailure("login failed: \(login.completion)") }
                return try await body(connection)
            }
        }

        static func communes(of province: String) throws -> [String] {
            try UnitResource.bundled().units
                .filter { $0.ref.edition == .current && $0.level == .commune && $0.province == province }
                .map(\.ref.code).sorted()
        }

        /// A watcher on node 1 while two writers on nodes 2 and 3 make assignments (each raises an event): it
        /// receives every event, numbered 1, 2, 3 … with no gap and none twice, each change exactly once, in
        /// the order of the numbers.
        @Test func aWatcherOnOneNodeSeesTheOtherNodesChangesInOrderOnce() async throws {
            try await Self.withNodes(3) { nodes in
                let communes = try Self.communes(of: "19")
                let perWriter = 15
                try #require(communes.count >= perWriter * 2)
                try await Self.admin(nodes[0]) { admin async throws in
                    #expect(
                        try await admin.request(
                            "COMMITTEE CREATE 19 name=\"Ban Chỉ đạo tỉnh\" decision=1/QĐ-UBND decided=2025-08-15"
                        ).ok)
                    for officer in ["o2", "o3"] {
                        #expect(
                            try await admin.request(
                                "USER CREATE \(officer) name=\"Cán bộ \(officer)\" role=officer scope=province:19"
                            ).ok)
                        #expect(try await admin.request("COMMITTEE ADD-MEMBER CM-1 \(officer) position=member").ok)
                    }
                }
                try await Self.admin(nodes[0]) { watcher async throws in
                    let watch = try await watcher.request("WATCH")
                    #expect(watch.ok, "\(watch.completion)")
                    let start = Int64(watch.records.first?["head"] ?? "") ?? -1
                    let results = try await withThrowingTaskGroup(of: [String].self) { group in
                        for (index, officer) in ["o2", "o3"].enumerated() {
                            let mine = Array(communes[(index * perWriter)..<((index + 1) * perWriter)])
                            group.addTask {
                                try await Self.admin(nodes[index + 1]) { writer async throws -> [String] in
                                    var made: [String] = []
                                    for code in mine {
                                        let result = try await writer.request(
                                            "ASSIGNMENT CREATE \(code) \(officer) role=support from=2026-11-26 decision=7/QĐ-BCĐ"
                                        )
                                        #expect(result.ok, "\(result.completion)")
                                        if let id = result.records.first?["id"] { made.append(id) }
                                    }
                                    return made
                                }
                            }
                        }
                        var all: [String] = []
                        for try await made in group { all += made }
                        return all
                    }
                    #expect(results.count == perWriter * 2)
                    let events = try await EventTests.events(watcher, count: perWriter * 2)
                    let sequences = events.compactMap { $0["seq"].flatMap(Int64.init) }
                    #expect(sequences == Array((start + 1)...(start + Int64(perWriter * 2))), "in order, no gap")
                    #expect(events.allSatisfy { $0["type"] == "assignment.created" })
                    #expect(Set(events.compactMap { $0["assignment"] }) == Set(results), "each change once")
                    // Nothing more arrives (a repeat would): the next request's answer comes first.
                    try await Task.sleep(for: .seconds(3))
                    let ping = try await watcher.request("PING")
                    #expect(ping.ok)
                    let extra = ping.others.compactMap {
                        if case .record(let r) = $0, r.type == "EVENT" { r } else { nil }
                    }
                    #expect(extra.isEmpty, "events delivered twice: \(extra)")
                }
            }
        }

        /// Failed logins are counted in the database: three wrong passwords for one name from one address, spread
        /// over nodes 2 and 3, lock that address out of the name on node 1 too (spreading guesses gains nothing).
        @Test func failedLoginsSpreadOverNodesLockTheAddressOnEveryNode() async throws {
            let throttle = [
                "auth.lock-after-failures": "3", "auth.failure-delay-ms": "0", "auth.failure-delay-max-ms": "0",
            ]
            try await Self.withNodes(3, settings: throttle) { nodes in
                for node in [nodes[1], nodes[2], nodes[1]] {
                    try await node.connect { guesser async throws in
                        let guess = try await guesser.request("LOGIN admin \"không phải mật khẩu\"")
                        #expect(guess.completion.status == .no, "\(guess.completion)")
                    }
                }
                try await nodes[0].connect { owner async throws in
                    let login = try await owner.request("LOGIN admin \"\(Self.password)\"")
                    #expect(login.completion.code == "LOCKED", "\(login.completion)")
                }
                // Another address is not locked out, on any node.
                try await nodes[2].connect(from: "127.0.0.2") { owner async throws in
                    #expect(try await owner.request("LOGIN admin \"\(Self.password)\"").completion.status == .ok)
                }
            }
        }

        /// 50 writers on nodes 2 and 3, node 2 killed with SIGKILL in the middle: every write acknowledged by
        /// either node is in the store (read through node 1), the chain verifies, and the writes that node 2 had
        /// not acknowledged, retried through node 3 with the same idempotency keys, each get one result: the one
        /// node 2 committed (REPLAYED, the same committee) or a new one, never a second committee or a refusal.
        @Test func aNodeKilledUnderLoadLosesNothingAcknowledgedAndRetriesElsewhereGetOneResult() async throws {
            let limits = ["limits.max-connections-per-address": "200", "limits.max-sessions-per-user": "200"]
            try await Self.withNodes(3, settings: limits) { nodes in
                let communes = try UnitResource.bundled().units
                    .filter { $0.ref.edition == .current && $0.level == .commune }.map(\.ref.code).sorted()
                let writers = 50
                let perWriter = communes.count / writers
                let victim = nodes[1].process.pid
                let create: @Sendable (String) -> String = { code in
                    "COMMITTEE CREATE \(code) name=\"Ban Chỉ đạo \(code)\" decision=\(code)/QĐ-UBND decided=2025-09-01 key=k-\(code)"
                }
                struct Outcome: Sendable {
                    var acknowledged: [String: String] = [:]  // commune → committee id
                    var inFlight: String?
                }
                // Writes node 2 has acknowledged so far: the kill comes once its writers are all in full flow.
                let victimAcknowledged = NIOLockedValueBox(0)
                let outcomes = try await withThrowingTaskGroup(of: Outcome.self) { group in
                    for writer in 0..<writers {
                        let mine = Array(communes[(writer * perWriter)..<((writer + 1) * perWriter)])
                        group.addTask {
                            var outcome = Outcome()
                            do {
                                try await Self.admin(nodes[1 + writer % 2]) { connection async throws in
                                    for code in mine {
                                        outcome.inFlight = code
                                        let result = try await connection.request(create(code))
                                        guard result.completion.status == .ok, let id = result.records.first?["id"]
                                        else { return }
                                        outcome.acknowledged[code] = id
                                        outcome.inFlight = nil
                                        if writer % 2 == 0 { victimAcknowledged.withLockedValue { $0 += 1 } }
                                    }
                                }
                            } catch {
                                // The kill cut this connection mid-request: that request was never acknowledged.
                            }
                            return outcome
                        }
                    }
                    // Each of node 2's 25 writers has 66 communes; after 250 acknowledgements they are all logged in
                    // and writing (about 400 commits a second here), and none is near its end.
                    let deadline = ContinuousClock.now + .seconds(60)
                    while victimAcknowledged.withLockedValue({ $0 }) < 250 && ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(10))
                    }
                    kill(victim, SIGKILL)
                    var all: [Outcome] = []
                    for try await outcome in group { all.append(outcome) }
                    return all
                }
                #expect(await nodes[1].process.wait(timeout: .seconds(30)) == 128 + SIGKILL)
                let acknowledged = outcomes.reduce(into: [String: String]()) { $0.merge($1.acknowledged) { a, _ in a } }
                let unacknowledged = outcomes.compactMap(\.inFlight)
                #expect(acknowledged.count > 50, "the load should have produced acknowledged writes before the kill")
                #expect(!unacknowledged.isEmpty, "the kill should have cut writes in flight on node 2")

                // Retries of what node 2 never answered, through node 3, with the same keys.
                try await Self.admin(nodes[2]) { retrier async throws in
                    for code in unacknowledged {
                        let retry = try await retrier.request(create(code))
                        #expect(retry.completion.status == .ok, "\(code): \(retry.completion)")
                    }
                    // An acknowledged one retried elsewhere is the same committee, replayed.
                    if let (code, id) = acknowledged.first {
                        let retry = try await retrier.request(create(code))
                        #expect(retry.completion.code == "REPLAYED")
                        #expect(retry.records.first?["id"] == id)
                    }
                }
                try await Self.admin(nodes[0]) { reader async throws in
                    var stored: [String: String] = [:]
                    var offset = 0
                    for _ in 0..<20 {
                        let page = try await reader.request("COMMITTEE LIST limit=1000 offset=\(offset)")
                        let committees = page.records.filter { $0.type == "COMMITTEE" }
                        for record in committees {
                            if let unit = record["unit"], let id = record["id"] { stored[unit] = id }
                        }
                        offset += committees.count
                        if committees.count < 1000 { break }
                    }
                    let lost = acknowledged.filter { stored[$0.key] != $0.value }
                    #expect(lost.isEmpty, "acknowledged but lost or changed after kill -9: \(lost.prefix(10))")
                    #expect(unacknowledged.allSatisfy { stored[$0] != nil }, "every retried write is there")
                    let verify = try await reader.request("AUDIT VERIFY")
                    #expect(verify.records.first?["status"] == "ok", "\(verify.records)")
                }
            }
        }
    }
}
