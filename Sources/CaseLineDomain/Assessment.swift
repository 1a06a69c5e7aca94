public import Foundation

/// One year's classification of a household, computed by a poverty standard and stored with everything the
/// rule used (income, area, line, deprivations, previous class), so that it reads the same after the
/// household or the standards change. A second assessment of the same year replaces the first.
public struct Assessment: Sendable, Hashable {
    public var household: String
    public var year: Int
    /// The standard's name, e.g. `2022-2025`.
    public var standard: String
    /// Per-capita monthly income, VND.
    public var income: Int64
    public var area: Household.Area
    public var incomeLine: Int64
    /// In table order.
    public var deprived: [Deprivation]
    public var classification: PovertyStandard.Classification
    /// The previous year's class the rule used, when that year was assessed.
    public var previous: PovertyStandard.Classification?
    public var by: String
    public var at: Date

    public init(
        household: String, year: Int, standard: String, income: Int64, area: Household.Area, incomeLine: Int64,
        deprived: [Deprivation], classification: PovertyStandard.Classification,
        previous: PovertyStandard.Classification?, by: String, at: Date = Date()
    ) {
        self.household = household
        self.year = year
        self.standard = standard
        self.income = income
        self.area = area
        self.incomeLine = incomeLine
        self.deprived = deprived
        self.classification = classification
        self.previous = previous
        self.by = by
        self.at = at
    }

    /// Applies `standard` to the household as it stands (its area) and the previous year's class.
    public static func compute(
        household: Household, year: Int, income: Int64, deprived: [Deprivation], standard: PovertyStandard,
        previous: PovertyStandard.Classification?, by: String
    ) -> Assessment {
        let sorted = Array(Set(deprived)).sorted()
        return Assessment(
            household: household.id, year: year, standard: standard.name, income: income, area: household.area,
            incomeLine: standard.line(for: household.area), deprived: sorted,
            classification: standard.classify(
                income: income, deprivations: sorted.count, area: household.area, previous: previous),
            previous: previous, by: by)
    }
}
