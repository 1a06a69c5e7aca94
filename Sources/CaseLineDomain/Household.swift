public import Foundation

/// A household of a commune (CLP1.md §10.8). The head is part of the record; the other members are
/// `HouseholdMember`s. Members and assessments belong to the household entity: changing them raises its
/// revision.
public struct Household: Sendable, Hashable {
    public enum Gender: String, Sendable, Hashable, CaseIterable {
        case male, female
    }

    /// Sets the income line an assessment applies.
    public enum Area: String, Sendable, Hashable, CaseIterable {
        case rural, urban
    }

    /// `HH-n`; empty until stored.
    public var id: String
    /// `CODE`, or `legacy:CODE` for records filed before the 2025 reform.
    public var commune: String
    public var village: String
    public var area: Area
    /// Identity fields (head, birth, idNumber): sent only to readers who may see personal data.
    public var head: String
    public var gender: Gender
    /// `YYYY-MM-DD`.
    public var birth: String
    public var ethnicity: String?
    /// CCCD (12 digits) or old CMND (9 digits); unique among heads.
    public var idNumber: String?
    /// For a household of a legacy commune split in 2025: the 2025 commune it went to (imported with it;
    /// `HouseholdPlacement`), under which it counts instead of the legacy commune's primary successor. Nil for
    /// every other household. Kept by the store as imported: later writes do not change it.
    public var successor: String?
    /// Persons, head included (derived by the store).
    public var size: Int
    /// The latest assessment's class and its year (derived by the store; HOUSEHOLD LIST year= substitutes
    /// that year's).
    public var classification: PovertyStandard.Classification?
    public var classYear: Int?
    public var createdAt: Date
    public var updatedAt: Date
    public var revision: Int64

    public init(
        id: String = "", commune: String, village: String, area: Area, head: String, gender: Gender, birth: String,
        ethnicity: String? = nil, idNumber: String? = nil, successor: String? = nil, size: Int = 1,
        classification: PovertyStandard.Classification? = nil, classYear: Int? = nil, createdAt: Date = Date(),
        updatedAt: Date = Date(),
        revision: Int64 = 1
    ) {
        self.id = id
        self.commune = commune
        self.village = village
        self.area = area
        self.head = head
        self.gender = gender
        self.birth = birth
        self.ethnicity = ethnicity
        self.idNumber = idNumber
        self.successor = successor
        self.size = size
        self.classification = classification
        self.classYear = classYear
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.revision = revision
    }

    /// A citizen ID number: 12 digits (CCCD) or 9 digits (the old CMND).
    public static func isValidIDNumber(_ text: String) -> Bool {
        (text.count == 12 || text.count == 9) && text.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
