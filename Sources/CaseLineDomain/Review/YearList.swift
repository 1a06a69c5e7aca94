/// A commune's decided lists for one year: every household of its register with its class and the number of
/// persons it counted that year. A household absent from it was not in the register that year (it had not
/// formed yet, had moved away, had merged or died out) — which is not the same as being above the line.
public struct YearList: Sendable, Hashable, Codable {
    public var year: Int
    public var households: [String: ListedHousehold]

    public init(year: Int, households: [String: ListedHousehold]) {
        self.year = year
        self.households = households
    }

    /// Households of a class, by id.
    public func ids(of classification: ReviewClass) -> [String] {
        households.filter { $0.value.classification == classification }.keys.sorted()
    }
}

public struct ListedHousehold: Sendable, Hashable, Codable {
    public var classification: ReviewClass
    /// Persons in the household that year (head included); reports count people as well as households.
    public var persons: Int

    public init(_ classification: ReviewClass, persons: Int) {
        self.classification = classification
        self.persons = persons
    }
}
