import CaseLineClient
import CaseLineDomain
import CaseLineProtocol
import CaseLineServer
import CaseLineStore
import CaseLineStoreSQLite
import Foundation
import Testing

extension ServerSuites {
    @Suite("Live events over TLS", .timeLimit(.minutes(3)))
    struct EventTests {
        /// A commune outside province 19, and a staff member there who must never hear of province 19.
        static let elsewhere = TestServer.bundledUnits.units.first {
            $0.ref.edition == .current && $0.level == .commune && $0.province != nil && $0.province != "19"
        }!
        static let outsider = User(
            login: "xa", name: "Vàng Thị Xá", role: .staff, scope: .commune(elsewhere.ref.code))

        /// Reads until `count` EVENT records have arrived; anything else on the way is ignored.
        static func events(_ connection: ClientConnection, count: Int) async throws -> [Record] {
            var events: [Record] = []
            while events.count < count {
                if case .record(let record) = try await connection.next(), record.type == "EVENT" {
                    events.append(record)
                }
            }
            return events
        }

        /// An event written as another part of the system would, in a commune of another province.
        static func eventElsewhere(_ store: any Store, _ n: Int) async throws {
            try await event(store, task: "T-90\(n)", commune: elsewhere.ref.code, province: elsewhere.province!)
        }

        /// A `task.created` written straight to the store, with `xa` as its concern.
        static func event(_ store: any Store, task: String, commune: String, province: String) async throws {
            try await store.appendAudit(
                AuditEntry(
                    actor: .system("test"), command: "test", entity: "task:\(task)", change: "written by a test",
                    events: [
                        EventDraft(
                            .taskCreated, province: province, commune: commune,
                            details: [EventDetail("task", task)], concerns: ["xa"])
                    ]))
        }

        static func createTask(_ minh: ClientConnection, _ title: String) async throws -> String {
            let created = try await minh.request("TASK CREATE 02014 title=\"\(title)\" assignee=canbo")
            #expect(created.ok, "\(created.completion)")
            return try #require(created.records.first?["id"])
        }

        static func seqs(_ events: [Record]) -> [Int64] { events.compactMap { $0["seq"].flatMap { Int64($0) } } }

        @Test func twoHundredWatchersEachReceiveExactlyWhatTheyMaySeeInOrder() async throws {
            let configuration = TestServer.configured {
                $0.limits.maxConnectionsPerAddress = 400
                $0.limits.maxSessionsPerUser = 400
            }
            try await TestServer.run(configuration) { server in
                try await TaskTests.organise(server.store)
                try await server.addUser(Self.outsider)
                // 100 commune staff watching everything they may see, 50 officers watching what concerns them,
                // 50 staff of another province.
                let plan = (0..<200).map { i in
                    i < 100 ? ("canbo", "WATCH") : i < 150 ? ("minh", "WATCH mine=yes") : ("xa", "WATCH")
                }
                let (ready, readySink) = AsyncStream.makeStream(of: Void.self)
                let (go, goSink) = AsyncStream.makeStream(of: Void.self)
                _ = go
                let results = try await withThrowingTaskGroup(of: (String, [Record], [Response]).self) { group in
                    for (login, watch) in plan {
                        group.addTask {
                            try await server.session(login) { connection async throws in
                                let watching = try await connection.request(watch)
                                #expect(watching.ok, "\(watching.completion)")
                                readySink.yield()
                                let expected = login == "xa" ? 5 : 10
                                let events = try await Self.events(connection, count: expected)
                                // Anything more before the PONG would be an event this watcher must not get.
                                let ping = try await connection.request("PING")
                                return (login, events, ping.others)
                            }
                        }
                    }
                    var count = 0
                    for await _ in ready {
                        count += 1
                        if count == plan.count { break }
                    }
                    try await server.session("minh") { minh async throws in
                        for n in 0..<10 {
                            _ = try await Self.createTask(minh, "Việc \(n)")
                            if n < 5 { try await Self.eventElsewhere(server.store, n) }
                        }
                    }
                    goSink.finish()
                    var all: [(String, [Record], [Response])] = []
                    for try await result in group { all.append(result) }
                    return all
                }
                #expect(results.count == 200)
                for (login, events, extra) in results {
                    let seqs = Self.seqs(events)
                    #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count, "\(login): out of order \(seqs)")
                    #expect(extra.isEmpty, "\(login) received more than it should: \(extra)")
                    if login == "xa" {
                        #expect(events.allSatisfy { $0["commune"] == Self.elsewhere.ref.code })
                    } else {
                        #expect(events.allSatisfy { $0["commune"] == "02014" && $0["type"] == "task.created" })
                        #expect(events.allSatisfy { $0["province"] == "19" && $0["actor"] == "minh" })
                    }
                }
            }
        }

        // Also on PostgreSQL: the end-to-end paths that matter run once on each store.
        @Test(arguments: TestServer.Backend.allCases)
        func aWatcherThatReconnectsWithSinceLosesNothingAndRepeatsNothing(_ backend: TestServer.Backend) async throws {
            try await TestServer.run(backend: backend) { server in
                try await TaskTests.organise(server.store)
                try await server.session("minh") { minh async throws in
                    let last = try await server.session("canbo") { watcher async throws -> Int64 in
                        #expect(try await watcher.request("WATCH commune=02014").ok)
                        let id = try await Self.createTask(minh, "Trước khi mất kết nối")
                        #expect(try await minh.request("TASK COMMENT \(id) \"đang làm\"").ok)
                        let seen = try await Self.events(watcher, count: 2)
                        #expect(seen.map { $0["type"] } == ["task.created", "task.commented"])
                        #expect(seen[1]["comment"]?.hasPrefix("TC-") == true)
                        return Self.seqs(seen).last!
                    }
                    // Offline: three more changes.
                    let id = try await Self.createTask(minh, "Trong khi mất kết nối")
                    #expect(try await minh.request("TASK COMMENT \(id) \"trùng với việc khác\"").ok)
                    #expect(try await minh.request("TASK MOVE \(id) cancelled reason=\"trùng lặp\"").ok)

                    try await server.session("canbo") { watcher async throws in
                        let resumed = try await watcher.request("WATCH commune=02014 since=\(last)")
                        #expect(resumed.ok, "\(resumed.completion)")
                        #expect(resumed.records.first?["head"] == String(last + 3))
                        let backlog = resumed.others.compactMap { if case .record(let r) = $0 { r } else { nil } }
                        #expect(Self.seqs(backlog) == [last + 1, last + 2, last + 3])
                        #expect(backlog.map { $0["type"] } == ["task.created", "task.commented", "task.state"])
                        #expect(backlog[2]["from"] == "assigned" && backlog[2]["to"] == "cancelled")
                        // Then live, continuing the numbering.
                        _ = try await Self.createTask(minh, "Sau khi kết nối lại")
                        let live = try await Self.events(watcher, count: 1)
                        #expect(Self.seqs(live) == [last + 4])

                        let ahead = try await watcher.request("WATCH since=\(last + 100)")
                        #expect(ahead.code == "RESYNC-REQUIRED")
                        #expect(try await watcher.request("UNWATCH W1").ok)
                        #expect(try await watcher.request("UNWATCH W1").code == "NOT-FOUND")
                    }
                    // Retention: once events are dropped, an old since= must resynchronise.
                    _ = try await server.store.dropEvents(before: Date().addingTimeInterval(3600))
                    try await server.session("canbo") { watcher async throws in
                        let stale = try await watcher.request("WATCH since=\(last)")
                        #expect(stale.code == "RESYNC-REQUIRED")
                        #expect(
                            stale.completion.details.contains { $0.key == "oldest" && $0.value == String(last + 5) })
                    }
                }
            }
        }

        // Also on PostgreSQL: the end-to-end paths that matter run once on each store.
        @Test(arguments: TestServer.Backend.allCases)
        func aCaseReachesWhoeverMustDecideItAndLocksReachOnlyAdmins(_ backend: TestServer.Backend) async throws {
            try await TestServer.run(backend: backend) { server in
                try await TaskTests.organise(server.store)
                try await server.session("chutich") { chair async throws in
                    #expect(try await chair.request("WATCH mine=yes").ok)
                    try await server.session("kiemtoan") { auditor async throws in
                        #expect(try await auditor.request("WATCH mine=yes").ok)
                        try await server.session("admin") { admin async throws in
                            #expect(try await admin.request("WATCH province=19").ok)
                            let id = try await server.session("canbo") { staff async throws -> String in
                                let created = try await staff.request(
                                    "CASE CREATE inspection 02014 title=\"Kiểm tra\" documents=05/KH-BCĐ")
                                let id = try #require(created.records.first?["id"])
                                #expect(try await staff.request("CASE SUBMIT \(id)").ok)
                                return id
                            }
                            // The commune chair decides step 1: the submission concerns them.
                            let submitted = try await Self.events(chair, count: 1)[0]
                            #expect(submitted["type"] == "case.submitted" && submitted["case"] == id)
                            #expect(submitted["step"] == "1" && submitted["actor"] == "canbo")
                            #expect(try await chair.request("CASE APPROVE \(id)").ok)
                            // An inspection has one step: its approval is also the case's.
                            let approved = try await Self.events(chair, count: 2)
                            #expect(approved[0]["type"] == "case.step-approved" && approved[0]["step"] == "1")
                            #expect(approved[1]["type"] == "case.approved" && approved[1]["case"] == id)
                            // Four wrong passwords lock canbo: the admin hears of it, the chair does not.
                            for _ in 0..<4 {
                                try await server.connect { stranger async throws in
                                    _ = try await stranger.request("LOGIN canbo \"sai mật khẩu\"")
                                }
                            }
                            let seen = try await Self.events(admin, count: 4).map { $0["type"] ?? "" }
                            #expect(
                                seen == ["case.submitted", "case.step-approved", "case.approved", "account.locked"])
                            #expect(try await chair.request("PING").others.isEmpty)
                        }
                        // The auditor decides nothing and is nobody's concern here.
                        #expect(try await auditor.request("PING").others.isEmpty)
                    }
                }
            }
        }

        @Test func filtersAreCheckedAgainstTheCallersScope() async throws {
            try await TestServer.run { server in
                try await server.session("canbo") { staff async throws in
                    #expect(try await staff.request("WATCH commune=\(Self.elsewhere.ref.code)").code == "OUT-OF-SCOPE")
                    #expect(try await staff.request("WATCH province=19").code == "OUT-OF-SCOPE")
                    #expect(try await staff.request("WATCH commune=19").code == "INVALID")
                    #expect(try await staff.request("WATCH case=C-999").code == "NOT-FOUND")
                    for _ in 0..<16 { #expect(try await staff.request("WATCH mine=yes").ok) }
                    #expect(try await staff.request("WATCH").code == "INVALID")
                    let stopped = try await staff.request("UNWATCH")
                    #expect(stopped.completion.text == "16 watches stopped")
                }
            }
        }

        @Test func aWatcherThatNeverReadsIsDroppedWithoutHoldingOthersBack() async throws {
            let configuration = TestServer.configured {
                $0.events.queue = 64
                $0.limits.outboundBufferBytes = 4096
                $0.limits.sendBufferBytes = 8192
            }
            try await TestServer.run(configuration) { server in
                try await TaskTests.organise(server.store)
                try await server.session("canbo", receiveBufferBytes: 4096) { slow async throws in
                    #expect(try await slow.request("WATCH").ok)
                    let (ready, readySink) = AsyncStream.makeStream(of: Void.self)
                    let seen = try await withThrowingTaskGroup(of: [Int64].self) { group in
                        group.addTask {
                            // A watcher that keeps up, until the flood's last event (a task cancelled).
                            try await server.session("canbo") { fast async throws -> [Int64] in
                                #expect(try await fast.request("WATCH").ok)
                                readySink.yield()
                                var seen: [Int64] = []
                                while true {
                                    guard case .record(let record) = try await fast.next(), record.type == "EVENT"
                                    else { continue }
                                    seen.append(Int64(record["seq"]!)!)
                                    if record["type"] == "task.state" { return seen }
                                }
                            }
                        }
                        for await _ in ready { break }
                        try await server.session("minh") { minh async throws in
                            let id = try await Self.createTask(minh, "Nhiều bình luận")
                            // Pipelined comments, one event each, until the server has dropped the slow watcher.
                            for batch in 0..<50 {
                                var lines = ""
                                for n in 0..<100 { lines += "f\(batch)x\(n) TASK COMMENT \(id) \"ghi chú \(n)\"\r\n" }
                                try await minh.send(raw: Array(lines.utf8))
                                for n in 0..<100 { #expect(try await minh.read(tag: "f\(batch)x\(n)").ok) }
                                if try await Self.slowConsumersDropped(server) == 1 { break }
                            }
                            #expect(try await minh.request("TASK MOVE \(id) cancelled reason=\"đủ rồi\"").ok)
                        }
                        return try await group.next()!
                    }
                    #expect(try await Self.slowConsumersDropped(server) == 1)
                    // The slow watcher now reads: the events it was sent, then why it was dropped.
                    var received: [Int64] = []
                    var goodbye: Response?
                    while goodbye == nil {
                        switch try await slow.next() {
                        case .record(let record) where record.type == "EVENT":
                            received.append(Int64(record["seq"]!)!)
                        case let response: if case .bye = response { goodbye = response }
                        }
                    }
                    guard case .bye(let code, let details, _) = goodbye! else { return }
                    #expect(code == "SLOW-CONSUMER")
                    let last = try #require(details.first { $0.key == "last-seq" }.flatMap { Int64($0.value) })
                    #expect(received.last == last)
                    #expect(received.count < seen.count)
                    #expect(received == Array(seen.prefix(received.count)), "the slow watcher's events were in order")
                    // It resumes where it stopped and misses nothing.
                    try await server.session("canbo") { again async throws in
                        let resumed = try await again.request("WATCH since=\(last)")
                        let rest = resumed.others.compactMap { response -> Int64? in
                            if case .record(let r) = response { return Int64(r["seq"]!) }
                            return nil
                        }
                        #expect(received + rest == seen)
                    }
                }
            }
        }

        static func slowConsumersDropped(_ server: TestServer) async throws -> Int {
            try await metric("caseline_events_slow_consumers_total", server)
        }

        static func watchingSessions(_ server: TestServer) async throws -> Int {
            try await metric("caseline_events_watching_sessions", server)
        }

        /// A metric's value as METRICS reports it to the admin (0 before it has one).
        static func metric(_ name: String, _ server: TestServer) async throws -> Int {
            try await server.session("admin") { admin async throws in
                let metrics = try await admin.request("METRICS")
                let line = metrics.records.compactMap { $0["line"] }.first { $0.hasPrefix(name + " ") }
                return line.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) } ?? 0
            }
        }

        @Test func deadlinesAreRaisedOnceEachAcrossRestarts() async throws {
            let path = TestServer.storeFile("deadlines")
            defer { TestServer.removeStoreFile(path) }
            let configuration = TestServer.configured {
                $0.events.deadlineCheck = .seconds(1)
                $0.events.deadlineSoonDays = 3
            }
            // 1 December 2026, 10:00 in Hà Nội; the task is due on the 3rd.
            let first = Date(timeIntervalSince1970: 1_796_094_000)
            let later = first.addingTimeInterval(4 * 86_400)
            let onTheFirst: @Sendable () -> Date = { first }
            let fourDaysLater: @Sendable () -> Date = { later }
            func deadlineEvents() async throws -> [String] {
                let store = try SQLiteStore(path: path)
                defer { Task { try? await store.close() } }
                return try await store.events(after: 0, through: nil, limit: 1000)
                    .map(\.draft.type.rawValue).filter { $0.hasPrefix("task.deadline") || $0 == "task.overdue" }
            }
            try await TestServer.run(configuration, storePath: path, clock: onTheFirst) { server in
                try await TaskTests.organise(server.store)
                try await server.session("minh") { minh async throws in
                    #expect(try await minh.request("WATCH mine=yes").ok)
                    let created = try await minh.request(
                        "TASK CREATE 02014 title=\"Rà soát\" assignee=canbo due=2026-12-03")
                    #expect(created.ok, "\(created.completion)")
                    let raised = try await Self.events(minh, count: 2)
                    #expect(raised.map { $0["type"] } == ["task.created", "task.deadline-soon"])
                    #expect(raised[1]["due"] == "2026-12-03" && raised[1]["actor"] == "system")
                    try await Task.sleep(for: .seconds(2.5))
                }
            }
            #expect(try await deadlineEvents() == ["task.deadline-soon"])
            // Restarted the same day: nothing new.
            try await TestServer.run(configuration, storePath: path, clock: onTheFirst) { _ in
                try await Task.sleep(for: .seconds(2.5))
            }
            #expect(try await deadlineEvents() == ["task.deadline-soon"])
            // Restarted after the due date: overdue, once, however many looks.
            try await TestServer.run(configuration, storePath: path, clock: fourDaysLater) { _ in
                try await Task.sleep(for: .seconds(3.5))
            }
            #expect(try await deadlineEvents() == ["task.deadline-soon", "task.overdue"])
        }
    }
}
