import CaseLineDomain
import CaseLineStore
import Foundation
import NIOConcurrencyHelpers
import Testing

// What every contract suite shares: a fresh store per test from a `StoreBackend`, a clock the test moves,
// fixtures, and the check that a refused write changed nothing. Files in Contract/ use the `Store` protocol
// only; they must not import a backend module.

/// The store's clock, moved by the test. It starts on a whole second, as stored times are.
struct TestClock: Sendable {
    private let box: NIOLockedValueBox<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_782_000_000)) { box = NIOLockedValueBox(start) }

    var now: Date { box.withLockedValue { $0 } }
    var read: @Sendable () -> Date { { [box] in box.withLockedValue { $0 } } }

    func advance(_ seconds: TimeInterval) { box.withLockedValue { $0 += seconds } }
}

extension StoreBackend {
    /// A fresh store for one test, closed and disposed of afterwards, whether the test passed or not.
    func withStore(
        clock: TestClock = TestClock(), _ body: (_ store: any Store, _ clock: TestClock) async throws -> Void
    ) async throws {
        let opened = try await open(clock.read)
        do {
            try await body(opened.store, clock)
        } catch {
            try? await opened.store.close()
            try await opened.dispose()
            throw error
        }
        try await opened.store.close()
        try await opened.dispose()
    }
}

extension StoreBackend {
    /// Two stores on the same data (two processes or nodes), both closed and disposed of afterwards.
    func withNodes(
        clock: TestClock = TestClock(),
        _ body: (_ first: any Store, _ second: any Store, _ clock: TestClock) async throws -> Void
    ) async throws {
        let opened = try await open(clock.read)
        do {
            let openPeer = try #require(opened.openPeer, "\(name) shares no data; it is not in StoreBackend.shared")
            let peer = try await openPeer()
            do {
                try await body(opened.store, peer, clock)
            } catch {
                try? await peer.close()
                throw error
            }
            try await peer.close()
        } catch {
            try? await opened.store.close()
            try await opened.dispose()
            throw error
        }
        try await opened.store.close()
        try await opened.dispose()
    }
}

/// What any write changes: the audit trail and the event log. A refused write must leave both as they were.
struct Footprint: Equatable, CustomStringConvertible {
    var auditRecords: Int64
    var auditHead: String
    var eventHead: Int64

    init(_ store: any Store) async throws {
        let verification = try await store.verifyAudit()
        auditRecords = verification.records
        auditHead = verification.head
        eventHead = try await store.eventBounds().head
    }

    var description: String { "audit records=\(auditRecords) event head=\(eventHead)" }
}

/// Runs a write the contract refuses: it must throw `DomainError` with `code` and with each of `details`, and it
/// must change nothing (no audit record, no event). Returns the error for further checks.
@discardableResult
func expectRefused<T>(
    _ code: DomainError.Code, details: [String: String] = [:], by store: any Store,
    sourceLocation: SourceLocation = #_sourceLocation, _ write: () async throws -> T
) async throws -> DomainError? {
    let before = try await Footprint(store)
    var refusal: DomainError?
    do {
        let result = try await write()
        Issue.record("expected [\(code.rawValue)], the write succeeded: \(result)", sourceLocation: sourceLocation)
    } catch let error as DomainError {
        refusal = error
        #expect(error.code == code, "expected [\(code.rawValue)], got \(error)", sourceLocation: sourceLocation)
        for (key, value) in details {
            #expect(
                error.details.contains { $0 == (key, value) }, "\(key)=\(value) missing from \(error.details)",
                sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("expected [\(code.rawValue)], got \(error)", sourceLocation: sourceLocation)
    }
    let after = try await Footprint(store)
    #expect(after == before, "a refused write changed the store", sourceLocation: sourceLocation)
    return refusal
}

/// Fixtures: the same small world in every suite.
enum Fixture {
    static let actor = Actor(login: "admin", connection: "c1@127.0.0.1")
    static let commune = "02014"
    static let otherCommune = "01912"
    static let province = "19"

    static func entry(
        _ entity: String, _ change: String = "changed", command: String = "TEST", actor: Actor = Fixture.actor,
        events: [EventDraft] = []
    ) -> AuditEntry {
        AuditEntry(actor: actor, command: command, entity: entity, change: change, events: events)
    }

    static func user(_ login: String, role: Role = .officer, scope: Scope = .province(province)) -> User {
        User(login: login, name: "Người \(login)", role: role, scope: scope)
    }

    /// Creates the users (password hash "h").
    static func users(_ logins: [String], in store: any Store) async throws {
        for login in logins {
            try await store.createUser(user(login), passwordHash: "h", audit: entry("user:\(login)", "created"))
        }
    }

    static func claim(_ key: String, login: String = "admin", fingerprint: String? = nil) -> IdempotencyClaim {
        IdempotencyClaim(login: login, key: key, fingerprint: fingerprint ?? "fp-\(key)")
    }

    static func draft(
        _ type: EventType = .taskState, commune: String? = Fixture.commune, details: [EventDetail] = [],
        concerns: Set<String> = []
    ) -> EventDraft {
        EventDraft(type, province: province, commune: commune, details: details, concerns: concerns)
    }

    /// A commune committee with `members` seated (the users must exist).
    static func committee(
        unit: String = Fixture.commune, members: [String] = [], in store: any Store
    ) async throws -> Committee {
        let created = try await store.createCommittee(
            unit: unit, name: "Ban chỉ đạo \(unit)", decision: "12/QĐ-UBND", decided: "2025-07-01", claim: nil,
            audit: entry("committee:-", "created"))
        var committee = created
        for login in members {
            committee = try await store.addMember(
                Committee.Member(committee: created.id, login: login, position: .member, since: "2025-07-01"),
                expectedRevision: nil, audit: entry("committee:\(created.id)", "+\(login)"))
        }
        return committee
    }

    static func assignment(
        _ login: String, _ role: Assignment.Role = .lead, commune: String = Fixture.commune,
        from: String = "2025-07-01",
        committee: String
    ) -> Assignment {
        Assignment(
            id: "", commune: commune, login: login, role: role, from: from, decision: "34/QĐ-BCĐ", committee: committee)
    }

    static func household(idNumber: String?, commune: String = Fixture.commune, head: String = "Lò Văn Pá") -> Household
    {
        Household(
            commune: commune, village: "Bản Nà", area: .rural, head: head, gender: .male, birth: "1970-03-02",
            ethnicity: "Tày", idNumber: idNumber)
    }

    static func task(_ title: String, commune: String = Fixture.commune, assignee: String? = nil, creator: String)
        -> WorkTask
    {
        WorkTask(
            commune: commune, title: title, description: "Mô tả", state: assignee == nil ? .new : .assigned,
            component: "1", assignee: assignee, due: "2026-07-01", priority: .high, creator: creator)
    }
}

/// Runs `count` bodies at once and collects what each returned or threw, in index order.
func race<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) async throws -> T) async -> [Result<
    T, any Error
>] {
    await withTaskGroup(of: (Int, Result<T, any Error>).self) { group in
        for index in 0..<count {
            group.addTask {
                do { return (index, .success(try await body(index))) } catch { return (index, .failure(error)) }
            }
        }
        var results: [(Int, Result<T, any Error>)] = []
        for await result in group { results.append(result) }
        return results.sorted { $0.0 < $1.0 }.map(\.1)
    }
}

extension Result {
    var domainError: DomainError? {
        if case .failure(let error) = self { return error as? DomainError }
        return nil
    }

    var succeeded: Bool {
        if case .success = self { return true }
        return false
    }
}
