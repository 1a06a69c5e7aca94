/// A household's survey as the forms give it — the figures staff copy from Phiếu A and Phiếu B, not a VND
/// income the forms never compute (TT 07/2021: Phiếu B yields score A, an income proxy in points, and score B,
/// points per deprived indicator). Stored unchanged with the assessment, so the class can be recomputed and
/// explained years later.
public struct SurveyFigures: Sendable, Hashable, Codable {
    /// Nil when Phiếu A was not recorded (a household already on a list goes straight to Phiếu B).
    public var phieuA: PhieuAOutcome?
    /// Phiếu B part A, points.
    public var scoreA: Int?
    /// Phiếu B part B as written on the form; checked against the ticked indicators.
    public var scoreB: Int?
    /// The ticked indicators' codes, in the standard's order once classified.
    public var deprived: [String]
    /// Per-capita monthly income in VND, when it was established (the average-living income form, or a
    /// standard applied without scores).
    public var income: Int64?
    /// What the household lives from; empty when none of the average-living livelihoods.
    public var livelihoods: [Livelihood]

    public init(
        phieuA: PhieuAOutcome? = nil, scoreA: Int? = nil, scoreB: Int? = nil, deprived: [String] = [],
        income: Int64? = nil, livelihoods: [Livelihood] = []
    ) {
        self.phieuA = phieuA
        self.scoreA = scoreA
        self.scoreB = scoreB
        self.deprived = deprived
        self.income = income
        self.livelihoods = livelihoods
    }

    /// For the audit line: `A=132 B=30 deprived=housing-quality,latrine,telecom`.
    public var summary: String {
        var parts: [String] = []
        if let phieuA { parts.append("phieu-a=\(phieuA.rawValue)") }
        if let scoreA { parts.append("A=\(scoreA)") }
        if let scoreB { parts.append("B=\(scoreB)") }
        if !deprived.isEmpty { parts.append("deprived=" + deprived.joined(separator: ",")) }
        if let income { parts.append("income=\(income)") }
        if !livelihoods.isEmpty { parts.append("livelihood=" + livelihoods.map(\.rawValue).joined(separator: ",")) }
        return parts.joined(separator: " ")
    }
}
