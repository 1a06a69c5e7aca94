import Foundation

/// A target (chỉ tiêu) a committee set for a unit and a list year, from its deciding document: a level to stay
/// under ("poverty rate below 0.54 %", "multidimensional rate under 2.5 %"), a reduction to reach ("reduce the
/// poor households by 14–16", "reduce the rate by 0.5 points"), a count to reach ("lift 120 households out") or a
/// coverage to reach ("100 % of poor households with health insurance").
/// Values are kept in hundredths (rates in hundredths of a percent, counts × 100), as `decimal` values read.
public struct Target: Sendable, Hashable, Codable {
    public enum Indicator: String, Sendable, Hashable, Codable, CaseIterable {
        case povertyRate = "poverty-rate"
        case nearPoorRate = "near-poor-rate"
        case multidimensionalRate = "multidimensional-rate"
        /// Households on the poor list.
        case poor
        case nearPoor = "near-poor"
        /// Households off the poor list since the year before (to near-poor or out).
        case escapedPoor = "escaped-poor"
        case escapedNearPoor = "escaped-near-poor"
        /// Share of the poor (near-poor) list's households named in an approved health-insurance case of the
        /// year ("100 % of poor households with health insurance").
        case poorInsured = "poor-insured"
        case nearPoorInsured = "near-poor-insured"

        /// A percentage (hundredths of a percent), not a count of households.
        public var isRate: Bool {
            self == .povertyRate || self == .nearPoorRate || self == .multidimensionalRate || isCoverage
        }

        public var isCoverage: Bool { self == .poorInsured || self == .nearPoorInsured }

        /// The kinds that make sense for the indicator.
        public var kinds: [Kind] {
            switch self {
            case .povertyRate, .nearPoorRate, .multidimensionalRate, .poor, .nearPoor: [.level, .reduction]
            case .escapedPoor, .escapedNearPoor: [.count]
            case .poorInsured, .nearPoorInsured: [.coverage]
            }
        }
    }

    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// The figure must end at or below the value.
        case level
        /// The figure must fall by at least the value (points for a rate) from the year before.
        case reduction
        /// The figure must reach at least the value.
        case count
        /// The share must reach at least the value (a percentage).
        case coverage

        /// Which side of the value meets the target.
        public var comparison: Comparison { self == .level ? .atMost : .atLeast }
    }

    public enum Comparison: String, Sendable, Hashable, Codable {
        case atMost = "at-most"
        case atLeast = "at-least"
    }

    public var id: String?
    /// As records store units: `CODE` or `legacy:CODE`.
    public var unit: String
    public var year: Int
    public var indicator: Indicator
    public var kind: Kind
    /// A single value, or a range (`low`…`high`), in hundredths.
    public var low: Int64
    public var high: Int64
    public var document: String
    public var by: String = ""
    public var at: String = ""
    public var revision: Int64 = 1

    public init(
        id: String? = nil, unit: String, year: Int, indicator: Indicator, kind: Kind, low: Int64, high: Int64,
        document: String
    ) {
        self.id = id
        self.unit = unit
        self.year = year
        self.indicator = indicator
        self.kind = kind
        self.low = low
        self.high = high
        self.document = document
    }

    public var isRange: Bool { low != high }

    /// Why the target cannot be kept, or nil.
    public var problem: String? {
        if !(2000...2100).contains(year) { return "year= must be between 2000 and 2100" }
        if !indicator.kinds.contains(kind) {
            return "\(indicator.rawValue) takes kind=\(indicator.kinds.map(\.rawValue).joined(separator: " or "))"
        }
        if high < low { return "max= is below min=" }
        if !indicator.isRate && (low % 100 != 0 || high % 100 != 0) {
            return "\(indicator.rawValue) counts households: give a whole number"
        }
        if indicator.isRate && (kind == .level || kind == .coverage) && high > 10_000 {
            return "a rate cannot exceed 100 %"
        }
        if document.trimmingCharacters(in: .whitespaces).isEmpty { return "document= names the deciding document" }
        return nil
    }

    /// The result of judging a target against the figure reached (in hundredths).
    public struct Result: Sendable, Hashable {
        public var actual: Int64
        public var met: Bool
        /// For a range: whether the figure lies within it.
        public var within: Bool?
        /// Positive: beaten by; negative: missed by (hundredths).
        public var margin: Int64
    }

    /// Judges the target: a level is met at or below its value (the top of a range), a reduction or a count at
    /// or above its value (the bottom of a range). The margin is taken from the bound that decides.
    public func judge(actual: Int64) -> Result {
        switch kind.comparison {
        case .atMost:
            return Result(
                actual: actual, met: actual <= high, within: isRange ? (low...high).contains(actual) : nil,
                margin: high - actual)
        case .atLeast:
            return Result(
                actual: actual, met: actual >= low, within: isRange ? (low...high).contains(actual) : nil,
                margin: actual - low)
        }
    }

    /// The figure a target is judged on, from the report's years (this year's and the year before's) and the
    /// flows into this year; nil when the figures needed are missing (no total for a rate, no earlier year for
    /// a reduction).
    public func actual(this: PovertyReport.Year, before: PovertyReport.Year?, flows: ListTransitions?) -> Int64? {
        func value(_ year: PovertyReport.Year) -> Int64? {
            switch indicator {
            case .povertyRate: year.poorRate.map(Int64.init)
            case .nearPoorRate: year.nearPoorRate.map(Int64.init)
            case .multidimensionalRate: year.multidimensionalRate.map(Int64.init)
            case .poor: Int64(year.poor.households) * 100
            case .nearPoor: Int64(year.nearPoor.households) * 100
            case .escapedPoor, .escapedNearPoor: nil
            case .poorInsured: year.poorInsuredShare.map(Int64.init)
            case .nearPoorInsured: year.nearPoorInsuredShare.map(Int64.init)
            }
        }
        switch kind {
        case .level, .coverage:
            return value(this)
        case .reduction:
            guard let before, let start = value(before), let end = value(this) else { return nil }
            return start - end
        case .count:
            guard let flows else { return nil }
            switch indicator {
            case .escapedPoor: return Int64(flows.poor.escaped.total.count) * 100
            case .escapedNearPoor: return Int64(flows.nearPoor.escaped.count) * 100
            default: return nil
            }
        }
    }
}
