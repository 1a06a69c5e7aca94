/// A request that passed framing, grammar and the command table: every value is valid for its kind and in
/// normal form (NFC text, canonical spelling), so the layers above never re-parse.
public struct Command: Sendable, Hashable {
    public var tag: String
    /// Canonical name from the command table: `PING`, `TASK CREATE`.
    public var name: String
    /// Positional values, in order.
    public var arguments: [String]
    /// Options by lower-case key.
    public var options: [String: String]

    public init(tag: String, name: String, arguments: [String] = [], options: [String: String] = [:]) {
        self.tag = tag
        self.name = name
        self.arguments = arguments
        self.options = options
    }

    public subscript(option key: String) -> String? { options[key] }

    public func argument(_ index: Int) -> String? { arguments.indices.contains(index) ? arguments[index] : nil }
}

/// One argument as written on the wire, before the command table gives it meaning.
public enum Token: Sendable, Hashable {
    case atom(String)
    case quoted(String)
    case literal(String)
    indirect case option(key: String, value: Token)

    /// The text the token carries (for an option, its value's text).
    public var text: String {
        switch self {
        case .atom(let text), .quoted(let text), .literal(let text): return text
        case .option(_, let value): return value.text
        }
    }
}

/// A request that passed framing and grammar: a tag and its tokens.
public struct RawRequest: Sendable, Hashable {
    public var tag: String
    public var tokens: [Token]
}
