import CaseLineDomain
import Foundation
import Testing

/// The funding ledger's rules without I/O: what an allocation needs, and — over random walks of allocations,
/// payments, overrides and carry-overs — that no path makes disbursed + carried out exceed an allocation
/// without a recorded override.
@Suite struct FundingLedgerTests {
    static func allocation(
        _ id: String, year: Int = 2023, source: FundingSource = .provincial, nature: FundNature? = nil,
        amount: Int64, carriedFrom: String? = nil
    ) -> Allocation {
        Allocation(
            id: id, year: year, unit: "02014", project: .housing, source: source, nature: nature, amount: amount,
            document: "QĐ 1/2023", carriedFrom: carriedFrom, by: "lan")
    }

    static func payment(_ allocation: String, _ amount: Int64, override: String? = nil, year: Int = 2023)
        -> Disbursement
    {
        Disbursement(
            allocation: allocation, amount: amount, date: CivilDate(year: year, month: 3, day: 1)!, override: override,
            by: "lan")
    }

    @Test func anAllocationNamesAProjectOfQD90AndCentralMoneyItsNature() {
        #expect(FundingRules.problem(allocating: Self.allocation("AL-1", amount: 10)) == nil)
        #expect(FundingRules.problem(allocating: Self.allocation("AL-1", amount: 0))?.code == .invalid)
        #expect(FundingRules.problem(allocating: Self.allocation("AL-1", source: .central, amount: 10)) != nil)
        #expect(
            FundingRules.problem(allocating: Self.allocation("AL-1", source: .central, nature: .investment, amount: 10))
                == nil)
        #expect(
            FundingRules.problem(allocating: Self.allocation("AL-1", year: 2026, source: .district, amount: 10)) != nil)
        #expect(
            FundingRules.problem(allocating: Self.allocation("AL-1", year: 2025, source: .district, amount: 10)) == nil)
        var whole = Self.allocation("AL-1", amount: 10)
        whole.project = .communication
        #expect(FundingRules.problem(allocating: whole) != nil, "project 6 is allocated through 6.1 and 6.2")
        #expect(
            FundingRules.projects.map(\.rawValue) == [
                "1", "2", "3.1", "3.2", "4.1", "4.2", "4.3", "5", "6.1", "6.2", "7.1", "7.2",
            ])
    }

    @Test func aPaymentBeyondTheBalanceNeedsAnOverrideAndOnlyThen() {
        let a = Self.allocation("AL-1", amount: 100)
        let balance = FundBalance(amount: 100, disbursed: 60, carriedOut: 30)
        #expect(balance.available == 10)
        #expect(FundingRules.problem(disbursing: Self.payment("AL-1", 10), from: a, balance: balance) == nil)
        let refused = FundingRules.problem(disbursing: Self.payment("AL-1", 11), from: a, balance: balance)
        #expect(refused?.code == .invalid && refused?.details.first?.1 == "10")
        #expect(
            FundingRules.problem(
                disbursing: Self.payment("AL-1", 11, override: "QĐ bổ sung"), from: a, balance: balance)
                == nil)
        #expect(
            FundingRules.problem(disbursing: Self.payment("AL-1", 10, override: "x"), from: a, balance: balance) != nil,
            "an override that overrides nothing is refused")
        #expect(
            FundingRules.problem(disbursing: Self.payment("AL-1", 5, year: 2022), from: a, balance: balance) != nil,
            "money of 2023 pays nothing in 2022")
    }

    @Test func aRemainderIsCarriedToALaterYearOnly() {
        let a = Self.allocation("AL-1", amount: 100)
        let balance = FundBalance(amount: 100, disbursed: 70)
        #expect(FundingRules.problem(carrying: 30, from: a, balance: balance, to: 2024) == nil)
        #expect(FundingRules.problem(carrying: 31, from: a, balance: balance, to: 2024)?.code == .invalid)
        #expect(FundingRules.problem(carrying: 10, from: a, balance: balance, to: 2023) != nil)
        let district = Self.allocation("AL-2", year: 2025, source: .district, amount: 100)
        #expect(FundingRules.problem(carrying: 10, from: district, balance: FundBalance(amount: 100), to: 2026) != nil)
    }

    @Test func aCaseIsPaidOnceApprovedAndNotBeyondItsAmount() {
        var file = CaseFile(id: "C-1", kind: .housingNew, commune: "02014", title: "Nhà", amount: 50, creator: "lan")
        #expect(FundingRules.problem(paying: file, amount: 10, paidBefore: 0, override: nil) != nil)
        file.state = .approved
        #expect(FundingRules.problem(paying: file, amount: 50, paidBefore: 0, override: nil) == nil)
        #expect(FundingRules.problem(paying: file, amount: 1, paidBefore: 50, override: nil) != nil)
        #expect(FundingRules.problem(paying: file, amount: 1, paidBefore: 50, override: "giá tăng") == nil)
    }

    /// Random walks: each step tries an allocation, a payment (sometimes with an override, sometimes beyond the
    /// balance without one) or a carry-over, and keeps it only when the rules admit it, as a store does. After
    /// every step, every allocation without an override has disbursed + carried out ≤ its amount, and each
    /// override recorded was needed when it was made.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func noPathOverdrawsAnAllocationWithoutAnOverride(_ seed: UInt64) {
        var generator = SeededGenerator(seed: 20_261_201 &+ seed)
        var ledger = FundLedger(allocations: [], disbursements: [])
        var admitted = 0
        var overrides = 0
        for step in 0..<400 {
            let balances = ledger.balances
            switch ledger.allocations.isEmpty ? 0 : Int.random(in: 0..<10, using: &generator) {
            case 0, 1:
                let a = Self.allocation(
                    "AL-\(ledger.allocations.count + 1)", year: Int.random(in: 2022...2025, using: &generator),
                    amount: Int64.random(in: 0...1_000, using: &generator) * 1_000)
                if FundingRules.problem(allocating: a) == nil {
                    ledger.allocations.append(a)
                    admitted += 1
                }
            case 2, 3:
                let source = ledger.allocations.randomElement(using: &generator)!
                var carried = source
                carried.id = "AL-\(ledger.allocations.count + 1)"
                carried.year = source.year + Int.random(in: 0...2, using: &generator)
                carried.amount = Int64.random(in: 0...600, using: &generator) * 1_000
                carried.carriedFrom = source.id
                if FundingRules.problem(
                    carrying: carried.amount, from: source, balance: balances[source.id]!, to: carried.year) == nil
                {
                    #expect(carried.amount <= balances[source.id]!.available)
                    ledger.allocations.append(carried)
                    admitted += 1
                }
            default:
                let a = ledger.allocations.randomElement(using: &generator)!
                let override = Int.random(in: 0..<8, using: &generator) == 0 ? "step \(step)" : nil
                var payment = Self.payment(
                    a.id, Int64.random(in: 0...400, using: &generator) * 1_000, override: override, year: a.year)
                payment.id = "DB-\(ledger.disbursements.count + 1)"
                if FundingRules.problem(disbursing: payment, from: a, balance: balances[a.id]!) == nil {
                    if override != nil {
                        #expect(payment.amount > balances[a.id]!.available, "an override was needed")
                        overrides += 1
                    }
                    ledger.disbursements.append(payment)
                    admitted += 1
                }
            }
            for a in ledger.allocations {
                let b = ledger.balances[a.id]!
                if b.overrides == 0 {
                    #expect(b.disbursed + b.carriedOut <= b.amount, "seed \(seed), step \(step): \(a.id) \(b)")
                }
            }
        }
        #expect(admitted > 150, "the walk must keep entries (\(admitted))")
        #expect(overrides > 0, "the walk must try overrides that were needed")
    }

    @Test func beneficiariesReadAndWriteTheirWireForm() throws {
        let b = try #require(Beneficiaries(wire: "poor:896,near-poor:1148"))
        #expect(b.poor == 896 && b.nearPoor == 1_148 && b.persons == 2_044 && b.wire == "poor:896,near-poor:1148")
        #expect(Beneficiaries(wire: "poor:1,poor:2") == nil)
        #expect(Beneficiaries(wire: "rich:1") == nil)
        #expect(Beneficiaries(wire: "poor:-1") == nil)
        #expect(Beneficiaries(wire: "poor:3,minority:4")?.problem != nil)
        #expect(Beneficiaries(wire: "")?.isEmpty == true)
    }

    @Test func aHouseProgressesInOrderOnceApproved() throws {
        let day = { (d: Int) in CivilDate(year: 2023, month: 5, day: d)! }
        var file = CaseFile(id: "C-1", kind: .housingNew, commune: "02014", title: "Nhà", creator: "lan")
        #expect(throws: DomainError.self) {
            try HousingProgress.advance(file, to: .started, on: day(2), decided: day(1), today: day(30)).get()
        }
        file.state = .approved
        #expect(throws: DomainError.self) {
            try HousingProgress.advance(file, to: .finished, on: day(2), decided: day(1), today: day(30)).get()
        }
        #expect(throws: DomainError.self) {
            try HousingProgress.advance(file, to: .started, on: day(31), decided: day(1), today: day(30)).get()
        }
        file.progress = try HousingProgress.advance(file, to: .started, on: day(2), decided: day(1), today: day(30))
            .get()
        #expect(throws: DomainError.self) {
            try HousingProgress.advance(file, to: .finished, on: day(1), decided: day(1), today: day(30)).get()
        }
        file.progress = try HousingProgress.advance(file, to: .finished, on: day(20), decided: day(1), today: day(30))
            .get()
        file.progress = try HousingProgress.advance(
            file, to: .handedOver, on: day(20), decided: day(1), today: day(30)
        ).get()
        #expect(file.progress.latest == .handedOver)
        #expect(throws: DomainError.self) {
            try HousingProgress.advance(file, to: .handedOver, on: day(21), decided: day(1), today: day(30)).get()
        }
        var vocational = file
        vocational.kind = .vocational
        vocational.progress = HousingProgress()
        #expect(throws: DomainError.self) {
            try HousingProgress.advance(vocational, to: .started, on: day(2), decided: nil, today: day(30)).get()
        }
    }
}
