/// The grammar of a set of commands: what the codec validates requests against. The server builds its table
/// from its command registry (each command declared once, with its handler); a client learns it from the
/// server's `HELP params=yes`.
public struct CommandTable: Sendable {
    public let commands: [CommandSpec]
    private let byName: [String: CommandSpec]
    /// Verbs that take a subcommand (`TASK`, `USER` …), with their subcommands in table order.
    public let families: [String: [String]]

    public init(_ commands: [CommandSpec]) {
        self.commands = commands
        var byName: [String: CommandSpec] = [:]
        var families: [String: [String]] = [:]
        for command in commands {
            precondition(byName[command.name] == nil, "duplicate command \(command.name)")
            byName[command.name] = command
            let words = command.name.split(separator: " ")
            if words.count == 2 { families[String(words[0]), default: []].append(String(words[1])) }
        }
        self.byName = byName
        self.families = families
    }

    public subscript(name: String) -> CommandSpec? { byName[name] }

    /// The first word of every command, sorted: what a client completes at the start of a line.
    public var verbs: [String] {
        Array(Set(commands.map { String($0.name.split(separator: " ")[0]) })).sorted()
    }
}
