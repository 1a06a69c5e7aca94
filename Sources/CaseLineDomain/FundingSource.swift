/// Where money for a case comes from (QĐ 90/QĐ-TTg: the programme's sources), as the wire spells them.
public enum FundingSource: String, Sendable, Hashable, CaseIterable {
    case central, provincial, commune, integrated, socialised, credit
}
