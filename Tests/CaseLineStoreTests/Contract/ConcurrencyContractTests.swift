import CaseLineDomain
import CaseLineStore
import Foundation
import Testing

/// The guarantees that held in SQLite only because it has one writer (Store.swift, "Guarantees"), checked with
/// many writers at once: each test here fails against a backend that lets concurrent transactions fork the
/// audit chain, number events out of commit order or with gaps a reader can see, or check a uniqueness rule
/// outside the transaction that writes.
@Suite("Store contract: concurrent writers")
struct ConcurrencyContractTests {
    static let writers = 8
    static let writesEach = 50

    /// Guarantee 4. Two writers that read the same head and both append after it would leave two records with
    /// one predecessor: `verifyAudit` would name the second, or the numbering would repeat or skip.
    @Test(arguments: StoreBackend.all)
    func concurrentWritersLeaveOneAuditChain(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            try await Fixture.users(["lan"], in: store)
            let base = try await store.verifyAudit().records
            let results = await race(Self.writers) { writer in
                for index in 0..<Self.writesEach {
                    // Plain records and records that come with an entity write, interleaved.
                    if index.isMultiple(of: 5) {
                        _ = try await store.createTask(
                            Fixture.task("w\(writer)-\(index)", creator: "lan"), transition: nil, claim: nil,
                            audit: Fixture.entry("task:-", "w\(writer)-\(index)"))
                    } else {
                        try await store.appendAudit(Fixture.entry("writer:\(writer)", "w\(writer)-\(index)"))
                    }
                }
            }
            let failures = results.compactMap { result -> String? in
                if case .failure(let error) = result { return "\(error)" }
                return nil
            }
            #expect(failures.isEmpty, "writers failed: \(failures)")
            let total = Int64(Self.writers * Self.writesEach)
            let verified = try await store.verifyAudit()
            #expect(verified.firstBroken == nil, "the chain forked or broke at \(verified.firstBroken ?? 0)")
            #expect(verified.records == base + total)
            let records = try await store.auditRecords(entity: nil, limit: Int(base + total) + 10, offset: 0)
            #expect(records.map(\.sequence) == Array(1...(base + total)))
            #expect(verified.head == records.last?.hash)
            // Every write is there once, and each writer's writes in the order it made them.
            let changes = records.dropFirst(Int(base)).map(\.entry.change)
            #expect(Set(changes).count == Int(total))
            for writer in 0..<Self.writers {
                let own = changes.filter { $0.hasPrefix("w\(writer)-") }
                #expect(own == (0..<Self.writesEach).map { "w\(writer)-\($0)" })
            }
            #expect(try await store.tasks(TaskSelection()).count == Self.writers * Self.writesEach / 5)
        }
    }

    /// Guarantee 3, watched live. A follower polls `events(after:)` from the highest number it has seen while the
    /// writers run: every batch must continue exactly where the last one ended. A backend that commits number
    /// n+1 while n is still in flight shows the follower n+1 first; the follower then reads past n and never
    /// sees it: the gap is caught the moment it is visible, transiently or not.
    @Test(arguments: StoreBackend.all)
    func aFollowerSeesEveryEventInCommitOrderWithoutGaps(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            let total = Self.writers * Self.writesEach
            let follower = Task { () -> (seen: [Event], skips: [String]) in
                var seen: [Event] = []
                var skips: [String] = []
                var last: Int64 = 0
                let deadline = ContinuousClock.now + .seconds(60)
                while seen.count < total && ContinuousClock.now < deadline {
                    let batch = try await store.events(after: last, through: nil, limit: 37)
                    for event in batch {
                        if event.sequence != last + 1 { skips.append("after \(last) came \(event.sequence)") }
                        last = event.sequence
                        seen.append(event)
                    }
                    if batch.isEmpty { try await Task.sleep(for: .milliseconds(1)) }
                }
                return (seen, skips)
            }
            let results = await race(Self.writers) { writer in
                for index in 0..<Self.writesEach {
                    let detail = [EventDetail("writer", String(writer)), EventDetail("index", String(index))]
                    try await store.appendAudit(
                        Fixture.entry(
                            "writer:\(writer)", "w\(writer)-\(index)", events: [Fixture.draft(details: detail)]))
                }
            }
            let failures = results.compactMap { result -> String? in
                if case .failure(let error) = result { return "\(error)" }
                return nil
            }
            #expect(failures.isEmpty, "writers failed: \(failures)")
            let (seen, skips) = try await follower.value
            #expect(skips.isEmpty, "the follower saw gaps: \(skips.prefix(5))")
            #expect(seen.count == total)
            let stored = try await store.events(after: 0, through: nil, limit: total + 10)
            #expect(stored.map(\.sequence) == (1...Int64(total)).map { $0 }, "numbered 1…N without gaps")
            #expect(stored == seen, "what the follower saw live is what a replay reads")
            #expect(try await store.eventBounds().head == Int64(total))

            // Commit order: one writer's events in the order it wrote them, and the events in the order of their
            // audit records (both are numbered by the same commits).
            let tag = { (event: Event) in "w\(event.draft["writer"] ?? "?")-\(event.draft["index"] ?? "?")" }
            for writer in 0..<Self.writers {
                let own = stored.filter { $0.draft["writer"] == String(writer) }.map(tag)
                #expect(own == (0..<Self.writesEach).map { "w\(writer)-\($0)" })
            }
            let audit = try await store.auditRecords(entity: nil, limit: total + 10, offset: 0).map(\.entry.change)
            #expect(stored.map(tag) == audit, "events and audit records in the same commit order")
        }
    }

    /// Guarantees 3, 4 and 5 across processes or nodes sharing one database (the server and the command-line
    /// tool on one SQLite file; server nodes on one PostgreSQL): writers on both stores keep one chain and one
    /// gapless numbering, a follower on one node sees the other node's events in order, and a uniqueness rule
    /// raced from both nodes lets one writer in.
    @Test(arguments: StoreBackend.shared)
    func twoNodesOnOneDatabaseKeepOneChainOneNumberingAndTheRules(_ backend: StoreBackend) async throws {
        try await backend.withNodes { first, second, _ in
            let nodes = [first, second]
            let writesEach = 25
            let total = Self.writers * writesEach
            let follower = Task { () -> (seen: [Int64], skips: [String]) in
                var seen: [Int64] = []
                var skips: [String] = []
                let deadline = ContinuousClock.now + .seconds(60)
                while seen.count < total && ContinuousClock.now < deadline {
                    let batch = try await second.events(after: seen.last ?? 0, through: nil, limit: 29)
                    for event in batch {
                        if event.sequence != (seen.last ?? 0) + 1 {
                            skips.append("after \(seen.last ?? 0) came \(event.sequence)")
                        }
                        seen.append(event.sequence)
                    }
                    if batch.isEmpty { try await Task.sleep(for: .milliseconds(1)) }
                }
                return (seen, skips)
            }
            let results = await race(Self.writers) { writer in
                let store = nodes[writer % 2]
                for index in 0..<writesEach {
                    try await store.appendAudit(
                        Fixture.entry(
                            "writer:\(writer)", "w\(writer)-\(index)",
                            events: [Fixture.draft(details: [EventDetail("writer", String(writer))])]))
                }
            }
            let failures = results.compactMap { result -> String? in
                if case .failure(let error) = result { return "\(error)" }
                return nil
            }
            #expect(failures.isEmpty, "writers failed: \(failures)")
            let (seen, skips) = try await follower.value
            #expect(skips.isEmpty, "the follower saw gaps: \(skips.prefix(5))")
            #expect(seen == (1...Int64(total)).map { $0 })
            for node in nodes {
                let verified = try await node.verifyAudit()
                #expect(verified.firstBroken == nil && verified.records == Int64(total))
                #expect(try await node.eventBounds().head == Int64(total))
            }
            let changes = try await first.auditRecords(entity: nil, limit: total + 10, offset: 0).map(\.entry.change)
            for writer in 0..<Self.writers {
                #expect(changes.filter { $0.hasPrefix("w\(writer)-") } == (0..<writesEach).map { "w\(writer)-\($0)" })
            }

            let logins = (0..<10).map { "officer\($0)" }
            try await Fixture.users(logins, in: first)
            let committee = try await Fixture.committee(members: logins, in: second)
            let leads = await race(logins.count) { index in
                try await nodes[index % 2].createAssignment(
                    Fixture.assignment(logins[index], committee: committee.id), claim: nil,
                    audit: Fixture.entry("assignment:-"))
            }
            #expect(leads.filter(\.succeeded).count == 1)
            #expect(leads.compactMap(\.domainError).map(\.code) == Array(repeating: .leadExists, count: 9))

            // A deadline notice raised by schedulers on both nodes at once is raised once; a key claimed on one
            // node is honoured on the other.
            let notices = (1...5).map { number in
                DeadlineNotice(
                    task: "T-\(number)", kind: .soon, due: "2026-07-01",
                    event: Fixture.draft(.taskDeadlineSoon, details: [EventDetail("task", "T-\(number)")]))
            }
            let raised = await race(4) { index in try await nodes[index % 2].recordDeadlines(notices, at: Date()) }
            #expect(raised.compactMap { try? $0.get() }.reduce(0, +) == notices.count, "\(raised)")
            let task = try await first.createTask(
                Fixture.task("Một", creator: "officer0"), transition: nil, claim: Fixture.claim("node-key"),
                audit: Fixture.entry("task:-"))
            #expect(
                try await second.idempotencyRecord(login: "admin", key: "node-key", maxAge: 60)?.entity
                    == "task:\(task.id)")
        }
    }

    /// Guarantee 5: one active lead per commune. Ten officers assigned lead of one commune at once: exactly one
    /// wins; the others are told LEAD-EXISTS, and leave no record behind.
    @Test(arguments: StoreBackend.all)
    func racingLeadsForOneCommuneLeaveOne(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            let logins = (0..<10).map { "officer\($0)" }
            try await Fixture.users(logins, in: store)
            let committee = try await Fixture.committee(members: logins, in: store)
            let before = try await Footprint(store)
            let results = await race(logins.count) { index in
                try await store.createAssignment(
                    Fixture.assignment(logins[index], committee: committee.id), claim: nil,
                    audit: Fixture.entry("assignment:-", "lead", events: [Fixture.draft(.assignmentCreated)]))
            }
            #expect(results.filter(\.succeeded).count == 1)
            #expect(results.compactMap(\.domainError).map(\.code) == Array(repeating: .leadExists, count: 9))
            let leads = try await store.assignments(commune: Fixture.commune, login: nil).filter { $0.role == .lead }
            #expect(leads.count == 1)
            let after = try await Footprint(store)
            #expect(after.auditRecords == before.auditRecords + 1 && after.eventHead == before.eventHead + 1)
            #expect(try await store.verifyAudit().firstBroken == nil)

            // One member, one open assignment per commune: the same member as support ten times at once.
            let supports = await race(10) { _ in
                try await store.createAssignment(
                    Fixture.assignment("officer9", .support, commune: Fixture.otherCommune, committee: committee.id),
                    claim: nil, audit: Fixture.entry("assignment:-"))
            }
            #expect(supports.filter(\.succeeded).count == 1)
            #expect(supports.compactMap(\.domainError).map(\.code) == Array(repeating: .alreadyExists, count: 9))
        }
    }

    /// Guarantee 5, every other rule a racing pair could break: unique login, certificate, committee per unit,
    /// seat, chair, head's ID number, non-overlapping delegations. In each race exactly one wins, every loser is
    /// refused with the rule's code, and the audit trail grows by the winners alone.
    @Test(arguments: StoreBackend.all)
    func everyUniquenessRuleHoldsUnderARace(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            let logins = (0..<10).map { "u\($0)" }
            try await Fixture.users(logins + ["seated"], in: store)
            func expectOneWinner<T: Sendable>(
                _ rule: String, _ code: DomainError.Code, sourceLocation: SourceLocation = #_sourceLocation,
                _ body: @escaping @Sendable (Int) async throws -> T
            ) async throws {
                let before = try await store.verifyAudit().records
                let results = await race(10, body)
                #expect(results.filter(\.succeeded).count == 1, "\(rule): \(results)", sourceLocation: sourceLocation)
                #expect(
                    results.compactMap(\.domainError).map(\.code) == Array(repeating: code, count: 9), "\(rule)",
                    sourceLocation: sourceLocation)
                #expect(try await store.verifyAudit().records == before + 1, "\(rule)", sourceLocation: sourceLocation)
            }
            try await expectOneWinner("login", .alreadyExists) { index in
                try await store.createUser(
                    User(login: "new", name: "Người \(index)", role: .staff, scope: .commune(Fixture.commune)),
                    passwordHash: "h", claim: nil, audit: Fixture.entry("user:new"))
            }
            try await expectOneWinner("certificate", .alreadyExists) { index in
                try await store.setCertificateFingerprint(
                    login: logins[index], fingerprint: "ff00", audit: Fixture.entry("user:\(logins[index])"))
            }
            try await expectOneWinner("committee per unit", .alreadyExists) { index in
                try await store.createCommittee(
                    unit: "02014", name: "Ban \(index)", decision: "1", decided: "2025-07-01", claim: nil,
                    audit: Fixture.entry("committee:-"))
            }
            let committee = try #require(try await store.committees().first)
            try await expectOneWinner("one seat per member", .alreadyExists) { index in
                try await store.addMember(
                    Committee.Member(
                        committee: committee.id, login: "seated",
                        position: index.isMultiple(of: 2) ? .member : .standing,
                        since: "2025-07-01"),
                    expectedRevision: nil, audit: Fixture.entry("committee:\(committee.id)"))
            }
            try await expectOneWinner("one chair", .invalid) { index in
                try await store.addMember(
                    Committee.Member(
                        committee: committee.id, login: logins[index], position: .chair, since: "2025-07-01"),
                    expectedRevision: nil, audit: Fixture.entry("committee:\(committee.id)"))
            }
            #expect(
                try await store.members(committee: committee.id, login: nil).filter { $0.position == .chair }.count == 1
            )
            try await expectOneWinner("head's ID number", .alreadyExists) { index in
                try await store.createHousehold(
                    Fixture.household(idNumber: "001080099999", head: "Chủ hộ \(index)"), claim: nil,
                    audit: Fixture.entry("household:-"))
            }
            try await expectOneWinner("non-overlapping delegations", .invalid) { index in
                try await store.createDelegation(
                    Delegation(
                        delegator: "u0", delegate: logins[1 + index % 9], from: "2025-08-0\(index % 9 + 1)",
                        until: "2025-08-20"),
                    today: "2025-08-01", claim: nil, audit: Fixture.entry("delegation:-"))
            }
            #expect(try await store.delegations().count == 1)
        }
    }

    /// Guarantee 6 under a race: ten saves from revision 1, one wins, nine are told `CONFLICT current=2`.
    @Test(arguments: StoreBackend.all)
    func racingSavesOfOneRevisionLeaveOne(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            try await Fixture.users(["lan"], in: store)
            let task = try await store.createTask(
                Fixture.task("Việc chung", creator: "lan"), transition: nil, claim: nil, audit: Fixture.entry("task:-"))
            let before = try await Footprint(store)
            let results = await race(10) { index in
                var edited = task
                edited.title = "Bản \(index)"
                edited.state = .inprogress
                return try await store.saveTask(
                    edited, expectedRevision: 1,
                    transition: TaskTransition(
                        task: task.id, from: .new, to: .inprogress, by: "lan", at: Date(), reason: nil),
                    audit: Fixture.entry("task:\(task.id)", "bản \(index)", events: [Fixture.draft()]))
            }
            let winners = results.compactMap { try? $0.get() }
            #expect(winners.count == 1)
            for error in results.compactMap(\.domainError) {
                #expect(error.code == .conflict && error.details.contains { $0 == ("current", "2") }, "\(error)")
            }
            #expect(try await store.task(id: task.id) == winners.first)
            #expect(try await store.transitions(task: task.id).count == 1)
            let after = try await Footprint(store)
            #expect(after.auditRecords == before.auditRecords + 1 && after.eventHead == before.eventHead + 1)
        }
    }

    /// Each deadline notice once, however many schedulers (server nodes) raise the same notices at once.
    @Test(arguments: StoreBackend.all)
    func racingDeadlineNoticesAreRaisedOnce(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, clock in
            let notices = (1...10).map { number in
                DeadlineNotice(
                    task: "T-\(number)", kind: .overdue, due: "2026-07-01",
                    event: Fixture.draft(.taskOverdue, details: [EventDetail("task", "T-\(number)")]))
            }
            let now = clock.now
            let results = await race(Self.writers) { _ in try await store.recordDeadlines(notices, at: now) }
            let raised = results.compactMap { try? $0.get() }
            #expect(raised.count == Self.writers, "\(results)")
            #expect(raised.reduce(0, +) == notices.count)
            let events = try await store.events(after: 0, through: nil, limit: 100)
            #expect(events.compactMap { $0.draft["task"] }.sorted() == notices.map(\.task).sorted())
        }
    }

    /// Concurrent creations under keys of their own: each key is recorded with the entity its own request made.
    @Test(arguments: StoreBackend.all)
    func racingClaimsAreEachRecordedWithTheirOwnEntity(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            try await Fixture.users(["lan"], in: store)
            let results = await race(20) { index in
                try await store.createTask(
                    Fixture.task("Việc \(index)", creator: "lan"), transition: nil,
                    claim: Fixture.claim("key-\(index)", login: "lan"), audit: Fixture.entry("task:-"))
            }
            for (index, result) in results.enumerated() {
                let task = try result.get()
                #expect(task.title == "Việc \(index)")
                let record = try await store.idempotencyRecord(login: "lan", key: "key-\(index)", maxAge: 60)
                #expect(record == IdempotencyRecord(fingerprint: "fp-key-\(index)", entity: "task:\(task.id)"))
            }
            #expect(Set(results.compactMap { try? $0.get().id }).count == 20)
        }
    }
}
