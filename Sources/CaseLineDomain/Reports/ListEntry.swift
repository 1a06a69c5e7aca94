/// One household's class on one year's list, as the decision in force gives it (the latest decision of that
/// year, `EffectiveList`), with what reports break the lists down by. The store hands these over already
/// resolved, so a report at province scale never decodes whole assessments.
public struct ListEntry: Sendable, Hashable {
    /// The household's number (`HH-n` → n): a report at province scale handles hundreds of thousands of these,
    /// and integers cost no allocation.
    public var household: Int
    /// The commune the list was made in, as records store it (`CODE` or `legacy:CODE`).
    public var commune: String
    public var listYear: Int
    public var classification: ReviewClass
    /// Persons counted by the decision (at least 1).
    public var persons: Int

    public init(household: Int, commune: String, listYear: Int, classification: ReviewClass, persons: Int) {
        self.household = household
        self.commune = commune
        self.listYear = listYear
        self.classification = classification
        self.persons = max(1, persons)
    }
}

extension ListEntry {
    /// `HH-12` → 12, `RC-3` → 3: the number of an id (nil when it has none). Stores keep it beside each
    /// assessment so that a report reads integers.
    public static func number(_ id: String) -> Int? {
        guard let dash = id.firstIndex(of: "-") else { return nil }
        return Int(id[id.index(after: dash)...])
    }

    /// The class as a small number: none 0, poor 1, near-poor 2, average-living 3.
    public static func code(_ classification: ReviewClass) -> Int {
        switch classification {
        case .none: 0
        case .poor: 1
        case .nearPoor: 2
        case .averageLiving: 3
        }
    }

    /// The classes by code.
    public static let classes: [ReviewClass] = [.none, .poor, .nearPoor, .averageLiving]
}

/// What the register says of a household's head and place, for the reports' breakdowns. These are today's
/// register facts (the head's ethnicity and gender, the household's area), not as they were in each year.
public struct HouseholdFacts: Sendable, Hashable {
    public var minority: Bool
    public var femaleHead: Bool
    public var urban: Bool

    public init(minority: Bool, femaleHead: Bool, urban: Bool) {
        self.minority = minority
        self.femaleHead = femaleHead
        self.urban = urban
    }
}
