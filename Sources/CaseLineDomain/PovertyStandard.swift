/// A poverty standard (chuẩn nghèo): the income lines and deprivation rule that classify households for the
/// years of its period (CLP1.md §10.8). Standards change by decree from one period to the next, so the rule is
/// versioned: every assessment records the standard it was computed with and is never recomputed under a later
/// one.
public struct PovertyStandard: Sendable, Hashable {
    /// How a household is classified for a year. Computed, never typed.
    public enum Classification: String, Sendable, Hashable, CaseIterable {
        case poor
        case nearPoor = "near-poor"
        case escaped
        case average

        /// The classes a household "escapes" from when its income rises above the line.
        public var isPoorOrNearPoor: Bool { self == .poor || self == .nearPoor }
    }

    /// `2022-2025`: the name used on the wire (`standard=`).
    public let name: String
    /// The legal text that set it.
    public let decree: String
    /// The years it classifies.
    public let years: ClosedRange<Int>
    /// Per-capita monthly income lines, VND.
    public let ruralLine: Int64
    public let urbanLine: Int64
    /// A household at or under the line is poor with at least this many deprivations, near-poor with fewer.
    public let poorDeprivations: Int

    public init(
        name: String, decree: String, years: ClosedRange<Int>, ruralLine: Int64, urbanLine: Int64,
        poorDeprivations: Int
    ) {
        self.name = name
        self.decree = decree
        self.years = years
        self.ruralLine = ruralLine
        self.urbanLine = urbanLine
        self.poorDeprivations = poorDeprivations
    }

    public func line(for area: Household.Area) -> Int64 {
        switch area {
        case .rural: ruralLine
        case .urban: urbanLine
        }
    }

    /// The table of §10.8. `previous` is the household's class for the year before, as it stands now (nil when
    /// that year was never assessed): it decides only between `escaped` and `average`.
    public func classify(
        income: Int64, deprivations: Int, area: Household.Area, previous: Classification?
    ) -> Classification {
        if income <= line(for: area) { return deprivations >= poorDeprivations ? .poor : .nearPoor }
        return previous?.isPoorOrNearPoor == true ? .escaped : .average
    }

    /// Nghị định 07/2021/NĐ-CP: 1,500,000 VND rural, 2,000,000 VND urban, poor from 3 of the 12 deprivations.
    public static let v2022to2025 = PovertyStandard(
        name: "2022-2025", decree: "Nghị định 07/2021/NĐ-CP", years: 2022...2025, ruralLine: 1_500_000,
        urbanLine: 2_000_000, poorDeprivations: 3)

    /// Every standard this server knows. A later decree (e.g. 351/2025 for 2026–2030) is added here as a new
    /// value; assessments made under the old one keep it.
    public static let all: [PovertyStandard] = [v2022to2025]

    public static func named(_ name: String) -> PovertyStandard? { all.first { $0.name == name } }

    /// The standard whose period contains `year`, if any.
    public static func covering(_ year: Int) -> PovertyStandard? { all.first { $0.years.contains(year) } }
}

/// The 12 indicators of multidimensional poverty, in their 6 dimensions (NĐ 07/2021, CLP1.md §10.8).
public enum Deprivation: String, Sendable, Hashable, CaseIterable, Comparable {
    case employment, dependants
    case nutrition
    case healthInsurance = "health-insurance"
    case adultEducation = "adult-education"
    case schoolAttendance = "school-attendance"
    case housingQuality = "housing-quality"
    case housingArea = "housing-area"
    case drinkingWater = "drinking-water"
    case latrine
    case telecom
    case informationAccess = "information-access"

    /// Table order, so that a list reads the same however it was typed.
    public static func < (a: Deprivation, b: Deprivation) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
