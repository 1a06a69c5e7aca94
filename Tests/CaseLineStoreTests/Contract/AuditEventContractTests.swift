import CaseLineDomain
import CaseLineStore
import Foundation
import Testing

/// The audit trail and its chain, events and their numbering, retention, deadline notices, idempotency records,
/// the `eventsWritten` ticks. The same guarantees under concurrent writers are in ConcurrencyContractTests.
@Suite("Store contract: audit, events, idempotency")
struct AuditEventContractTests {
    @Test(arguments: StoreBackend.all)
    func theAuditTrailIsAChainReadBackInOrder(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, clock in
            let empty = try await store.verifyAudit()
            #expect(empty == AuditVerification(records: 0, head: "", firstBroken: nil))
            let deputy = Actor(login: "hung", onBehalfOf: "lan", connection: "c7@10.0.0.7")
            var written: [AuditEntry] = []
            for index in 1...12 {
                let entry = Fixture.entry(
                    index.isMultiple(of: 3) ? "case:C-1" : "user:x", "change \(index) — dòng \"\(index)\"",
                    command: "CMD \(index)", actor: index.isMultiple(of: 4) ? deputy : Fixture.actor)
                try await store.appendAudit(entry)
                written.append(entry)
                clock.advance(60)
            }
            let all = try await store.auditRecords(entity: nil, limit: 100, offset: 0)
            #expect(all.map(\.entry) == written)
            #expect(all.map(\.sequence) == Array(1...12))
            // Each record's hash is the chain's, over the one before: any backend hashes alike.
            var previous = ""
            for record in all {
                #expect(
                    record.hash
                        == AuditChain.hash(
                            previous: previous, sequence: record.sequence, at: Timestamp.format(record.at),
                            entry: record.entry))
                previous = record.hash
            }
            #expect(all.first?.at == clock.now.addingTimeInterval(-12 * 60))
            let verified = try await store.verifyAudit()
            #expect(verified == AuditVerification(records: 12, head: previous, firstBroken: nil))
            #expect(AuditChain.verify(all) == verified)

            // Paging and the entity filter.
            #expect(try await store.auditRecords(entity: nil, limit: 5, offset: 5).map(\.sequence) == Array(6...10))
            #expect(
                try await store.auditRecords(entity: "case:C-1", limit: 100, offset: 0).map(\.sequence) == [
                    3, 6, 9, 12,
                ])
            #expect(try await store.auditRecords(entity: "case:C-1", limit: 2, offset: 1).map(\.sequence) == [6, 9])
            #expect(try await store.auditRecords(entity: "nothing", limit: 100, offset: 0).isEmpty)

            // The search: every filter at once, the actor acting or acted for, `after` inclusive, `before` not.
            let start = all[0].at
            let byLan = try await store.auditRecords(
                actor: "lan", entity: nil, after: nil, before: nil, limit: 100, offset: 0)
            #expect(byLan.records.map(\.sequence) == [4, 8, 12] && byLan.total == 3)
            let window = try await store.auditRecords(
                actor: nil, entity: "user:x", after: start.addingTimeInterval(60),
                before: start.addingTimeInterval(7 * 60),
                limit: 2, offset: 1)
            #expect(window.records.map(\.sequence) == [4, 5] && window.total == 4, "2, 4, 5, 7 match")
            let everything = try await store.auditRecords(
                actor: nil, entity: nil, after: nil, before: nil, limit: 3, offset: 0)
            #expect(everything.records.map(\.sequence) == [1, 2, 3] && everything.total == 12)
            let none = try await store.auditRecords(
                actor: "admin", entity: "case:C-1", after: nil, before: start, limit: 10, offset: 0)
            #expect(none.records.isEmpty && none.total == 0)
        }
    }

    @Test(arguments: StoreBackend.all)
    func eventsAreNumberedInOrderAndReadBackExactly(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, clock in
            #expect(try await store.eventBounds() == EventBounds(droppedThrough: 0, head: 0))
            let actor = Actor(login: "hung", onBehalfOf: "lan", connection: "c7@10.0.0.7")
            let first = Fixture.draft(
                .caseSubmitted,
                details: [EventDetail("case", "C-4"), EventDetail("kind", "housing-repair"), EventDetail("a", "=")],
                concerns: ["lan", "son"])
            let second = Fixture.draft(.taskState, commune: nil, details: [EventDetail("task", "T-2")], concerns: [])
            // Two events of one transaction, then one that carries none, then one more.
            try await store.appendAudit(Fixture.entry("case:C-4", "submitted", actor: actor, events: [first, second]))
            try await store.appendAudit(Fixture.entry("user:x", "no event"))
            clock.advance(60)
            try await store.appendAudit(Fixture.entry("task:T-2", "state", events: [second]))
            let events = try await store.events(after: 0, through: nil, limit: 10)
            #expect(events.map(\.sequence) == [1, 2, 3])
            #expect(events[0].draft == first && events[1].draft == second && events[2].draft == second)
            #expect(events[0].actor == "hung" && events[0].onBehalfOf == "lan")
            #expect(events[0].at == clock.now.addingTimeInterval(-60) && events[2].at == clock.now)
            #expect(events[2].actor == "admin" && events[2].onBehalfOf == nil)
            #expect(try await store.eventBounds() == EventBounds(droppedThrough: 0, head: 3))
            #expect(try await store.events(after: 1, through: nil, limit: 10).map(\.sequence) == [2, 3])
            #expect(try await store.events(after: 0, through: 2, limit: 10).map(\.sequence) == [1, 2])
            #expect(try await store.events(after: 0, through: nil, limit: 1).map(\.sequence) == [1])
            #expect(try await store.events(after: 3, through: nil, limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.all)
    func retentionDropsOldEventsAndNeverReusesTheirNumbers(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, clock in
            for _ in 1...3 { try await store.appendAudit(Fixture.entry("task:T-1", events: [Fixture.draft()])) }
            clock.advance(3_600)
            let cutoff = clock.now
            for _ in 1...2 { try await store.appendAudit(Fixture.entry("task:T-1", events: [Fixture.draft()])) }
            let audited = try await store.verifyAudit()
            #expect(try await store.dropEvents(before: cutoff) == 3)
            #expect(try await store.eventBounds() == EventBounds(droppedThrough: 3, head: 5))
            #expect(try await store.events(after: 0, through: nil, limit: 10).map(\.sequence) == [4, 5])
            #expect(try await store.verifyAudit() == audited, "retention keeps no audit record and drops none")
            #expect(try await store.dropEvents(before: cutoff) == 0)
            // Everything dropped: the next number still follows the last one given.
            clock.advance(60)
            #expect(try await store.dropEvents(before: clock.now) == 2)
            #expect(try await store.eventBounds() == EventBounds(droppedThrough: 5, head: 5))
            try await store.appendAudit(Fixture.entry("task:T-1", events: [Fixture.draft()]))
            #expect(try await store.events(after: 0, through: nil, limit: 10).map(\.sequence) == [6])
        }
    }

    @Test(arguments: StoreBackend.all)
    func eachDeadlineNoticeIsRaisedOnce(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, clock in
            try await Fixture.users(["lan"], in: store)
            let task = try await store.createTask(
                Fixture.task("Nộp báo cáo", creator: "lan"), transition: nil, claim: nil, audit: Fixture.entry("task:-")
            )
            func notice(_ kind: DeadlineRules.Kind, due: String, task id: String = task.id) -> DeadlineNotice {
                DeadlineNotice(
                    task: id, kind: kind, due: due,
                    event: Fixture.draft(
                        kind == .soon ? .taskDeadlineSoon : .taskOverdue, details: [EventDetail("task", id)],
                        concerns: ["lan"]))
            }
            let audited = try await store.verifyAudit()
            let head = try await store.eventBounds().head
            let notices = [notice(.soon, due: "2026-07-01"), notice(.overdue, due: "2026-07-01")]
            #expect(try await store.recordDeadlines(notices, at: clock.now) == 2)
            #expect(try await store.recordDeadlines(notices, at: clock.now) == 0)
            // A new due date is a new deadline.
            #expect(try await store.recordDeadlines([notice(.soon, due: "2026-08-01")] + notices, at: clock.now) == 1)
            let events = try await store.events(after: head, through: nil, limit: 10)
            #expect(events.map(\.draft.type) == [.taskDeadlineSoon, .taskOverdue, .taskDeadlineSoon])
            #expect(events.allSatisfy { $0.actor == "system" && $0.draft["task"] == task.id && $0.at == clock.now })
            #expect(try await store.verifyAudit() == audited, "notices are events only")
            #expect(try await store.recordDeadlines([], at: clock.now) == 0)
        }
    }

    @Test(arguments: StoreBackend.all)
    func anIdempotencyRecordIsOnePerLoginAndKeyForItsTime(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, clock in
            try await Fixture.users(["lan", "minh"], in: store)
            let task = try await store.createTask(
                Fixture.task("Một", creator: "lan"), transition: nil,
                claim: Fixture.claim("k", login: "lan", fingerprint: "A"),
                audit: Fixture.entry("task:-"))
            #expect(
                try await store.idempotencyRecord(login: "lan", key: "k", maxAge: 3_600)
                    == IdempotencyRecord(fingerprint: "A", entity: "task:\(task.id)"))
            #expect(
                try await store.idempotencyRecord(login: "minh", key: "k", maxAge: 3_600) == nil, "keys are per login")
            #expect(try await store.idempotencyRecord(login: "lan", key: "other", maxAge: 3_600) == nil)
            // Another login's key of the same name is its own.
            let theirs = try await store.createTask(
                Fixture.task("Hai", creator: "minh"), transition: nil,
                claim: Fixture.claim("k", login: "minh", fingerprint: "B"),
                audit: Fixture.entry("task:-"))
            #expect(
                try await store.idempotencyRecord(login: "minh", key: "k", maxAge: 3_600)?.entity == "task:\(theirs.id)"
            )
            #expect(try await store.idempotencyRecord(login: "lan", key: "k", maxAge: 3_600)?.fingerprint == "A")
            // Remembered for maxAge, then forgotten; a later claim of the key replaces the record.
            clock.advance(1_800)
            #expect(try await store.idempotencyRecord(login: "lan", key: "k", maxAge: 3_600) != nil)
            #expect(try await store.idempotencyRecord(login: "lan", key: "k", maxAge: 600) == nil)
            let again = try await store.createTask(
                Fixture.task("Ba", creator: "lan"), transition: nil,
                claim: Fixture.claim("k", login: "lan", fingerprint: "C"),
                audit: Fixture.entry("task:-"))
            #expect(
                try await store.idempotencyRecord(login: "lan", key: "k", maxAge: 600)
                    == IdempotencyRecord(fingerprint: "C", entity: "task:\(again.id)"))
        }
    }

    /// A consumer that reads only when ticked must end up with every event: the last tick comes after the last
    /// commit. A backend that ticked before committing (or not at all) leaves it short.
    @Test(arguments: StoreBackend.all)
    func eventsWrittenTicksAfterTheCommit(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            let writes = 40
            let consumer = Task { () -> [Int64] in
                var seen: [Int64] = []
                for await _ in store.eventsWritten {
                    let new = try await store.events(after: seen.last ?? 0, through: nil, limit: 1_000)
                    seen += new.map(\.sequence)
                    if seen.count >= writes { break }
                }
                return seen
            }
            for index in 1...writes {
                try await store.appendAudit(
                    Fixture.entry(
                        "task:T-\(index)", events: [Fixture.draft(details: [EventDetail("task", "T-\(index)")])]))
                if index.isMultiple(of: 10) { try await Task.sleep(for: .milliseconds(20)) }
            }
            let deadline = Task {
                try await Task.sleep(for: .seconds(10))
                consumer.cancel()
            }
            let seen = try await consumer.value
            deadline.cancel()
            #expect(seen == (1...Int64(writes)).map { $0 }, "the ticks let the consumer read every event")
        }
    }
}
