import Foundation

/// How a member is related to the head of the household (quan hệ với chủ hộ), as the household forms ask it.
/// A controlled list, so that reports can count children, the elderly living with their children and so on,
/// with an escape for what the list does not name (`other`, with the words used). Parsing accepts the
/// Vietnamese words people write (`vợ`, `con dâu`, `cháu nội`) as well as the codes.
public enum RelationToHead: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Chủ hộ.
    case head
    /// Vợ / chồng.
    case spouse
    /// Con (đẻ, nuôi).
    case child
    /// Con dâu / con rể.
    case childInLaw
    /// Cháu.
    case grandchild
    /// Bố / mẹ.
    case parent
    /// Bố / mẹ vợ hoặc chồng.
    case parentInLaw
    /// Ông / bà.
    case grandparent
    /// Anh / chị / em.
    case sibling
    /// Anything else, in the words given.
    case other(String)

    /// The codes, in the order forms list them.
    public static let listed: [RelationToHead] = [
        .head, .spouse, .child, .childInLaw, .grandchild, .parent, .parentInLaw, .grandparent, .sibling,
    ]

    /// `spouse`, `other:cháu họ`.
    public var code: String {
        switch self {
        case .head: "head"
        case .spouse: "spouse"
        case .child: "child"
        case .childInLaw: "child-in-law"
        case .grandchild: "grandchild"
        case .parent: "parent"
        case .parentInLaw: "parent-in-law"
        case .grandparent: "grandparent"
        case .sibling: "sibling"
        case .other(let words): "other:\(words)"
        }
    }

    public var label: String {
        switch self {
        case .head: "chủ hộ"
        case .spouse: "vợ/chồng"
        case .child: "con"
        case .childInLaw: "con dâu/con rể"
        case .grandchild: "cháu"
        case .parent: "bố/mẹ"
        case .parentInLaw: "bố/mẹ vợ/chồng"
        case .grandparent: "ông/bà"
        case .sibling: "anh/chị/em"
        case .other(let words): words
        }
    }

    public var description: String { code }

    /// The relation a code or Vietnamese words name; `other:…` (or `khác: …`) keeps the words. Nil for empty
    /// text or words that are not on the list (use `other:`).
    public static func parse(_ text: String) -> RelationToHead? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for prefix in ["other:", "khác:", "khac:"] where trimmed.lowercased().hasPrefix(prefix) {
            let words = trimmed.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
            return words.isEmpty ? nil : .other(words)
        }
        return words[NameFolding.fold(trimmed).replacingOccurrences(of: " / ", with: "/")]
    }

    static let words: [String: RelationToHead] = {
        var table: [String: RelationToHead] = [:]
        for relation in listed {
            table[NameFolding.fold(relation.code)] = relation
            table[NameFolding.fold(relation.label)] = relation
        }
        let more: [(RelationToHead, [String])] = [
            (.head, ["chủ hộ", "chu ho"]),
            (.spouse, ["vợ", "chồng"]),
            (.child, ["con đẻ", "con nuôi", "con trai", "con gái", "con riêng"]),
            (.childInLaw, ["con dâu", "con rể"]),
            (.grandchild, ["cháu nội", "cháu ngoại"]),
            (.parent, ["bố", "mẹ", "cha", "bố đẻ", "mẹ đẻ", "cha đẻ"]),
            (.parentInLaw, ["bố vợ", "mẹ vợ", "bố chồng", "mẹ chồng", "cha vợ", "cha chồng"]),
            (.grandparent, ["ông", "bà", "ông nội", "bà nội", "ông ngoại", "bà ngoại"]),
            (.sibling, ["anh", "chị", "em", "anh trai", "chị gái", "em trai", "em gái", "anh ruột", "chị ruột"]),
        ]
        for (relation, words) in more {
            for word in words { table[NameFolding.fold(word)] = relation }
        }
        return table
    }()

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let relation = Self.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a relation: \(text)")
        }
        self = relation
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
