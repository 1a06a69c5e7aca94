import CaseLineDomain
import CaseLineStore
import Foundation
import Testing

/// Cases and their approval steps, approval chains, delegations.
@Suite("Store contract: cases, chains, delegations")
struct CaseContractTests {
    static func housing(commune: String = Fixture.commune, households: [String] = []) -> CaseFile {
        CaseFile(
            kind: .housingRepair, commune: commune, title: "Sửa nhà", description: "Mái dột",
            amount: 20_000_000,
            funding: [.init(source: "NSTW", amount: 12_000_000), .init(source: "XHH", amount: 8_000_000)],
            households: households, documents: ["biên bản \"khảo sát\".pdf", "ảnh\\1.jpg"], creator: "lan",
            chain: [ChainStep(role: .chair, level: .commune), ChainStep(role: .chair, level: .province)], year: 2025,
            beneficiaries: Beneficiaries(poor: 3, nearPoor: 1, minority: 2))
    }

    @Test(arguments: StoreBackend.all)
    func aCaseIsStoredWholeAndSavedWithItsStepsByRevision(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, clock in
            try await Fixture.users(["lan", "son"], in: store)
            let household = try await store.createHousehold(
                Fixture.household(idNumber: nil), claim: nil, audit: Fixture.entry("household:-"))
            let file = Self.housing(households: [household.id])
            let created = try await store.createCase(file, claim: Fixture.claim("c1"), audit: Fixture.entry("case:-"))
            #expect(created.id == "C-1" && created.revision == 1 && created.state == .draft)
            #expect(created.createdAt == clock.now && created.updatedAt == clock.now)
            var comparable = created
            comparable.id = file.id
            comparable.createdAt = file.createdAt
            comparable.updatedAt = file.updatedAt
            #expect(comparable == file, "every field, lists with quotes and backslashes included")
            #expect(try await store.caseFile(id: "C-1") == created)
            #expect(try await store.caseFile(id: "C-2") == nil)
            #expect(try await store.caseFile(id: "T-1") == nil)
            #expect(try await store.idempotencyRecord(login: "admin", key: "c1", maxAge: 60)?.entity == "case:C-1")
            #expect(try await store.auditRecords(entity: "case:C-1", limit: 5, offset: 0).count == 1)

            clock.advance(60)
            var submitted = created
            submitted.state = .submitted
            submitted.submitter = "lan"
            submitted.submitters = ["lan"]
            submitted.editors = ["lan"]
            submitted.submittedAt = clock.now
            submitted.waitingSince = clock.now
            submitted.round = 1
            submitted.step = 1
            let steps = [
                CaseStep(
                    caseID: "C-1", round: 1, number: 1, step: created.chain[0], state: .waiting, waitingSince: clock.now
                ),
                CaseStep(caseID: "C-1", round: 1, number: 2, step: created.chain[1], state: .queued),
            ]
            let saved = try await store.saveCase(
                submitted, expectedRevision: 1, steps: steps, audit: Fixture.entry("case:C-1"))
            #expect(saved.revision == 2 && saved.updatedAt == clock.now)
            var expected = submitted
            expected.revision = 2
            expected.updatedAt = clock.now
            #expect(saved == expected)
            #expect(try await store.steps(caseID: "C-1") == steps)

            // A step written again (same round and number) is replaced; a new round follows the old one.
            clock.advance(60)
            var approved = steps[0]
            approved.state = .approved
            approved.by = "son"
            approved.at = clock.now
            approved.note = "Đồng ý"
            let round2 = CaseStep(caseID: "C-1", round: 2, number: 1, step: created.chain[0], state: .queued)
            _ = try await store.saveCase(
                saved, expectedRevision: 2, steps: [round2, approved], audit: Fixture.entry("case:C-1"))
            #expect(try await store.steps(caseID: "C-1") == [approved, steps[1], round2])
            try await expectRefused(.conflict, details: ["current": "3"], by: store) {
                try await store.saveCase(saved, expectedRevision: 2, steps: [], audit: Fixture.entry("case:C-1"))
            }
            var missing = saved
            missing.id = "C-99"
            try await expectRefused(.notFound, by: store) {
                try await store.saveCase(missing, expectedRevision: 1, steps: [], audit: Fixture.entry("case:C-99"))
            }
            #expect(try await store.steps(caseID: "C-99").isEmpty)
        }
    }

    @Test(arguments: StoreBackend.all)
    func casesAreListedByCommuneAndByStateNewestFirst(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            try await Fixture.users(["lan"], in: store)
            var ids: [String] = []
            for (index, commune) in ["02014", "01912", "02014"].enumerated() {
                var file = Self.housing(commune: commune)
                file.state = index == 1 ? .submitted : .draft
                ids.append(try await store.createCase(file, claim: nil, audit: Fixture.entry("case:-")).id)
            }
            #expect(try await store.cases(communes: nil).map(\.id) == ids.reversed())
            #expect(try await store.cases(communes: ["02014"]).map(\.id) == [ids[2], ids[0]])
            #expect(try await store.cases(communes: []).isEmpty)
            #expect(try await store.cases(state: .submitted).map(\.id) == [ids[1]])
            #expect(try await store.cases(state: .draft).map(\.id) == [ids[2], ids[0]])
            #expect(try await store.cases(state: .approved).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.all)
    func householdsAreMappedToTheirCommunes(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            let first = try await store.createHousehold(
                Fixture.household(idNumber: "001"), claim: nil, audit: Fixture.entry("household:-"))
            let second = try await store.createHousehold(
                Fixture.household(idNumber: "002", commune: "01912"), claim: nil, audit: Fixture.entry("household:-"))
            #expect(
                try await store.householdCommunes([first.id, second.id, "HH-99", "bogus"])
                    == [first.id: "02014", second.id: "01912"])
            #expect(try await store.householdCommunes([]) == [:])
        }
    }

    @Test(arguments: StoreBackend.all)
    func aKindHasOneChainSetByRevision(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, clock in
            let initial = try await store.chains()
            #expect(initial.map(\.kind) == CaseFile.Kind.allCases)
            #expect(initial.allSatisfy { $0 == .initial($0.kind) })
            let steps = [ChainStep(role: .chair, level: .commune), ChainStep(role: .deputy, level: .province)]
            let set = try await store.setChain(
                ApprovalChain(kind: .livelihood, steps: steps, updatedBy: "admin"), expectedRevision: 1,
                audit: Fixture.entry("chain:livelihood"))
            #expect(set.revision == 2 && set.steps == steps && set.updatedBy == "admin" && set.updatedAt == clock.now)
            let stored = try await store.chains()
            #expect(stored.first { $0.kind == .livelihood } == set)
            #expect(stored.filter { $0.kind != .livelihood }.allSatisfy { $0 == .initial($0.kind) })
            try await expectRefused(.conflict, details: ["current": "2"], by: store) {
                try await store.setChain(
                    ApprovalChain(kind: .livelihood, steps: [steps[0]]), expectedRevision: 1,
                    audit: Fixture.entry("chain:livelihood"))
            }
            let forced = try await store.setChain(
                ApprovalChain(kind: .livelihood, steps: [steps[1]]), expectedRevision: nil,
                audit: Fixture.entry("chain:livelihood"))
            #expect(forced.revision == 3)
            #expect(try await store.chains().first { $0.kind == .livelihood }?.steps == [steps[1]])
        }
    }

    @Test(arguments: StoreBackend.all)
    func openDelegationsOfOneDelegatorNeverOverlap(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, clock in
            try await Fixture.users(["lan", "hung", "minh"], in: store)
            let today = "2025-08-10"
            let first = try await store.createDelegation(
                Delegation(
                    delegator: "lan", delegate: "hung", from: "2025-08-10", until: "2025-08-20", note: "đi công tác"),
                today: today, claim: Fixture.claim("d1", login: "lan"), audit: Fixture.entry("delegation:-"))
            #expect(first.id == "DL-1" && first.revision == 1 && first.createdAt == clock.now && first.endedAt == nil)
            #expect(first.delegator == "lan" && first.delegate == "hung" && first.note == "đi công tác")
            #expect(try await store.delegation(id: "DL-1") == first)
            #expect(try await store.delegation(id: "DL-2") == nil)
            #expect(try await store.idempotencyRecord(login: "lan", key: "d1", maxAge: 60)?.entity == "delegation:DL-1")

            try await expectRefused(.invalid, by: store) {
                try await store.createDelegation(
                    Delegation(delegator: "lan", delegate: "minh", from: "2025-08-20", until: "2025-08-25"),
                    today: today, claim: nil, audit: Fixture.entry("delegation:-"))
            }
            // Adjacent windows, another delegator, a window that has already passed: none overlaps.
            let later = try await store.createDelegation(
                Delegation(delegator: "lan", delegate: "minh", from: "2025-08-21", until: "2025-08-25"),
                today: today, claim: nil, audit: Fixture.entry("delegation:-"))
            let hungs = try await store.createDelegation(
                Delegation(delegator: "hung", delegate: "minh", from: "2025-08-10", until: "2025-08-20"),
                today: today, claim: nil, audit: Fixture.entry("delegation:-"))
            // Latest start first; of one start, the latest created first. (Ids increase; a refused write may
            // have used a number, so none is assumed.)
            #expect(try await store.delegations().map(\.id) == [later.id, hungs.id, first.id], "latest start first")

            try await expectRefused(.conflict, details: ["current": "1"], by: store) {
                try await store.endDelegation(
                    id: first.id, by: "lan", expectedRevision: 5, today: today, audit: Fixture.entry("delegation:DL-1"))
            }
            clock.advance(60)
            let ended = try await store.endDelegation(
                id: first.id, by: "lan", expectedRevision: 1, today: today, audit: Fixture.entry("delegation:DL-1"))
            #expect(ended.endedAt == clock.now && ended.endedBy == "lan" && ended.revision == 2)
            #expect(try await store.delegation(id: first.id) == ended)
            try await expectRefused(.invalid, by: store) {
                try await store.endDelegation(
                    id: first.id, by: "lan", expectedRevision: nil, today: today,
                    audit: Fixture.entry("delegation:DL-1"))
            }
            // An expired one cannot be ended either.
            try await expectRefused(.invalid, by: store) {
                try await store.endDelegation(
                    id: later.id, by: "lan", expectedRevision: nil, today: "2025-09-01",
                    audit: Fixture.entry("delegation:\(later.id)"))
            }
            try await expectRefused(.notFound, by: store) {
                try await store.endDelegation(
                    id: "DL-99", by: "lan", expectedRevision: nil, today: today,
                    audit: Fixture.entry("delegation:DL-99"))
            }
            // Once ended, its window is free again.
            _ = try await store.createDelegation(
                Delegation(delegator: "lan", delegate: "minh", from: "2025-08-12", until: "2025-08-20"),
                today: today, claim: nil, audit: Fixture.entry("delegation:-"))
        }
    }
}
