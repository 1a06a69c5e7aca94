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
    /// Relation to the head, free text (`vợ`, `con` …).
    public var relation: String
    public var removed: Bool

    public init(
        id: String = "", household: String, name: String, gender: Household.Gender, birth: String, relation: String,
        removed: Bool = false
    ) {
        self.id = id
        self.household = household
        self.name = name
        self.gender = gender
        self.birth = birth
        self.relation = relation
        self.removed = removed
    }
}
