/// A household member other than the head (`PERSON` record, `P-n`). Part of the household entity: it has no
/// revision of its own. A removed member is kept (for the audit trail and idempotent replays), not shown.
public struct HouseholdMember: Sendable, Hashable {
    /// `P-n`; empty until stored.
    public var id: String
    /// `HH-n`.
    public var household: String
    /// Identity fields (name, birth): sent only to readers who may see personal data.
    public var name: String
    public var gender: Household.Gender
    /// `YYYY-MM-DD`.
    public var birth: String
    /// Relation to the head as entered (`vợ`, `con`, `spouse` …); `RelationToHead.parse` reads it.
    public var relation: String
    public var removed: Bool
    /// The personal ID number (CCCD, 12 digits): an identity field, unique per person across heads and members.
    public var idNumber: String?
    /// The ethnic group's name on the official list of 54 (`EthnicGroup`), for the minority counts.
    public var ethnicity: String?
    public var disability: DisabilityLevel?
    /// Receives a monthly social allowance (NĐ 20/2021/NĐ-CP).
    public var socialAllowance: Bool
    /// Người có công với cách mạng, or a relative receiving the allowance.
    public var merit: Bool

    public init(
        id: String = "", household: String, name: String, gender: Household.Gender, birth: String, relation: String,
        removed: Bool = false, idNumber: String? = nil, ethnicity: String? = nil, disability: DisabilityLevel? = nil,
        socialAllowance: Bool = false, merit: Bool = false
    ) {
        self.idNumber = idNumber
        self.ethnicity = ethnicity
        self.disability = disability
        self.socialAllowance = socialAllowance
        self.merit = merit
        self.id = id
        self.household = household
        self.name = name
        self.gender = gender
        self.birth = birth
        self.relation = relation
        self.removed = removed
    }
}
