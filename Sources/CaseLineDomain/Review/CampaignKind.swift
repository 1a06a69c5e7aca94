/// Định kỳ (once a year, 1 September – 14 December) or thường xuyên (ad hoc: a month's requests, from the 15th,
/// decided within 15 days) — QĐ 24/2021/QĐ-TTg art. 3.
public enum CampaignKind: String, Sendable, Hashable, Codable, CaseIterable {
    case periodic
    case adHoc = "ad-hoc"
}
