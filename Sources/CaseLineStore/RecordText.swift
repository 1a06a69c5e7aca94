public import CaseLineDomain

/// Entity ids as the protocol shows them (`T-12`, `CM-3` …): a kind's prefix and the number the store
/// assigned, in creation order. Every backend numbers and parses them alike.
public enum EntityID {
    public static let token = "TK"
    public static let committee = "CM"
    public static let assignment = "AS"
    public static let task = "T"
    public static let comment = "TC"
    public static let caseFile = "C"
    public static let delegation = "DL"
    public static let household = "HH"
    public static let person = "P"

    /// The number of `PREFIX-n`; nil for another kind's id or anything malformed (the store then finds nothing).
    public static func number(_ id: String, prefix: String) -> Int64? {
        guard id.hasPrefix(prefix + "-") else { return nil }
        return Int64(id.dropFirst(prefix.count + 1))
    }

    public static func make(_ prefix: String, _ number: Int64) -> String { "\(prefix)-\(number)" }
}

/// The stored text of the record fields that are lists of values, shared by every backend so that what one
/// writes another reads (a dump moved from SQLite to PostgreSQL keeps its meaning).
public enum RecordText {
    /// A case's funding lines as `source:amount` items.
    public static func fundingItems(_ funding: [CaseFile.Funding]) -> [String] {
        funding.map { "\($0.source):\($0.amount)" }
    }

    /// The funding lines of `fundingItems(_:)`; malformed items are skipped.
    public static func funding(items: [String]) -> [CaseFile.Funding] {
        items.compactMap { item in
            let parts = item.split(separator: ":")
            guard parts.count == 2, let amount = Int64(parts[1]) else { return nil }
            return CaseFile.Funding(source: String(parts[0]), amount: amount)
        }
    }

    /// An assessment's deprivations as `a,b,c`, in the order assessed.
    public static func deprivations(_ deprived: [Deprivation]) -> String {
        deprived.map(\.rawValue).joined(separator: ",")
    }

    /// The deprivations of `deprivations(_:)`; unknown names are skipped.
    public static func deprivations(from text: String) -> [Deprivation] {
        text.split(separator: ",").compactMap { Deprivation(rawValue: String($0)) }
    }
}
