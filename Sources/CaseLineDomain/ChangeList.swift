/// `field: old → new` items for audit records, joined by `; ` (HISTORY redacts identity items by their key).
public struct ChangeList: Sendable, Hashable {
    private var items: [String] = []

    public init() {}

    public mutating func note(_ field: String, _ old: String?, _ new: String?) {
        guard old != new else { return }
        items.append("\(field): \(old ?? "–") → \(new ?? "–")")
    }

    public var isEmpty: Bool { items.isEmpty }
    public var text: String { items.joined(separator: "; ") }
}
