/// The resident households (and persons) of a commune in a year: the denominator of every rate. Lists count
/// only the poor and near-poor; the total counts everyone, so it is recorded from the commune's register or
/// the statistics office, with its source noted.
public struct HouseholdTotal: Sendable, Hashable, Codable {
    /// The commune, as records store units: `CODE` or `legacy:CODE`.
    public var unit: String
    public var year: Int
    public var households: Int
    public var persons: Int?
    /// Where the figure comes from (e.g. "Chi cục Thống kê, 31/12/2022").
    public var source: String
    public var by: String
    public var at: String

    public init(unit: String, year: Int, households: Int, persons: Int?, source: String, by: String, at: String) {
        self.unit = unit
        self.year = year
        self.households = households
        self.persons = persons
        self.source = source
        self.by = by
        self.at = at
    }

    /// What makes a total usable, or why not.
    public static func problem(households: Int, persons: Int?, year: Int) -> String? {
        if !(2000...2100).contains(year) { return "year= must be between 2000 and 2100" }
        if households < 1 { return "households= must be at least 1" }
        if let persons, persons < households {
            return "persons= (\(persons)) is fewer than households= (\(households))"
        }
        return nil
    }
}
