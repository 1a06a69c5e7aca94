public import Foundation

/// One poverty standard as a whole — income lines, the survey's score scales, the indicator set, the classes
/// and the review procedure — as data. Standards change by decree from one period to the next (NĐ 07/2021 for
/// the lists of 2022–2026, NĐ 351/2025 for 2027–2030) and the circulars that implement them change the forms
/// and steps, so nothing here is a Swift literal the rules depend on: a province can load a changed
/// description from a JSON file, and every assessment records the id and revision it was made under so that a
/// year's list can be reproduced exactly later.
///
/// Values the project could not check against a legal text are listed in `unverified` by their JSON path;
/// a classification that uses one says so (`Classification.unverifiedFigures`).
public struct StandardDescription: Sendable, Hashable, Codable {
    /// Stable, lower-case ASCII (`nd07-2021`): what assessments store.
    public var id: String
    /// Raised whenever a province changes a value, so that two versions of one standard never share a name.
    public var revision: Int
    public var title: String
    /// The texts the values come from, as cited.
    public var legalBasis: [String]
    /// The years whose lists this standard classifies (NĐ 07: 2022–2026, NĐ 351: 2027–2030).
    public var listYears: YearRange
    /// Per-capita monthly income lines, VND: at or under the line is poor or near-poor.
    public var incomeLine: ByArea<Int64>
    /// Phiếu B part A, the income proxy in points; nil when the standard has no published scale.
    public var scoreA: ScoreARule?
    /// Phiếu B part B, the deprivation score.
    public var scoreB: ScoreBRule
    /// Hộ có mức sống trung bình; nil when the standard defines none or its band is not known.
    public var averageLiving: AverageLivingRule?
    public var dimensions: [DeprivationDimension]
    public var procedure: ProcedureRules
    /// JSON paths of values not checked against a legal text (†), e.g. `procedure.postingWorkingDays`.
    public var unverified: [String]

    public init(
        id: String, revision: Int, title: String, legalBasis: [String], listYears: YearRange,
        incomeLine: ByArea<Int64>, scoreA: ScoreARule?, scoreB: ScoreBRule, averageLiving: AverageLivingRule?,
        dimensions: [DeprivationDimension], procedure: ProcedureRules, unverified: [String]
    ) {
        self.id = id
        self.revision = revision
        self.title = title
        self.legalBasis = legalBasis
        self.listYears = listYears
        self.incomeLine = incomeLine
        self.scoreA = scoreA
        self.scoreB = scoreB
        self.averageLiving = averageLiving
        self.dimensions = dimensions
        self.procedure = procedure
        self.unverified = unverified
    }

    /// The indicator with this code in this standard, if any.
    public func indicator(_ code: String) -> DeprivationIndicator? { dimensions.indicators.first { $0.code == code } }

    /// Whether a value at `path` (or inside it) is marked †.
    public func isUnverified(_ path: String) -> Bool {
        unverified.contains { path == $0 || path.hasPrefix($0 + ".") || $0.hasPrefix(path + ".") }
    }

    /// Problems that make the description unusable, in plain words naming the JSON path (empty when none).
    public var problems: [String] {
        var problems: [String] = []
        if !CodeSyntax.isValid(id) { problems.append("id must be lower-case letters, digits and hyphens") }
        if revision < 1 { problems.append("revision must be at least 1") }
        if listYears.from > listYears.through { problems.append("listYears.from is after listYears.through") }
        for area in SettlementArea.allCases where incomeLine[area] <= 0 {
            problems.append("incomeLine.\(area.rawValue) must be positive")
        }
        if let scoreA {
            for area in SettlementArea.allCases where scoreA.line[area] <= 0 {
                problems.append("scoreA.line.\(area.rawValue) must be positive")
            }
        }
        if scoreB.pointsPerIndicator <= 0 { problems.append("scoreB.pointsPerIndicator must be positive") }
        if scoreB.poorFrom <= 0 { problems.append("scoreB.poorFrom must be positive") }
        if let averageLiving {
            for area in SettlementArea.allCases where averageLiving.incomeCeiling[area] <= incomeLine[area] {
                problems.append("averageLiving.incomeCeiling.\(area.rawValue) must be above the income line")
            }
            if let ceiling = averageLiving.scoreACeiling {
                for area in SettlementArea.allCases where ceiling[area] <= (scoreA?.line[area] ?? Int.max) {
                    problems.append("averageLiving.scoreACeiling.\(area.rawValue) must be above the score-A line")
                }
            }
            if averageLiving.livelihoods.isEmpty { problems.append("averageLiving.livelihoods is empty") }
        }
        if dimensions.isEmpty { problems.append("dimensions is empty") }
        var seen: Set<String> = []
        for dimension in dimensions {
            if !CodeSyntax.isValid(dimension.code) { problems.append("dimension code \(dimension.code) is malformed") }
            if dimension.indicators.isEmpty { problems.append("dimension \(dimension.code) has no indicator") }
            for indicator in dimension.indicators {
                if !CodeSyntax.isValid(indicator.code) {
                    problems.append("indicator code \(indicator.code) is malformed")
                }
                if !seen.insert(indicator.code).inserted {
                    problems.append("indicator \(indicator.code) is listed twice")
                }
            }
        }
        if Set(dimensions.map(\.code)).count != dimensions.count { problems.append("a dimension code is repeated") }
        return problems + procedure.problems
    }

    /// Decodes and checks a description (a province's file); the refusal names every problem.
    public static func load(json: Data) -> Result<StandardDescription, DomainError> {
        let description: StandardDescription
        do {
            description = try JSONDecoder().decode(StandardDescription.self, from: json)
        } catch {
            return .failure(DomainError(.invalid, "the standard description is not readable: \(error)"))
        }
        let problems = description.problems
        guard problems.isEmpty else {
            return .failure(
                DomainError(.invalid, "standard \(description.id): " + problems.joined(separator: "; ")))
        }
        return .success(description)
    }

    /// Pretty, key-sorted JSON: what `load(json:)` reads back.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }
}

/// A span of years, both ends included.
public struct YearRange: Sendable, Hashable, Codable {
    public var from: Int
    public var through: Int

    public init(from: Int, through: Int) {
        self.from = from
        self.through = through
    }

    public func contains(_ year: Int) -> Bool { from <= year && year <= through }
}

/// Phiếu B part A (TT 07/2021): points that stand for income. At or under the line, the household's income is
/// taken to be at or under the income line.
public struct ScoreARule: Sendable, Hashable, Codable {
    public var line: ByArea<Int>

    public init(line: ByArea<Int>) { self.line = line }
}

/// Phiếu B part B (TT 07/2021): a fixed number of points per deprived indicator; poor from a threshold (10 per
/// indicator, poor from 30 — the decree's "3 or more deprivations").
public struct ScoreBRule: Sendable, Hashable, Codable {
    public var pointsPerIndicator: Int
    public var poorFrom: Int

    public init(pointsPerIndicator: Int, poorFrom: Int) {
        self.pointsPerIndicator = pointsPerIndicator
        self.poorFrom = poorFrom
    }
}

/// What a household lives from, for the average-living class (NĐ 07/2021 art. 3.3: farming, forestry, fishery
/// and salt-making households only).
public enum Livelihood: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case agriculture
    case forestry
    case fishery
    case salt

    public var label: String {
        switch self {
        case .agriculture: "nông nghiệp"
        case .forestry: "lâm nghiệp"
        case .fishery: "ngư nghiệp"
        case .salt: "diêm nghiệp"
        }
    }

    public static func < (a: Livelihood, b: Livelihood) -> Bool {
        (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
    }
}

/// Hộ có mức sống trung bình: income above the line and at most the ceiling, for the listed livelihoods only.
/// Its income is established by its own form (TT 07/2021 sets a VND income survey for it), so the band is in
/// VND; a province may add a score-A ceiling if its circular gives one.
public struct AverageLivingRule: Sendable, Hashable, Codable {
    public var incomeCeiling: ByArea<Int64>
    public var scoreACeiling: ByArea<Int>?
    public var livelihoods: [Livelihood]

    public init(incomeCeiling: ByArea<Int64>, scoreACeiling: ByArea<Int>? = nil, livelihoods: [Livelihood]) {
        self.incomeCeiling = incomeCeiling
        self.scoreACeiling = scoreACeiling
        self.livelihoods = livelihoods
    }
}
