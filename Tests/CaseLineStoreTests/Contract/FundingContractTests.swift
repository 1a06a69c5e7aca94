import CaseLineDomain
import CaseLineStore
import Foundation
import Testing

/// The funding ledger (CLP1.md §10.13): allocations, payments and carry-overs kept whole and audited, the
/// balance checked inside the write (racing payments never overdraw), and what cases carry for reports.
@Suite("Store contract: funding ledger")
struct FundingContractTests {
    static func allocation(
        year: Int = 2023, unit: String = Fixture.commune, source: FundingSource = .central,
        nature: FundNature? = .recurrent, amount: Int64 = 100_000_000, carriedFrom: String? = nil
    ) -> Allocation {
        Allocation(
            year: year, unit: unit, project: .housing, source: source, nature: nature, amount: amount,
            document: "QĐ 12/QĐ-UBND", carriedFrom: carriedFrom, note: "Nhà ở \"đợt 1\"", by: "lan")
    }

    static func payment(_ allocation: String, _ amount: Int64, caseID: String? = nil, override: String? = nil)
        -> Disbursement
    {
        Disbursement(
            allocation: allocation, amount: amount, date: CivilDate(year: 2023, month: 6, day: 15)!, caseID: caseID,
            document: "UNC 7", override: override, by: "lan")
    }

    /// An approved housing case of `amount` VND (made directly in the store).
    static func approvedCase(_ store: any Store, amount: Int64 = 50_000_000, approve: Bool = true) async throws
        -> CaseFile
    {
        let created = try await store.createCase(
            CaseFile(
                kind: .housingNew, commune: Fixture.commune, title: "Nhà mới", amount: amount,
                funding: [.init(source: "central", amount: amount)], creator: "lan"),
            claim: nil, audit: Fixture.entry("case:-"))
        guard approve else { return created }
        var approved = created
        approved.state = .approved
        return try await store.saveCase(approved, expectedRevision: 1, steps: [], audit: Fixture.entry("case:C-1"))
    }

    @Test(arguments: StoreBackend.all)
    func anAllocationIsKeptWholeAndAudited(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, clock in
            try await Fixture.users(["lan"], in: store)
            try await expectRefused(.invalid, by: store) {
                try await store.createAllocation(
                    Self.allocation(nature: nil), claim: nil, audit: Fixture.entry("allocation:-"))
            }
            try await expectRefused(.invalid, by: store) {
                try await store.createAllocation(
                    Self.allocation(year: 2026, source: .district, nature: nil), claim: nil,
                    audit: Fixture.entry("allocation:-"))
            }
            let new = Self.allocation()
            let stored = try await store.createAllocation(
                new, claim: Fixture.claim("a1"), audit: Fixture.entry("allocation:-", "allocated AL-?"))
            #expect(stored.id == "AL-1" && stored.recordedAt == clock.now)
            var comparable = stored
            comparable.id = ""
            comparable.recordedAt = new.recordedAt
            #expect(comparable == new)
            #expect(
                try await store.idempotencyRecord(login: "admin", key: "a1", maxAge: 60)?.entity == "allocation:AL-1")
            let audit = try await store.auditRecords(entity: "allocation:AL-1", limit: 5, offset: 0)
            #expect(audit.map(\.entry.change) == ["allocated AL-1"])
            let legacy = try await store.createAllocation(
                Self.allocation(year: 2024, unit: "legacy:05500", source: .provincial, nature: nil), claim: nil,
                audit: Fixture.entry("allocation:-"))
            #expect(try await store.allocation(id: "AL-1")?.allocation == stored)
            #expect(try await store.allocation(id: "AL-9") == nil)
            #expect(try await store.allocation(id: "C-1") == nil)
            #expect(try await store.fundLedger(units: nil, years: nil).allocations == [stored, legacy])
            #expect(try await store.fundLedger(units: ["legacy:05500"], years: nil).allocations == [legacy])
            #expect(try await store.fundLedger(units: nil, years: 2023...2023).allocations == [stored])
            #expect(try await store.fundLedger(units: [], years: nil).allocations.isEmpty)
        }
    }

    @Test(arguments: StoreBackend.all)
    func paymentsAndCarryOversKeepTheLedgerBalanced(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            try await Fixture.users(["lan"], in: store)
            let a = try await store.createAllocation(
                Self.allocation(), claim: nil, audit: Fixture.entry("allocation:-"))
            let first = try await store.recordDisbursement(
                Self.payment(a.id, 60_000_000), claim: Fixture.claim("d1"),
                audit: Fixture.entry("allocation:-", "disbursed DB-?"))
            #expect(first.id == "DB-1" && first.allocation == "AL-1" && first.amount == 60_000_000)
            #expect(first.date.description == "2023-06-15" && first.document == "UNC 7" && first.override == nil)
            #expect(
                try await store.idempotencyRecord(login: "admin", key: "d1", maxAge: 60)?.entity == "disbursement:DB-1")
            #expect(
                try await store.auditRecords(entity: "allocation:AL-1", limit: 5, offset: 0).map(\.entry.change) == [
                    "changed", "disbursed DB-1",
                ])
            try await expectRefused(.invalid, details: ["available": "40000000"], by: store) {
                try await store.recordDisbursement(
                    Self.payment(a.id, 40_000_001), claim: nil, audit: Fixture.entry("allocation:AL-1"))
            }
            try await expectRefused(.invalid, by: store) {
                try await store.recordDisbursement(
                    Self.payment(a.id, 1, override: "nothing to override"), claim: nil,
                    audit: Fixture.entry("allocation:AL-1"))
            }
            try await expectRefused(.notFound, by: store) {
                try await store.recordDisbursement(
                    Self.payment("AL-7", 1), claim: nil, audit: Fixture.entry("allocation:AL-7"))
            }
            // Carry 30 of the 40 left over to 2024; 10 stay; then no more than 10 can go either way.
            let carried = try await store.createAllocation(
                Self.allocation(year: 2024, amount: 30_000_000, carriedFrom: a.id), claim: nil,
                audit: Fixture.entry("allocation:-"))
            #expect(carried.carriedFrom == "AL-1" && carried.year == 2024)
            try await expectRefused(.invalid, details: ["available": "10000000"], by: store) {
                try await store.createAllocation(
                    Self.allocation(year: 2024, amount: 10_000_001, carriedFrom: a.id), claim: nil,
                    audit: Fixture.entry("allocation:-"))
            }
            try await expectRefused(.invalid, by: store) {
                try await store.createAllocation(
                    Self.allocation(year: 2023, amount: 1, carriedFrom: a.id), claim: nil,
                    audit: Fixture.entry("allocation:-"))
            }
            try await expectRefused(.notFound, by: store) {
                try await store.createAllocation(
                    Self.allocation(year: 2024, amount: 1, carriedFrom: "AL-9"), claim: nil,
                    audit: Fixture.entry("allocation:-"))
            }
            let over = try await store.recordDisbursement(
                Self.payment(a.id, 15_000_000, override: "QĐ bổ sung 3/2023"), claim: nil,
                audit: Fixture.entry("allocation:AL-1"))
            #expect(over.override == "QĐ bổ sung 3/2023")
            let shown = try #require(try await store.allocation(id: "AL-1"))
            #expect(shown.ledger.allocations.map(\.id) == ["AL-1", "AL-2"])
            #expect(shown.ledger.disbursements.map(\.id) == ["DB-1", "DB-2"])
            #expect(
                shown.ledger.balances["AL-1"]
                    == FundBalance(amount: 100_000_000, disbursed: 75_000_000, carriedOut: 30_000_000, overrides: 1))
            let ledger = try await store.fundLedger(units: [Fixture.commune], years: nil)
            #expect(ledger.disbursements == [first, over])
            #expect(ledger.balances["AL-2"] == FundBalance(amount: 30_000_000))
        }
    }

    @Test(arguments: StoreBackend.all)
    func aCaseIsPaidOnceApprovedAndNotBeyondItsAmount(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            try await Fixture.users(["lan"], in: store)
            let a = try await store.createAllocation(
                Self.allocation(), claim: nil, audit: Fixture.entry("allocation:-"))
            let draft = try await Self.approvedCase(store, approve: false)
            try await expectRefused(.invalid, by: store) {
                try await store.recordDisbursement(
                    Self.payment(a.id, 1, caseID: draft.id), claim: nil, audit: Fixture.entry("allocation:AL-1"))
            }
            var approved = draft
            approved.state = .approved
            approved = try await store.saveCase(
                approved, expectedRevision: 1, steps: [], audit: Fixture.entry("case:C-1"))
            let paid = try await store.recordDisbursement(
                Self.payment(a.id, 50_000_000, caseID: approved.id), claim: nil,
                audit: Fixture.entry("allocation:AL-1"))
            #expect(paid.caseID == "C-1")
            try await expectRefused(.invalid, by: store) {
                try await store.recordDisbursement(
                    Self.payment(a.id, 1, caseID: approved.id), claim: nil, audit: Fixture.entry("allocation:AL-1"))
            }
            try await expectRefused(.notFound, by: store) {
                try await store.recordDisbursement(
                    Self.payment(a.id, 1, caseID: "C-9"), claim: nil, audit: Fixture.entry("allocation:AL-1"))
            }
        }
    }

    @Test(arguments: StoreBackend.all)
    func aCaseKeepsItsYearBeneficiariesAndHousingProgress(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, clock in
            try await Fixture.users(["lan"], in: store)
            let created = try await Self.approvedCase(store, approve: false)
            #expect(created.year == Int(Timestamp.format(clock.now).prefix(4)), "the year of creation by default")
            var file = created
            file.state = .approved
            file.decidedAt = clock.now
            file.year = 2023
            file.beneficiaries = Beneficiaries(poor: 896, nearPoor: 1_148, minority: 40)
            file.progress = HousingProgress(started: CivilDate("2023-05-02"), finished: CivilDate("2023-09-30"))
            let saved = try await store.saveCase(file, expectedRevision: 1, steps: [], audit: Fixture.entry("case:C-1"))
            #expect(saved.year == 2023 && saved.beneficiaries.persons == 2_044 && saved.beneficiaries.minority == 40)
            #expect(saved.progress.finished?.description == "2023-09-30" && saved.progress.handedOver == nil)
            #expect(try await store.caseFile(id: "C-1") == saved)
            #expect(try await store.cases(communes: [Fixture.commune]) == [saved])
            // What REPORT OUTPUTS reads: approved cases of the communes and programme years, nothing else.
            var withHouseholds = try await Self.approvedCase(store, amount: 25_000_000, approve: false)
            withHouseholds.households = ["HH-1", "HH-2"]
            withHouseholds.year = 2024
            _ = try await store.saveCase(
                withHouseholds, expectedRevision: 1, steps: [], audit: Fixture.entry("case:C-2"))
            _ = try await Self.approvedCase(store)
            let outputs = try await store.caseOutputs(communes: [Fixture.commune], years: 2023...2023)
            #expect(outputs == [try #require(CaseOutput(saved))])
            #expect(outputs.first?.beneficiaries.persons == 2_044 && outputs.first?.households == 0)
            #expect(try await store.caseOutputs(communes: nil, years: 2023...2024).map(\.id) == ["C-1"])
            #expect(try await store.caseOutputs(communes: [Fixture.otherCommune], years: 2023...2023).isEmpty)
            var approved = try #require(try await store.caseFile(id: "C-2"))
            approved.state = .approved
            approved.decidedAt = clock.now
            _ = try await store.saveCase(approved, expectedRevision: 2, steps: [], audit: Fixture.entry("case:C-2"))
            let both = try await store.caseOutputs(communes: nil, years: 2023...2024)
            #expect(both.map(\.id) == ["C-1", "C-2"] && both.last?.households == 2 && both.last?.year == 2024)
        }
    }

    /// Ten payments race for an allocation that can pay three of them: three are kept, seven refused, and
    /// the balance is exact. Then payments and carry-overs race for what is left.
    @Test(arguments: StoreBackend.all)
    func racingPaymentsNeverOverdraw(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            try await Fixture.users(["lan"], in: store)
            let a = try await store.createAllocation(
                Self.allocation(amount: 100_000), claim: nil, audit: Fixture.entry("allocation:-"))
            let results = await race(10) { _ in
                try await store.recordDisbursement(
                    Self.payment(a.id, 30_000), claim: nil, audit: Fixture.entry("allocation:AL-1"))
            }
            let kept = results.filter { if case .success = $0 { true } else { false } }
            #expect(kept.count == 3)
            for case .failure(let error) in results { #expect((error as? DomainError)?.code == .invalid, "\(error)") }
            let b = try #require(try await store.fundLedger(units: nil, years: nil).balances[a.id])
            #expect(b.disbursed == 90_000 && b.available == 10_000)
            let mixed = await race(6) { index in
                if index % 2 == 0 {
                    _ = try await store.recordDisbursement(
                        Self.payment(a.id, 4_000), claim: nil, audit: Fixture.entry("allocation:AL-1"))
                } else {
                    _ = try await store.createAllocation(
                        Self.allocation(year: 2024, amount: 4_000, carriedFrom: a.id), claim: nil,
                        audit: Fixture.entry("allocation:-"))
                }
                return index
            }
            #expect(mixed.filter { if case .success = $0 { true } else { false } }.count == 2)
            let after = try #require(try await store.fundLedger(units: nil, years: nil).balances[a.id])
            #expect(after.disbursed + after.carriedOut == 98_000 && after.available == 2_000)
        }
    }

    /// A bounded random walk of allocations, payments (some with overrides) and carry-overs, each sent to the
    /// store and kept or refused as the rules say; the store's balances match a model that applies the rules
    /// itself, and no allocation without an override is overdrawn.
    @Test(arguments: StoreBackend.all)
    func aRandomWalkLeavesNoAllocationOverdrawn(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            try await Fixture.users(["lan"], in: store)
            var generator = LedgerWalkGenerator(seed: 20_261_201)
            var model = FundLedger(allocations: [], disbursements: [])
            for step in 0..<60 {
                let balances = model.balances
                let pick = model.allocations.isEmpty ? 0 : Int.random(in: 0..<6, using: &generator)
                do {
                    switch pick {
                    case 0:
                        let stored = try await store.createAllocation(
                            Self.allocation(amount: Int64.random(in: 1...100, using: &generator) * 1_000), claim: nil,
                            audit: Fixture.entry("allocation:-"))
                        model.allocations.append(stored)
                    case 1:
                        let source = model.allocations.randomElement(using: &generator)!
                        let amount = Int64.random(in: 1...60, using: &generator) * 1_000
                        let admitted =
                            FundingRules.problem(
                                carrying: amount, from: source, balance: balances[source.id]!, to: source.year + 1)
                            == nil
                        do {
                            let stored = try await store.createAllocation(
                                Self.allocation(year: source.year + 1, amount: amount, carriedFrom: source.id),
                                claim: nil, audit: Fixture.entry("allocation:-"))
                            #expect(admitted, "step \(step): the store kept a carry the rules refuse")
                            model.allocations.append(stored)
                        } catch let error as DomainError {
                            #expect(!admitted && error.code == .invalid, "step \(step): \(error)")
                        }
                    default:
                        let source = model.allocations.randomElement(using: &generator)!
                        let amount = Int64.random(in: 1...50, using: &generator) * 1_000
                        let override = Int.random(in: 0..<5, using: &generator) == 0 ? "bổ sung \(step)" : nil
                        let payment = Self.payment(source.id, amount, override: override)
                        let admitted =
                            FundingRules.problem(disbursing: payment, from: source, balance: balances[source.id]!)
                            == nil
                        do {
                            let stored = try await store.recordDisbursement(
                                payment, claim: nil, audit: Fixture.entry("allocation:\(source.id)"))
                            #expect(admitted, "step \(step): the store kept a payment the rules refuse")
                            model.disbursements.append(stored)
                        } catch let error as DomainError {
                            #expect(!admitted && error.code == .invalid, "step \(step): \(error)")
                        }
                    }
                }
            }
            let stored = try await store.fundLedger(units: nil, years: nil)
            #expect(stored == model)
            for (id, b) in stored.balances where b.overrides == 0 {
                #expect(b.disbursed + b.carriedOut <= b.amount, "\(id): \(b)")
            }
        }
    }
}

/// SplitMix64: the walk is the same on every run and every backend.
struct LedgerWalkGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
