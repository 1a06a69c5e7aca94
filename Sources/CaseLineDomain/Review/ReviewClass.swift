/// The classes the law gives a household for a year. There are three lists — hộ nghèo, hộ cận nghèo, hộ có
/// mức sống trung bình (NĐ 07/2021 art. 3) — and a household on none of them is simply not classified.
/// "Escaped" (thoát nghèo, thoát cận nghèo) is not a class but a change between two years' lists
/// (`ListTransitions`).
public enum ReviewClass: String, Sendable, Hashable, Codable, CaseIterable {
    case poor
    case nearPoor = "near-poor"
    /// Farming, forestry, fishery and salt-making households only, in the band above the line.
    case averageLiving = "average-living"
    case none

    /// On the poor or the near-poor list: what certificates (Mẫu 03) and the programme's support are for.
    public var isPoorOrNearPoor: Bool { self == .poor || self == .nearPoor }

    public var label: String {
        switch self {
        case .poor: "hộ nghèo"
        case .nearPoor: "hộ cận nghèo"
        case .averageLiving: "hộ có mức sống trung bình"
        case .none: "không thuộc diện"
        }
    }
}

/// Phiếu A (TT 07/2021): the quick identification that decides whether a household is surveyed with Phiếu B
/// at all. A household it excludes is not classified.
public enum PhieuAOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// Goes on to Phiếu B.
    case phieuB = "phieu-b"
    /// Excluded by one of Phiếu A's criteria.
    case excluded
}
