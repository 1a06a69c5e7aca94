import CaseLineDomain
import Testing

/// The classification at and around every line of both built-in standards.
@Suite struct ClassifierTests {
    static let nd07 = StandardDescription.nd07
    static let nd351 = StandardDescription.nd351
    static let three = ["housing-quality", "latrine", "telecom"]
    static let two = ["housing-quality", "latrine"]

    static func classify(
        _ figures: SurveyFigures, _ area: SettlementArea, _ standard: StandardDescription = nd07
    ) -> ReviewClass? {
        try? Classifier.classify(figures, area: area, standard: standard).get().result
    }

    /// Written out by hand from NĐ 07/2021 art. 3 and TT 07/2021: (figures, area, expected).
    static let nd07Table: [(SurveyFigures, SettlementArea, ReviewClass)] = [
        // Score A at, under and over the rural line (140) and the urban one (175).
        (SurveyFigures(scoreA: 140, deprived: three), .rural, .poor),
        (SurveyFigures(scoreA: 139, deprived: three), .rural, .poor),
        (SurveyFigures(scoreA: 140, deprived: two), .rural, .nearPoor),
        (SurveyFigures(scoreA: 0, deprived: []), .rural, .nearPoor),
        (SurveyFigures(scoreA: 141, deprived: three), .rural, .none),
        (SurveyFigures(scoreA: 175, deprived: three), .urban, .poor),
        (SurveyFigures(scoreA: 175, deprived: two), .urban, .nearPoor),
        (SurveyFigures(scoreA: 176, deprived: three), .urban, .none),
        (SurveyFigures(scoreA: 150, deprived: three), .rural, .none),
        (SurveyFigures(scoreA: 150, deprived: three), .urban, .poor),
        // Score B written on the form must match the ticks.
        (SurveyFigures(scoreA: 100, scoreB: 30, deprived: three), .rural, .poor),
        (SurveyFigures(scoreA: 100, scoreB: 20, deprived: two), .rural, .nearPoor),
        // VND income only: 1,500,000 rural, 2,000,000 urban.
        (SurveyFigures(deprived: three, income: 1_500_000), .rural, .poor),
        (SurveyFigures(deprived: two, income: 1_500_000), .rural, .nearPoor),
        (SurveyFigures(deprived: three, income: 1_500_001), .rural, .none),
        (SurveyFigures(deprived: three, income: 2_000_000), .urban, .poor),
        (SurveyFigures(deprived: [], income: 2_000_000), .urban, .nearPoor),
        (SurveyFigures(deprived: three, income: 2_000_001), .urban, .none),
        // Average living: farming households above the line up to 2,250,000 rural / 3,000,000 urban.
        (SurveyFigures(deprived: [], income: 1_500_001, livelihoods: [.agriculture]), .rural, .averageLiving),
        (SurveyFigures(deprived: [], income: 2_250_000, livelihoods: [.forestry]), .rural, .averageLiving),
        (SurveyFigures(deprived: [], income: 2_250_001, livelihoods: [.fishery]), .rural, .none),
        (SurveyFigures(deprived: [], income: 2_000_001, livelihoods: [.salt]), .urban, .averageLiving),
        (SurveyFigures(deprived: [], income: 3_000_000, livelihoods: [.salt]), .urban, .averageLiving),
        (SurveyFigures(deprived: [], income: 3_000_001, livelihoods: [.salt]), .urban, .none),
        (SurveyFigures(deprived: [], income: 1_800_000), .rural, .none),
        // Score A above the line, income in the band: average living; score A decides the income test.
        (
            SurveyFigures(scoreA: 141, deprived: three, income: 2_000_000, livelihoods: [.agriculture]), .rural,
            .averageLiving
        ),
        (SurveyFigures(scoreA: 140, deprived: three, income: 2_000_000, livelihoods: [.agriculture]), .rural, .poor),
        (SurveyFigures(scoreA: 141, deprived: [], livelihoods: [.agriculture]), .rural, .none),
        // Phiếu A excludes: not classified.
        (SurveyFigures(phieuA: .excluded), .rural, .none),
        (SurveyFigures(phieuA: .excluded, income: 900_000), .rural, .none),
        (SurveyFigures(phieuA: .phieuB, scoreA: 120, deprived: three), .rural, .poor),
    ]

    @Test(arguments: 0..<nd07Table.count)
    func nd07Rows(_ row: Int) {
        let (figures, area, expected) = Self.nd07Table[row]
        #expect(Self.classify(figures, area) == expected, "\(figures.summary) \(area)")
    }

    /// NĐ 351/2025: 2,200,000 rural, 2,800,000 urban; no average-living band configured.
    static let nd351Table: [(SurveyFigures, SettlementArea, ReviewClass)] = [
        (SurveyFigures(deprived: three, income: 2_200_000), .rural, .poor),
        (SurveyFigures(deprived: two, income: 2_200_000), .rural, .nearPoor),
        (SurveyFigures(deprived: three, income: 2_200_001), .rural, .none),
        (SurveyFigures(deprived: three, income: 2_800_000), .urban, .poor),
        (SurveyFigures(deprived: ["digital-services"], income: 2_800_000), .urban, .nearPoor),
        (SurveyFigures(deprived: three, income: 2_800_001), .urban, .none),
        // Income that was poor under NĐ 07's line is still under NĐ 351's.
        (SurveyFigures(deprived: ["household-waste", "latrine", "nutrition"], income: 1_900_000), .rural, .poor),
        (SurveyFigures(deprived: [], income: 2_500_000, livelihoods: [.agriculture]), .rural, .none),
    ]

    @Test(arguments: 0..<nd351Table.count)
    func nd351Rows(_ row: Int) {
        let (figures, area, expected) = Self.nd351Table[row]
        #expect(Self.classify(figures, area, Self.nd351) == expected, "\(figures.summary) \(area)")
    }

    /// Every line of both standards, one below, at and above it, with 0 to all indicators: checked against an
    /// oracle written from the decree's wording.
    @Test(arguments: [StandardDescription.nd07, .nd351])
    func everyLineAtAndAround(_ standard: StandardDescription) throws {
        let codes = standard.dimensions.indicators.map(\.code)
        for area in SettlementArea.allCases {
            for count in 0...codes.count {
                let deprived = Array(codes.prefix(count))
                let poorByDeprivation = count >= 3
                // Score A.
                if let line = standard.scoreA?.line[area] {
                    for points in [0, line - 1, line, line + 1, line + 100] {
                        let expected: ReviewClass = points <= line ? (poorByDeprivation ? .poor : .nearPoor) : .none
                        let result = try Classifier.classify(
                            SurveyFigures(scoreA: points, deprived: deprived), area: area, standard: standard
                        ).get()
                        #expect(result.result == expected, "\(standard.id) \(area) A=\(points) n=\(count)")
                        #expect(result.scoreB == 10 * count)
                    }
                }
                // VND income, with and without a farming livelihood.
                let line = standard.incomeLine[area]
                let ceiling = standard.averageLiving?.incomeCeiling[area]
                var incomes: [Int64] = [0, line - 1, line, line + 1]
                if let ceiling { incomes += [ceiling - 1, ceiling, ceiling + 1] }
                for income in incomes {
                    for farming in [false, true] {
                        let expected: ReviewClass
                        if income <= line {
                            expected = poorByDeprivation ? .poor : .nearPoor
                        } else if farming, let ceiling, income <= ceiling {
                            expected = .averageLiving
                        } else {
                            expected = .none
                        }
                        let figures = SurveyFigures(
                            deprived: deprived, income: income, livelihoods: farming ? [.agriculture] : [])
                        #expect(
                            Self.classify(figures, area, standard) == expected,
                            "\(standard.id) \(area) income=\(income) n=\(count) farming=\(farming)")
                    }
                }
            }
        }
    }

    @Test func theResultExplainsItself() throws {
        let result = try Classifier.classify(
            SurveyFigures(scoreA: 132, deprived: ["telecom", "latrine", "housing-quality"]), area: .rural,
            standard: Self.nd07
        ).get()
        #expect(result.deprived == ["housing-quality", "latrine", "telecom"], "in the standard's order")
        #expect(result.explanation == "poor: score A 132 ≤ 140 (rural line); score B 30 ≥ 30 (3 indicators)")
        #expect(result.unverifiedFigures.isEmpty)
        #expect(result.standardID == "nd07-2021" && result.standardRevision == 1)

        let farming = try Classifier.classify(
            SurveyFigures(scoreA: 160, deprived: [], livelihoods: [.agriculture]), area: .rural, standard: Self.nd07
        ).get()
        #expect(farming.result == .none)
        #expect(farming.reasons.last == .averageLivingNeedsIncome)

        let unverified = try Classifier.classify(
            SurveyFigures(scoreA: 100, deprived: ["digital-services"]), area: .urban, standard: Self.nd351
        ).get()
        #expect(unverified.unverifiedFigures.contains("scoreA.line"))
        #expect(unverified.unverifiedFigures.contains("dimensions"))
    }

    @Test func aScoreACeilingCanBeConfigured() throws {
        var standard = Self.nd07
        standard.averageLiving?.scoreACeiling = ByArea(rural: 190, urban: 235)
        for (points, expected) in [(141, ReviewClass.averageLiving), (190, .averageLiving), (191, .none)] {
            let result = try Classifier.classify(
                SurveyFigures(scoreA: points, deprived: [], livelihoods: [.fishery]), area: .rural, standard: standard
            ).get()
            #expect(result.result == expected, "A=\(points)")
        }
    }

    @Test(arguments: [
        (SurveyFigures(scoreA: 100, deprived: ["sanitation"]), "not one of standard"),
        (SurveyFigures(scoreA: 100, deprived: ["latrine", "latrine"]), "ticked twice"),
        (SurveyFigures(scoreA: 100, scoreB: 40, deprived: ["latrine"]), "does not match"),
        (SurveyFigures(scoreA: -1), "negative"),
        (SurveyFigures(deprived: [], income: -5), "negative"),
        (SurveyFigures(deprived: ["latrine"]), "neither score A nor the income"),
        (SurveyFigures(phieuA: .excluded, scoreA: 100), "no Phiếu B figures"),
        (SurveyFigures(phieuA: .excluded, deprived: ["latrine"]), "no Phiếu B figures"),
    ])
    func badFiguresAreRefusedWithoutAClass(_ pair: (SurveyFigures, String)) {
        let result = Classifier.classify(pair.0, area: .rural, standard: Self.nd07)
        #expect(throws: DomainError.self) { try result.get() }
        if case .failure(let error) = result {
            #expect(error.code == .invalid)
            #expect(error.message.contains(pair.1), "\(error.message)")
        }
    }

    @Test func informationAccessIsUnknownUnderNd351() {
        let result = Classifier.classify(
            SurveyFigures(deprived: ["information-access"], income: 1_000_000), area: .rural, standard: Self.nd351)
        #expect(throws: DomainError.self) { try result.get() }
    }

    @Test func aStandardWithoutAScoreScaleTakesOnlyIncome() throws {
        var standard = Self.nd351
        standard.scoreA = nil
        #expect(throws: DomainError.self) {
            try Classifier.classify(SurveyFigures(scoreA: 100), area: .rural, standard: standard).get()
        }
        #expect(
            try Classifier.classify(SurveyFigures(income: 2_000_000), area: .rural, standard: standard).get().result
                == .nearPoor)
    }
}
