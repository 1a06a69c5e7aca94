/// What the programme's reports and the survey's indicators need to know about a person of a household, head
/// included, beyond name, gender and birth: the personal ID number (unique per person, masked and audited like
/// the head's), the ethnic group (minority counts), disability, a monthly social allowance, merit status, and
/// the relation to the head. The new fields of issue 14; the server's `HouseholdMember` gains them when it
/// switches over.
public struct MemberProfile: Sendable, Hashable, Codable {
    public var idNumber: CitizenID?
    public var ethnicity: EthnicGroup?
    /// Nil when the person has no recognised disability.
    public var disability: DisabilityLevel?
    /// Receives a monthly social allowance (trợ cấp xã hội hằng tháng, NĐ 20/2021/NĐ-CP).
    public var socialAllowance: Bool
    /// Người có công với cách mạng (Pháp lệnh Ưu đãi người có công với cách mạng 2020), or their relative
    /// receiving the allowance.
    public var merit: Bool
    public var relation: RelationToHead

    public init(
        idNumber: CitizenID? = nil, ethnicity: EthnicGroup? = nil, disability: DisabilityLevel? = nil,
        socialAllowance: Bool = false, merit: Bool = false, relation: RelationToHead
    ) {
        self.idNumber = idNumber
        self.ethnicity = ethnicity
        self.disability = disability
        self.socialAllowance = socialAllowance
        self.merit = merit
        self.relation = relation
    }

    /// The keys of audit changes and records that carry identity values, as `HouseholdRules.identityKeys` does
    /// for the head: the server masks and audits them.
    public static let identityKeys: Set<String> = ["id-number"]
}
