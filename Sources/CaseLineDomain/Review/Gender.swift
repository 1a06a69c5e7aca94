/// A person's gender as the forms record it (nam / nữ).
public enum Gender: String, Sendable, Hashable, Codable, CaseIterable {
    case male
    case female

    public var label: String { self == .male ? "nam" : "nữ" }
}
