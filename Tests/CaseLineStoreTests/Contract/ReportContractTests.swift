import CaseLineDomain
import CaseLineStore
import Foundation
import Testing

/// Household totals, targets and the snapshot a poverty report reads: what every backend must keep and give
/// back, with the lists in force resolved as `EffectiveList` resolves them.
@Suite("Store contract: report figures")
struct ReportContractTests {
    static func total(_ unit: String, _ year: Int, _ households: Int, persons: Int? = nil) -> HouseholdTotal {
        HouseholdTotal(
            unit: unit, year: year, households: households, persons: persons, source: "Chi cục Thống kê", by: "admin",
            at: "")
    }

    @Test(arguments: StoreBackend.all)
    func aTotalIsKeptPerUnitAndYearAndReplacedWhole(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            _ = try await store.setHouseholdTotal(
                Self.total("legacy:05443", 2023, 2745, persons: 9880), audit: Fixture.entry("unit:legacy:05443"))
            _ = try await store.setHouseholdTotal(Self.total("02014", 2026, 1200), audit: Fixture.entry("unit:02014"))
            let replaced = try await store.setHouseholdTotal(
                Self.total("legacy:05443", 2023, 2750), audit: Fixture.entry("unit:legacy:05443", "replaced"))
            #expect(replaced.households == 2750 && replaced.persons == nil && !replaced.at.isEmpty)
            let all = try await store.householdTotals(units: nil, year: nil)
            #expect(all.map(\.unit) == ["02014", "legacy:05443"])
            #expect(all.last?.households == 2750 && all.last?.persons == nil, "a new figure replaces the old whole")
            #expect(try await store.householdTotals(units: ["02014"], year: nil).map(\.year) == [2026])
            #expect(try await store.householdTotals(units: nil, year: 2023).map(\.unit) == ["legacy:05443"])
            #expect(try await store.householdTotals(units: ["01912"], year: nil).isEmpty)
            #expect(try await store.auditRecords(entity: "unit:legacy:05443", limit: 5, offset: 0).count == 2)
        }
    }

    @Test(arguments: StoreBackend.all)
    func aTargetIsSetOnceAndReplacedOnlyAgainstItsRevision(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            let plan = Target(
                unit: "legacy:164", year: 2024, indicator: .povertyRate, kind: .level, low: 54, high: 54,
                document: "KH 2023")
            let claim = IdempotencyClaim(login: "admin", key: "k1", fingerprint: "f")
            let kept = try await store.saveTarget(
                plan, expectedRevision: nil, claim: claim, audit: Fixture.entry("target:-", "set"))
            #expect(kept.id == "TG-1" && kept.revision == 1 && !kept.at.isEmpty)
            #expect(try await store.idempotencyRecord(login: "admin", key: "k1", maxAge: 3600)?.entity == "target:TG-1")
            #expect(try await store.auditRecords(entity: "target:TG-1", limit: 5, offset: 0).count == 1)
            try await expectRefused(.alreadyExists, details: ["target": "TG-1"], by: store) {
                try await store.saveTarget(plan, expectedRevision: nil, claim: nil, audit: Fixture.entry("target:-"))
            }
            var moved = plan
            moved.low = 50
            moved.high = 50
            try await expectRefused(.conflict, details: ["current": "1"], by: store) {
                try await store.saveTarget(moved, expectedRevision: 7, claim: nil, audit: Fixture.entry("target:-"))
            }
            let replaced = try await store.saveTarget(
                moved, expectedRevision: 1, claim: nil, audit: Fixture.entry("target:-", "replaced"))
            #expect(replaced.id == "TG-1" && replaced.revision == 2 && replaced.low == 50)
            var range = Target(
                unit: "05443", year: 2027, indicator: .poor, kind: .reduction, low: 1400, high: 1600,
                document: "KH 2027")
            try await expectRefused(.notFound, by: store) {
                try await store.saveTarget(range, expectedRevision: 1, claim: nil, audit: Fixture.entry("target:-"))
            }
            range = try await store.saveTarget(
                range, expectedRevision: nil, claim: nil, audit: Fixture.entry("target:-"))
            #expect(range.id == "TG-2" && range.isRange)
            #expect(try await store.targets(units: nil, year: nil).map(\.id) == ["TG-2", "TG-1"])
            #expect(try await store.targets(units: ["legacy:164"], year: nil).map(\.low) == [50])
            #expect(try await store.targets(units: nil, year: 2027).map(\.high) == [1600])
            #expect(try await store.targets(units: ["19"], year: nil).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.all)
    func aPovertySnapshotGivesTheListsInForceOnItsDayWithTotalsFactsAndTargets(_ backend: StoreBackend)
        async throws
    {
        try await backend.withStore { store, _ in
            var heads: [Household] = []
            for (name, gender, ethnicity, area) in [
                ("Lò Văn Pá", Household.Gender.male, "Tày", Household.Area.rural),
                ("Nguyễn Thị Hoa", .female, "Kinh", .urban),
            ] {
                var household = Fixture.household(idNumber: nil, head: name)
                household.gender = gender
                household.ethnicity = ethnicity
                household.area = area
                heads.append(
                    try await store.createHousehold(household, claim: nil, audit: Fixture.entry("household:-")))
            }
            func assessment(
                _ household: String, _ campaign: String, _ result: ReviewClass, listYear: Int, on day: CivilDate
            )
                -> ReviewAssessment
            {
                var one = ReviewContractTests.assessment(household, campaign: campaign, listYear: listYear, date: day)
                one.survey.classification.result = result
                return one
            }
            // RC-1 (periodic, decided 10 Sep 2026) sets the 2027 list; RC-2 (ad-hoc, decided in November)
            // corrects the first household to near-poor and keeps the second one's 2026 entry.
            let periodic = try await store.openReviewCampaign(
                claim: nil, build: { ReviewContractTests.opening(ReviewContractTests.campaign($0)) })
            var decided = periodic
            decided.stage = .certificates
            decided.revision = 2
            _ = try await store.saveReviewCampaign(
                ReviewStep(
                    campaign: decided,
                    effects: [
                        .recordAssessment(
                            assessment(heads[0].id, "RC-1", .poor, listYear: 2027, on: ReviewContractTests.day)),
                        .recordAssessment(
                            assessment(heads[1].id, "RC-1", .nearPoor, listYear: 2027, on: ReviewContractTests.day)),
                    ], events: [], audit: "decided"), expectedRevision: 1, audit: Fixture.entry("review:RC-1"))
            let november = CivilDate(year: 2026, month: 11, day: 20)!
            let adHoc = try await store.openReviewCampaign(
                claim: nil,
                build: {
                    ReviewContractTests.opening(
                        ReviewContractTests.campaign($0, kind: .adHoc, reviewYear: 2027, start: november))
                })
            var corrected = adHoc
            corrected.stage = .certificates
            corrected.revision = 2
            _ = try await store.saveReviewCampaign(
                ReviewStep(
                    campaign: corrected,
                    effects: [
                        .recordAssessment(assessment(heads[0].id, adHoc.id, .nearPoor, listYear: 2027, on: november)),
                        // The same campaign may keep an earlier year's entry of another household.
                        .recordAssessment(assessment(heads[1].id, adHoc.id, .poor, listYear: 2026, on: november)),
                    ],
                    events: [], audit: "decided"), expectedRevision: 1, audit: Fixture.entry("review:\(adHoc.id)"))
            _ = try await store.setHouseholdTotal(
                Self.total(Fixture.commune, 2027, 900), audit: Fixture.entry("unit:x"))
            _ = try await store.setHouseholdTotal(
                Self.total(Fixture.otherCommune, 2027, 50), audit: Fixture.entry("unit:y"))
            _ = try await store.saveTarget(
                Target(
                    unit: Fixture.commune, year: 2027, indicator: .poor, kind: .level, low: 100, high: 100,
                    document: "KH"), expectedRevision: nil, claim: nil, audit: Fixture.entry("target:-"))

            let numbers = heads.map { Int($0.id.dropFirst(3))! }
            let today = try await store.povertySnapshot(
                communes: [Fixture.commune], throughYear: 2027, totalYears: 2026...2027,
                asOf: CivilDate(year: 2026, month: 12, day: 1)!, targetUnits: [Fixture.commune])
            let byKey = Dictionary(uniqueKeysWithValues: today.entries.map { ("\($0.household) \($0.listYear)", $0) })
            #expect(today.entries.count == 3)
            #expect(byKey["\(numbers[0]) 2027"]?.classification == .nearPoor, "the later decision is in force")
            #expect(byKey["\(numbers[1]) 2027"]?.classification == .nearPoor)
            #expect(byKey["\(numbers[1]) 2026"]?.classification == .poor)
            #expect(
                byKey["\(numbers[0]) 2027"]?.persons == 1 && byKey["\(numbers[0]) 2027"]?.commune == Fixture.commune)
            #expect(today.facts[numbers[0]] == HouseholdFacts(minority: true, femaleHead: false, urban: false))
            #expect(today.facts[numbers[1]] == HouseholdFacts(minority: false, femaleHead: true, urban: true))
            #expect(
                today.totals.keys.sorted() == [Fixture.commune]
                    && today.totals[Fixture.commune]?[2027]?.households == 900)
            #expect(today.targets.map(\.id) == ["TG-1"])

            let before = try await store.povertySnapshot(
                communes: [Fixture.commune], throughYear: 2027, totalYears: 2027...2027,
                asOf: CivilDate(year: 2026, month: 10, day: 1)!, targetUnits: [])
            #expect(
                before.entries.first { $0.household == numbers[0] && $0.listYear == 2027 }?.classification == .poor,
                "a decision after as-of is not counted")
            #expect(before.targets.isEmpty)
            let earlier = try await store.povertySnapshot(
                communes: [Fixture.commune], throughYear: 2026, totalYears: 2026...2026,
                asOf: CivilDate(year: 2026, month: 12, day: 1)!, targetUnits: [])
            #expect(earlier.entries.map(\.listYear) == [2026] && earlier.totals.isEmpty)
            let elsewhere = try await store.povertySnapshot(
                communes: [Fixture.otherCommune], throughYear: 2027, totalYears: 2027...2027,
                asOf: CivilDate(year: 2026, month: 12, day: 1)!, targetUnits: [])
            #expect(elsewhere.entries.isEmpty && elsewhere.facts.isEmpty && elsewhere.totals.count == 1)
        }
    }
}
