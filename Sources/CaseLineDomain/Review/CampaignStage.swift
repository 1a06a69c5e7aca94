/// The stages of a review campaign, in the order of QĐ 24/2021/QĐ-TTg art. 4 (periodic review): the commune
/// plans, lists the households to review, surveys them (Phiếu A, then Phiếu B), holds a meeting in each village,
/// posts the results publicly, asks the higher level's opinion, and its chairman decides and signs the
/// certificates. A standard's description says which of these a kind of campaign goes through and in what
/// order (an ad-hoc review skips the plan and the opinion: art. 5 refers to clauses 2–4 of art. 4 only).
public enum CampaignStage: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Kế hoạch: the steering committee, reviewers and schedule.
    case plan
    /// Lập danh sách: current poor and near-poor households, requests (Mẫu 01, Mẫu 04).
    case listing
    /// Rà soát: Phiếu A, Phiếu B per household.
    case survey
    /// Họp dân: one meeting per village, ≥ 50 % of those present agreeing.
    case meetings
    /// Niêm yết công khai: the posting period, complaints.
    case posting
    /// Báo cáo, xin ý kiến: the higher level (district chair until 30/6/2025, province since).
    case opinion
    /// Công nhận: the commune chairman's decision.
    case decision
    /// Cấp giấy chứng nhận (Mẫu 03): after the decision, which froze the campaign.
    case certificates
    /// Every request of an ad-hoc campaign was refused in writing; nothing left to decide.
    case refused

    public static func < (a: CampaignStage, b: CampaignStage) -> Bool {
        let order = allCases
        return (order.firstIndex(of: a) ?? 0) < (order.firstIndex(of: b) ?? 0)
    }

    /// The stage's name on the forms and in the audit trail.
    public var label: String {
        switch self {
        case .plan: "kế hoạch"
        case .listing: "lập danh sách"
        case .survey: "rà soát"
        case .meetings: "họp dân"
        case .posting: "niêm yết công khai"
        case .opinion: "xin ý kiến cấp trên"
        case .decision: "quyết định công nhận"
        case .certificates: "cấp giấy chứng nhận"
        case .refused: "từ chối"
        }
    }
}
