/// The class a standard gives a household's survey, with every test it applied and the figures it compared,
/// so that the result explains itself ("score A 132 ≤ 140, rural line; score B 30 ≥ 30: poor") and can be
/// reproduced exactly from the stored figures and the standard's id and revision.
public struct Classification: Sendable, Hashable, Codable {
    public var result: ReviewClass
    public var standardID: String
    public var standardRevision: Int
    public var area: SettlementArea
    /// The indicators in the standard's order, each once.
    public var deprived: [String]
    /// Score B as computed from the indicators (0 when the household was not surveyed with Phiếu B).
    public var scoreB: Int
    /// In the order applied.
    public var reasons: [ClassificationReason]
    /// JSON paths of the standard's unverified (†) values this result depends on.
    public var unverifiedFigures: [String]

    public init(
        result: ReviewClass, standardID: String, standardRevision: Int, area: SettlementArea, deprived: [String],
        scoreB: Int, reasons: [ClassificationReason], unverifiedFigures: [String]
    ) {
        self.result = result
        self.standardID = standardID
        self.standardRevision = standardRevision
        self.area = area
        self.deprived = deprived
        self.scoreB = scoreB
        self.reasons = reasons
        self.unverifiedFigures = unverifiedFigures
    }

    /// `poor: score A 132 ≤ 140 (rural line); score B 30 ≥ 30 (3 indicators)`.
    public var explanation: String {
        "\(result.rawValue): " + reasons.map(\.description).joined(separator: "; ")
    }
}

/// One test the classification applied, with its figures.
public enum ClassificationReason: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Phiếu A excluded the household: no Phiếu B, no class.
    case excludedByPhieuA
    /// The income test on score A.
    case scoreA(points: Int, line: Int, area: SettlementArea)
    /// The income test on VND income (no score A given).
    case income(vnd: Int64, line: Int64, area: SettlementArea)
    /// The deprivation test.
    case scoreB(points: Int, poorFrom: Int, indicators: Int)
    /// The average-living band, on VND income.
    case averageLivingIncome(vnd: Int64, line: Int64, ceiling: Int64)
    /// The average-living band on score A, where the standard sets a score ceiling.
    case averageLivingScoreA(points: Int, line: Int, ceiling: Int)
    /// Above the line, and not living from farming, forestry, fishery or salt: not classified.
    case notAverageLivingLivelihood
    /// A farming household above the line whose income was not established: the band cannot be judged.
    case averageLivingNeedsIncome
    /// The standard sets no average-living band (or it is not known yet).
    case noAverageLivingBand(standard: String)

    public var description: String {
        switch self {
        case .excludedByPhieuA:
            return "excluded by Phiếu A"
        case .scoreA(let points, let line, let area):
            return "score A \(points) \(points <= line ? "≤" : ">") \(line) (\(area.rawValue) line)"
        case .income(let vnd, let line, let area):
            return "income \(vnd) \(vnd <= line ? "≤" : ">") \(line) VND (\(area.rawValue) line)"
        case .scoreB(let points, let poorFrom, let indicators):
            return "score B \(points) \(points >= poorFrom ? "≥" : "<") \(poorFrom) (\(indicators) indicators)"
        case .averageLivingIncome(let vnd, let line, let ceiling):
            let inside = vnd > line && vnd <= ceiling
            return "income \(vnd) VND \(inside ? "within" : "outside") the average-living band (\(line), \(ceiling)]"
        case .averageLivingScoreA(let points, let line, let ceiling):
            let inside = points > line && points <= ceiling
            return "score A \(points) \(inside ? "within" : "outside") the average-living band (\(line), \(ceiling)]"
        case .notAverageLivingLivelihood:
            return "not a farming, forestry, fishery or salt household"
        case .averageLivingNeedsIncome:
            return "the average-living band needs the household's income"
        case .noAverageLivingBand(let standard):
            return "\(standard) sets no average-living band"
        }
    }
}
