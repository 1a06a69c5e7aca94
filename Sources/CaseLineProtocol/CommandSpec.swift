/// The syntax of one command: its name, its positional parameters and its options.
///
/// `CommandTable` holds one of these per command. The codec validates requests against it, `HELP` prints it,
/// and the client completes from it, so the three can never drift apart.
public struct CommandSpec: Sendable, Hashable {
    /// Canonical upper-case name, one or two words: `PING`, `TASK CREATE`.
    public let name: String
    public let group: Group
    /// One line of English for `HELP`.
    public let summary: String
    /// Positional parameters, required ones first.
    public let positionals: [Parameter]
    /// `key=value` options, in the order `HELP` shows them.
    public let options: [Parameter]
    /// Whether the command may be sent before the session is authenticated.
    public let allowedBeforeLogin: Bool

    public init(
        _ name: String, group: Group, summary: String, positionals: [Parameter] = [], options: [Parameter] = [],
        allowedBeforeLogin: Bool = false
    ) {
        self.name = name
        self.group = group
        self.summary = summary
        self.positionals = positionals
        self.options = options
        self.allowedBeforeLogin = allowedBeforeLogin
    }

    public enum Group: String, Sendable, Hashable, CaseIterable {
        case session, users, tokens, units, committees, assignments, tasks, households, cases, approvals, reports
        case events, audit
    }

    public struct Parameter: Sendable, Hashable {
        public let name: String
        public let kind: ValueKind
        public let required: Bool
        /// Passwords and tokens: redacted from logs, from the client's history and from echoed errors.
        public let secret: Bool

        public init(_ name: String, _ kind: ValueKind, required: Bool = false, secret: Bool = false) {
            self.name = name
            self.kind = kind
            self.required = required
            self.secret = secret
        }
    }

    public var requiredPositionals: Int { positionals.filter(\.required).count }

    public func option(named key: String) -> Parameter? { options.first { $0.name == key } }

    /// `TASK CREATE <commune:unit> title=<text> [due=<YYYY-MM-DD>] …`, as `HELP VERB` prints it.
    public var syntax: String {
        var words = [name]
        for parameter in positionals {
            let shown = "<\(parameter.name)>"
            words.append(parameter.required ? shown : "[\(shown)]")
        }
        for option in options {
            let shown = "\(option.name)=<\(option.kind.placeholder)>"
            words.append(option.required ? shown : "[\(shown)]")
        }
        return words.joined(separator: " ")
    }
}
