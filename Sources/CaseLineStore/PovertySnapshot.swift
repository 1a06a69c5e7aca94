public import CaseLineDomain

/// What one poverty report reads, taken in one read transaction so that its figures agree with each other.
public struct PovertySnapshot: Sendable {
    public var entries: [ListEntry]
    /// Register facts by household number (`HH-n` → n).
    public var facts: [Int: HouseholdFacts]
    /// Totals by unit, then year.
    public var totals: [String: [Int: HouseholdTotal]]
    /// The targets set for the reported unit, read in the same snapshot.
    public var targets: [Target]

    public init(
        entries: [ListEntry], facts: [Int: HouseholdFacts], totals: [String: [Int: HouseholdTotal]],
        targets: [Target]
    ) {
        self.entries = entries
        self.facts = facts
        self.totals = totals
        self.targets = targets
    }
}
