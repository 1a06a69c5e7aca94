public import CaseLineDomain
public import Foundation

/// What one poverty report reads, taken in one read transaction so that its figures agree with each other.
public struct PovertySnapshot: Sendable {
    /// The lists in force (the latest decision of each household's year) with the households' register facts.
    public var lists: ListMatrix
    /// Totals by unit, then year.
    public var totals: [String: [Int: HouseholdTotal]]
    /// The targets set for the reported unit, read in the same snapshot.
    public var targets: [Target]
    /// Households named in the communes' approved health-insurance cases of the years read.
    public var insured: [InsuredHousehold]

    public init(
        lists: ListMatrix, totals: [String: [Int: HouseholdTotal]], targets: [Target], insured: [InsuredHousehold]
    ) {
        self.lists = lists
        self.totals = totals
        self.targets = targets
        self.insured = insured
    }

    /// The entries of the lists (tests compare them with what was written).
    public var entries: [ListEntry] { lists.entries }
    /// Register facts by household number (`HH-n` → n).
    public var facts: [Int: HouseholdFacts] { lists.facts }
}

/// A household named in an approved health-insurance case: the case's programme year and when it was decided
/// (a report as of an earlier day leaves it out).
public struct InsuredHousehold: Sendable, Hashable {
    public var year: Int
    /// The household's number (`HH-n` → n).
    public var household: Int
    public var decidedAt: Date

    public init(year: Int, household: Int, decidedAt: Date) {
        self.year = year
        self.household = household
        self.decidedAt = decidedAt
    }
}

extension HouseholdFacts {
    /// The facts as the register keeps them: gender and area as stored, the ethnicity by name or code (a
    /// minority is any group but Kinh, per the official list).
    public static func bits(gender: String, ethnicity: String?, area: String, minority: inout [String: Bool]) -> UInt8 {
        let isMinority =
            ethnicity.map { text in
                if let known = minority[text] { return known }
                let found = EthnicGroup.lookup(text)?.isMinority ?? false
                minority[text] = found
                return found
            } ?? false
        return HouseholdFacts(minority: isMinority, femaleHead: gender == "female", urban: area == "urban").bits
    }
}
