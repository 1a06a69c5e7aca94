/// The degrees of disability of the Law on Persons with Disabilities (Luật Người khuyết tật 2010, art. 3):
/// đặc biệt nặng, nặng, nhẹ.
public enum DisabilityLevel: String, Sendable, Hashable, Codable, CaseIterable {
    case extremelySevere = "extremely-severe"
    case severe
    case mild

    public var label: String {
        switch self {
        case .extremelySevere: "đặc biệt nặng"
        case .severe: "nặng"
        case .mild: "nhẹ"
        }
    }

    /// A code or the Vietnamese words (`nặng`, `dac biet nang`).
    public static func parse(_ text: String) -> DisabilityLevel? {
        let folded = NameFolding.fold(text)
        return allCases.first { $0.rawValue == folded || NameFolding.fold($0.label) == folded }
    }
}
