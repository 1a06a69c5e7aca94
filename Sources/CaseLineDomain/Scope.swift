/// Where a user may act: the whole country, one province (with its communes), or one commune.
public enum Scope: Sendable, Hashable, Codable, CustomStringConvertible {
    case national
    case province(String)
    case commune(String)

    /// Parses the wire form `national`, `province:CODE`, `commune:CODE` (already validated by the codec).
    public init?(wire: String) {
        if wire == "national" {
            self = .national
            return
        }
        let parts = wire.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[1].isEmpty, parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber)
        else { return nil }
        switch parts[0] {
        case "province": self = .province(parts[1])
        case "commune": self = .commune(parts[1])
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .national: return "national"
        case .province(let code): return "province:\(code)"
        case .commune(let code): return "commune:\(code)"
        }
    }
}
