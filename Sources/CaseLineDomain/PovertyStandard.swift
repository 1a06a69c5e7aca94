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

    /// The deprivation indicators the standard measures; a survey ticking another one is refused.
    public let indicators: [Deprivation]

    public init(
        name: String, decree: String, years: ClosedRange<Int>, ruralLine: Int64, urbanLine: Int64,
        poorDeprivations: Int, indicators: [Deprivation]
    ) {
        self.name = name
        self.decree = decree
        self.years = years
        self.ruralLine = ruralLine
        self.urbanLine = urbanLine
        self.poorDeprivations = poorDeprivations
        self.indicators = indicators
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
    /// Named for the period it was made for; Nghị định 351/2025/NĐ-CP keeps it in force through 31/12/2026, so
    /// it classifies 2026 too (the review now under way).
    public static let v2022to2025 = PovertyStandard(
        name: "2022-2025", decree: "Nghị định 07/2021/NĐ-CP", years: 2022...2026, ruralLine: 1_500_000,
        urbanLine: 2_000_000, poorDeprivations: 3,
        indicators: Deprivation.allCases.filter { $0 != .digitalServices && $0 != .householdWaste })

    /// Nghị định 351/2025/NĐ-CP, for 2027–2030: 2,200,000 VND rural, 2,800,000 VND urban, poor from 3
    /// deprivations. Its indicator set drops "means of access to information" and adds the use of digital
    /// services and the handling of household waste (the final wording of the indicators is not in our sources;
    /// the full description, with the survey's scores, is `StandardDescription.nd351`).
    public static let v2027to2030 = PovertyStandard(
        name: "2027-2030", decree: "Nghị định 351/2025/NĐ-CP", years: 2027...2030, ruralLine: 2_200_000,
        urbanLine: 2_800_000, poorDeprivations: 3,
        indicators: Deprivation.allCases.filter { $0 != .informationAccess })

    /// Every standard this server knows. A later decree is added here as a new value; assessments made under
    /// an old one keep it.
    public static let all: [PovertyStandard] = [v2022to2025, v2027to2030]

    public static func named(_ name: String) -> PovertyStandard? { all.first { $0.name == name } }

    /// The standard whose period contains `year`, if any.
    public static func covering(_ year: Int) -> PovertyStandard? { all.first { $0.years.contains(year) } }
}

/// The indicators of multidimensional poverty (CLP1.md §10.8): the 12 of NĐ 07/2021 in their 6 dimensions, and
/// the two NĐ 351/2025 adds. Each standard lists the ones it measures (`PovertyStandard.indicators`).
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
    /// NĐ 351/2025 only: use of digital services / the internet.
    case digitalServices = "digital-services"
    /// NĐ 351/2025 only: handling of household waste.
    case householdWaste = "household-waste"

    /// Table order, so that a list reads the same however it was typed.
    public static func < (a: Deprivation, b: Deprivation) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
