/// Urban or rural: it chooses the income line and the score-A line a household is measured against (NĐ
/// 07/2021 art. 3 and NĐ 351/2025 set one line for each; TT 07/2021's Phiếu B one score for each).
public enum SettlementArea: String, Sendable, Hashable, Codable, CaseIterable {
    case rural
    case urban

    /// The Vietnamese term used on the forms.
    public var label: String {
        switch self {
        case .rural: "nông thôn"
        case .urban: "thành thị"
        }
    }
}

/// A value given separately for rural and urban households (income lines, score lines).
public struct ByArea<Value: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
    public var rural: Value
    public var urban: Value

    public init(rural: Value, urban: Value) {
        self.rural = rural
        self.urban = urban
    }

    public subscript(area: SettlementArea) -> Value {
        switch area {
        case .rural: rural
        case .urban: urban
        }
    }
}
