import CaseLineDomain
import Foundation
import Testing

@Suite struct StandardDescriptionTests {
    @Test(arguments: [StandardDescription.nd07, .nd351])
    func builtInStandardsAreValidAndRoundTripThroughJSON(_ standard: StandardDescription) throws {
        #expect(standard.problems.isEmpty, "\(standard.problems)")
        let loaded = try StandardDescription.load(json: standard.json()).get()
        #expect(loaded == standard)
    }

    @Test func nd07HasTwelveIndicatorsInSixDimensionsWithTheCodesOfCLP() {
        let standard = StandardDescription.nd07
        #expect(standard.dimensions.count == 6)
        #expect(standard.dimensions.allSatisfy { $0.indicators.count == 2 })
        #expect(
            standard.dimensions.indicators.map(\.code) == [
                "employment", "dependants", "nutrition", "health-insurance", "adult-education", "school-attendance",
                "housing-quality", "housing-area", "drinking-water", "latrine", "telecom", "information-access",
            ])
        #expect(standard.incomeLine == ByArea(rural: 1_500_000, urban: 2_000_000))
        #expect(standard.scoreA?.line == ByArea(rural: 140, urban: 175))
        #expect(standard.scoreB == ScoreBRule(pointsPerIndicator: 10, poorFrom: 30))
        #expect(standard.averageLiving?.incomeCeiling == ByArea(rural: 2_250_000, urban: 3_000_000))
        #expect(standard.listYears == YearRange(from: 2022, through: 2026))
    }

    @Test func nd351DropsInformationAccessAndAddsDigitalServicesAndWaste() {
        let codes = Set(StandardDescription.nd351.dimensions.indicators.map(\.code))
        let old = Set(StandardDescription.nd07.dimensions.indicators.map(\.code))
        #expect(old.subtracting(codes) == ["information-access"])
        #expect(codes.subtracting(old) == ["digital-services", "household-waste"])
        #expect(StandardDescription.nd351.incomeLine == ByArea(rural: 2_200_000, urban: 2_800_000))
        #expect(StandardDescription.nd351.listYears == YearRange(from: 2027, through: 2030))
        #expect(StandardDescription.nd351.isUnverified("dimensions"))
        #expect(StandardDescription.nd351.isUnverified("scoreA.line"))
        #expect(!StandardDescription.nd351.isUnverified("incomeLine"))
    }

    @Test func aProvinceCanLoadAChangedDescription() throws {
        var changed = StandardDescription.nd07
        changed.revision = 2
        changed.procedure.postingWorkingDays = 5
        changed.dimensions[5].indicators.append(
            DeprivationIndicator(code: "digital-services", name: "Sử dụng dịch vụ số"))
        let loaded = try StandardDescription.load(json: changed.json()).get()
        #expect(loaded.procedure.postingWorkingDays == 5)
        #expect(loaded.indicator("digital-services") != nil)
    }

    @Test func theJSONShapeIsStable() throws {
        let object = try #require(
            try JSONSerialization.jsonObject(with: StandardDescription.nd07.json()) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "id", "revision", "title", "legalBasis", "listYears", "incomeLine", "scoreA", "scoreB",
                "averageLiving", "dimensions", "procedure", "unverified",
            ])
        let procedure = try #require(object["procedure"] as? [String: Any])
        let window = try #require(procedure["periodicWindow"] as? [String: String])
        #expect(window == ["from": "09-01", "through": "12-14"])
        let stages = try #require(procedure["stages"] as? [String: [String]])
        #expect(stages["ad-hoc"] == ["listing", "survey", "meetings", "posting", "decision", "certificates"])
        let higher = try #require(procedure["higherLevel"] as? [[String: String]])
        #expect(
            higher == [["through": "2025-06-30", "level": "district"], ["from": "2025-07-01", "level": "province"]])
    }

    @Test func brokenDescriptionsAreRefusedWithEveryProblemNamed() {
        var broken = StandardDescription.nd07
        broken.id = "ND 07"
        broken.incomeLine.rural = 0
        broken.dimensions[0].indicators.append(DeprivationIndicator(code: "latrine", name: "again"))
        broken.procedure.meetingAgreementPercent = 0
        broken.procedure.stages.adHoc = [.survey, .listing, .decision, .certificates]
        broken.procedure.inputs.removeAll { $0.input == .decide }
        broken.averageLiving?.incomeCeiling.urban = 1_000_000
        let problems = broken.problems
        for expected in [
            "id must be", "incomeLine.rural", "indicator latrine is listed twice", "meetingAgreementPercent",
            "stages.ad-hoc must keep the order", "inputs must list decide", "averageLiving.incomeCeiling.urban",
        ] {
            #expect(problems.contains { $0.contains(expected) }, "\(expected) in \(problems)")
        }
        let result = StandardDescription.load(json: broken.json())
        #expect(throws: DomainError.self) { try result.get() }
        #expect(throws: DomainError.self) { try StandardDescription.load(json: Data("{}".utf8)).get() }
    }
}

@Suite struct StandardCatalogTests {
    static let catalog = StandardCatalog.builtIn

    @Test func theDefaultMappingFollowsTheListYear() throws {
        #expect(Self.catalog.problems.isEmpty, "\(Self.catalog.problems)")
        for year in 2021...2025 {
            #expect(try Self.catalog.standard(kind: .periodic, reviewYear: year).get().id == "nd07-2021", "\(year)")
        }
        for year in 2026...2029 {
            #expect(try Self.catalog.standard(kind: .periodic, reviewYear: year).get().id == "nd351-2025", "\(year)")
        }
        #expect(throws: DomainError.self) { try Self.catalog.standard(kind: .periodic, reviewYear: 2030).get() }
        #expect(throws: DomainError.self) { try Self.catalog.standard(kind: .periodic, reviewYear: 2020).get() }
        // Ad-hoc reviews correct the list in force the year they are held.
        #expect(try Self.catalog.standard(kind: .adHoc, reviewYear: 2026).get().id == "nd07-2021")
        #expect(try Self.catalog.standard(kind: .adHoc, reviewYear: 2027).get().id == "nd351-2025")
        #expect(StandardCatalog.listYear(kind: .periodic, reviewYear: 2026) == 2027)
        #expect(StandardCatalog.listYear(kind: .adHoc, reviewYear: 2026) == 2026)
    }

    @Test func aReviewYearCanBeMappedByConfiguration() throws {
        var catalog = Self.catalog
        catalog.periodicOverrides = [2026: "nd07-2021"]
        #expect(try catalog.standard(kind: .periodic, reviewYear: 2026).get().id == "nd07-2021")
        #expect(try catalog.standard(kind: .periodic, reviewYear: 2027).get().id == "nd351-2025")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(catalog)
        #expect(String(decoding: data, as: UTF8.self).contains(#""periodicOverrides":{"2026":"nd07-2021"}"#))
        #expect(try JSONDecoder().decode(StandardCatalog.self, from: data) == catalog)
        catalog.periodicOverrides = [2026: "nd999"]
        #expect(throws: DomainError.self) { try catalog.standard(kind: .periodic, reviewYear: 2026).get() }
        #expect(catalog.problems.contains { $0.contains("unknown standard nd999") })
    }

    @Test func overlappingPeriodsAndDuplicateIdsAreProblems() {
        var second = StandardDescription.nd351
        second.listYears = YearRange(from: 2026, through: 2030)
        #expect(StandardCatalog(standards: [.nd07, second]).problems.contains { $0.contains("both cover") })
        #expect(StandardCatalog(standards: [.nd07, .nd07]).problems.contains { $0.contains("used twice") })
    }
}

@Suite struct StandardFilesTests {
    /// Tools/standards/ holds the built-in descriptions as files for provinces to start from.
    @Test(arguments: [StandardDescription.nd07, .nd351])
    func theShippedFilesAreTheBuiltInStandards(_ standard: StandardDescription) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
                "Tools/standards/\(standard.id).json")
        let loaded = try StandardDescription.load(json: Data(contentsOf: url)).get()
        #expect(loaded == standard)
    }
}
