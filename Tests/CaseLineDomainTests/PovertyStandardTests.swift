import CaseLineDomain
import Testing

/// The classification table of CLP1.md §10.8 under standard 2022-2025 (NĐ 07/2021/NĐ-CP), row by row, on
/// both income lines and exactly at them.
@Suite struct PovertyStandardTests {
    typealias Class = PovertyStandard.Classification
    static let standard = PovertyStandard.v2022to2025

    /// (income, deprivations, area, previous year's class, expected class)
    static let table: [(Int64, Int, Household.Area, Class?, Class)] = [
        // income ≤ line AND deprivations ≥ 3 → poor (the previous year does not matter)
        (1_200_000, 4, .rural, nil, .poor),
        (1_500_000, 3, .rural, .average, .poor),
        (2_000_000, 3, .urban, .escaped, .poor),
        (0, 12, .urban, .poor, .poor),
        // income ≤ line AND deprivations < 3 → near-poor
        (1_500_000, 2, .rural, nil, .nearPoor),
        (1_499_999, 0, .rural, .poor, .nearPoor),
        (2_000_000, 2, .urban, .average, .nearPoor),
        (1_800_000, 0, .urban, nil, .nearPoor),
        // income > line after a poor or near-poor year → escaped
        (1_500_001, 5, .rural, .poor, .escaped),
        (1_500_001, 0, .rural, .nearPoor, .escaped),
        (2_000_001, 4, .urban, .poor, .escaped),
        (3_000_000, 1, .urban, .nearPoor, .escaped),
        // income > line otherwise → average
        (1_500_001, 5, .rural, nil, .average),
        (1_600_000, 0, .rural, .escaped, .average),
        (2_000_001, 3, .urban, .average, .average),
        (2_500_000, 0, .urban, nil, .average),
    ]

    @Test(arguments: 0..<table.count)
    func everyRowOfTheTable(_ row: Int) {
        let (income, deprivations, area, previous, expected) = Self.table[row]
        #expect(
            Self.standard.classify(income: income, deprivations: deprivations, area: area, previous: previous)
                == expected,
            "income=\(income) deprivations=\(deprivations) area=\(area) previous=\(previous?.rawValue ?? "none")")
    }

    @Test func theLinesAreThoseOfTheDecree() {
        #expect(Self.standard.line(for: .rural) == 1_500_000)
        #expect(Self.standard.line(for: .urban) == 2_000_000)
        #expect(Self.standard.name == "2022-2025")
        // 1,800,000 VND is above the rural line but under the urban one.
        #expect(Self.standard.classify(income: 1_800_000, deprivations: 3, area: .rural, previous: nil) == .average)
        #expect(Self.standard.classify(income: 1_800_000, deprivations: 3, area: .urban, previous: nil) == .poor)
    }

    @Test func theStandardCoversOnlyItsPeriod() {
        // NĐ 351/2025 keeps NĐ 07's standard in force through 2026 and sets its own for 2027–2030.
        for year in 2022...2026 { #expect(PovertyStandard.covering(year) == Self.standard) }
        for year in 2027...2030 { #expect(PovertyStandard.covering(year) == PovertyStandard.v2027to2030) }
        for year in [2000, 2021, 2031, 2100] { #expect(PovertyStandard.covering(year) == nil, "\(year)") }
        #expect(PovertyStandard.named("2022-2025") == Self.standard)
        #expect(PovertyStandard.named("2027-2030") == PovertyStandard.v2027to2030)
        #expect(PovertyStandard.named("2026-2030") == nil)
    }

    @Test func anAssessmentUsesTheHouseholdsAreaAndSortsItsIndicators() {
        let household = Household(
            id: "HH-1", commune: "02014", village: "Thôn Nà Hin", area: .urban, head: "Hoàng Văn Minh",
            gender: .male, birth: "1968-04-12")
        let assessment = Assessment.compute(
            household: household, year: 2025, income: 1_900_000,
            deprived: [.latrine, .housingQuality, .latrine, .employment], standard: Self.standard, previous: .poor,
            by: "thuy")
        #expect(assessment.incomeLine == 2_000_000)
        #expect(assessment.area == .urban)
        #expect(assessment.deprived == [.employment, .housingQuality, .latrine], "deduplicated, in table order")
        #expect(assessment.classification == .poor)
        #expect(assessment.previous == .poor)
    }

    @Test func idNumbersHaveNineOrTwelveDigits() {
        for good in ["006068001234", "012345678"] { #expect(Household.isValidIDNumber(good)) }
        for bad in ["", "12345678", "0060680012345", "00606800123a", "０１２３４５６７８"] {
            #expect(!Household.isValidIDNumber(bad), "\(bad)")
        }
    }

    @Test func identityIsSeenByTheCommunesPeopleOnly() {
        func facts(_ role: Role, _ scope: Scope, responsible: Bool = false) -> HouseholdRules.Facts {
            HouseholdRules.Facts(
                user: User(login: "u", name: "U", role: role, scope: scope), commune: "02014",
                responsible: responsible, inScope: true)
        }
        #expect(HouseholdRules.seesIdentity(facts(.staff, .commune("02014"))))
        #expect(HouseholdRules.mayWrite(facts(.staff, .commune("02014"))))
        #expect(HouseholdRules.seesIdentity(facts(.officer, .province("19"), responsible: true)))
        #expect(HouseholdRules.mayWrite(facts(.officer, .province("19"), responsible: true)))
        #expect(!HouseholdRules.seesIdentity(facts(.officer, .province("19"))))
        #expect(!HouseholdRules.mayWrite(facts(.officer, .province("19"))))
        for role in [Role.chair, .deputy] {
            #expect(HouseholdRules.seesIdentity(facts(role, .province("19"))))
            #expect(!HouseholdRules.mayWrite(facts(role, .province("19"))))
        }
        for role in [Role.admin, .auditor] {
            #expect(!HouseholdRules.seesIdentity(facts(role, .national)))
            #expect(!HouseholdRules.mayWrite(facts(role, .national)))
        }
    }

    /// NĐ 351/2025's lines for 2027: 2,200,000 rural and 2,800,000 urban, at the line counting as under it; its
    /// indicator set has no "information access" but digital services and household waste.
    @Test func nd351ClassifiesTheListsFrom2027() {
        let nd351 = PovertyStandard.v2027to2030
        #expect(nd351.line(for: .rural) == 2_200_000)
        #expect(nd351.line(for: .urban) == 2_800_000)
        // 2,000,000 VND in the country: poor under NĐ 351, above NĐ 07's line.
        #expect(nd351.classify(income: 2_000_000, deprivations: 3, area: .rural, previous: nil) == .poor)
        #expect(Self.standard.classify(income: 2_000_000, deprivations: 3, area: .rural, previous: nil) == .average)
        #expect(nd351.classify(income: 2_200_000, deprivations: 2, area: .rural, previous: nil) == .nearPoor)
        #expect(nd351.classify(income: 2_200_001, deprivations: 5, area: .rural, previous: .poor) == .escaped)
        #expect(nd351.classify(income: 2_800_000, deprivations: 0, area: .urban, previous: nil) == .nearPoor)
        #expect(!nd351.indicators.contains(.informationAccess))
        #expect(nd351.indicators.contains(.digitalServices) && nd351.indicators.contains(.householdWaste))
        #expect(nd351.indicators.count == 13)
        #expect(Self.standard.indicators.count == 12)
        #expect(!Self.standard.indicators.contains(.digitalServices))
    }
}
