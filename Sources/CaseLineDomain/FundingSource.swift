/// Where money for a case comes from (QĐ 90/QĐ-TTg: the programme's sources), as the wire spells them.
public enum FundingSource: String, Sendable, Hashable, CaseIterable {
    case central, provincial
    /// The district budget: records of 2022 – June 2025, before the district tier was abolished.
    case district
    case commune, integrated, socialised, credit
    /// The household's own contribution (e.g. to a house it builds with a grant).
    case household
}
