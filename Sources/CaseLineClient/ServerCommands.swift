public import CaseLineProtocol
public import Foundation

/// The command table as the server describes it in one `HELP params=yes` answer: each command's name and
/// syntax, whether the caller may run it, and its parameters (positional or option, kind, choices, limits,
/// and whether they are secret). The client learns it from the server it talks to, so that splitting words
/// into options, completion and keeping secrets out of the history all follow that server, whatever its
/// version; it is cached per server and server version (`CommandCache`).
public struct ServerCommands: Sendable, Codable, Equatable {
    public struct Parameter: Sendable, Codable, Equatable {
        public var name: String
        /// 1-based position for a positional value; nil for an option.
        public var position: Int?
        /// The kind's placeholder as HELP prints it: `text`, `id`, `unit`, `YYYY-MM-DD`, `a|b|c` …
        public var kind: String
        public var min: Int64?
        public var max: Int64?
        public var required: Bool
        public var secret: Bool

        public var isOption: Bool { position == nil }

        /// The listed words of a choice kind (`low|normal|high`, `yes|no`); empty for other kinds.
        public var choices: [String] {
            let words = kind.split(separator: "|").map(String.init)
            guard words.count > 1, words.allSatisfy({ $0.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" } })
            else { return [] }
            return words
        }
    }

    public struct Entry: Sendable, Codable, Equatable {
        public var name: String
        public var group: String
        public var syntax: String
        public var summary: String
        public var beforeLogin: Bool
        public var allowed: Bool
        public var parameters: [Parameter]

        public var positionals: [Parameter] { parameters.filter { !$0.isOption } }
        public var options: [Parameter] { parameters.filter(\.isOption) }
        /// A command with a secret parameter: its lines never reach the history.
        public var isSecret: Bool { parameters.contains(where: \.secret) }
        public func option(_ name: String) -> Parameter? { options.first { $0.name == name } }
    }

    public struct Malformed: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The `server=` of the greeting this table came from (`caseline/0.1.0`).
    public var server: String
    public var commands: [Entry]

    public init(server: String, commands: [Entry]) {
        self.server = server
        self.commands = commands
    }

    /// From the records of `HELP params=yes`: each HELP record followed by its PARAM records.
    public init(records: [Record], server: String) throws {
        var commands: [Entry] = []
        for record in records {
            switch record.type {
            case "HELP":
                guard let name = record["command"] else {
                    throw Malformed(description: "a HELP record without command")
                }
                commands.append(
                    Entry(
                        name: name, group: record["group"] ?? "", syntax: record["syntax"] ?? name,
                        summary: record["summary"] ?? "", beforeLogin: record["before-login"] == "yes",
                        allowed: record["allowed"] != "no", parameters: []))
            case "PARAM":
                guard let name = record["name"], let last = commands.indices.last,
                    record["command"] == commands[last].name
                else { throw Malformed(description: "a PARAM record that follows no HELP record of its command") }
                commands[last].parameters.append(
                    Parameter(
                        name: name,
                        position: record["form"] == "positional" ? record["position"].flatMap { Int($0) } : nil,
                        kind: record["kind"] ?? "text", min: record["min"].flatMap { Int64($0) },
                        max: record["max"].flatMap { Int64($0) }, required: record["required"] == "yes",
                        secret: record["secret"] == "yes"))
            default:
                continue
            }
        }
        guard !commands.isEmpty else { throw Malformed(description: "HELP listed no command") }
        self.init(server: server, commands: commands)
    }

    public subscript(name: String) -> Entry? { commands.first { $0.name == name } }

    /// Verbs that take a subcommand (`TASK`, `CASE` …).
    public var families: Set<String> {
        Set(commands.compactMap { $0.name.contains(" ") ? String($0.name.split(separator: " ")[0]) : nil })
    }

    /// The command named by the first one or two words (any letter case), and how many words named it.
    public func resolve(_ words: [String]) -> (entry: Entry, consumed: Int)? {
        guard let first = words.first?.uppercased() else { return nil }
        if words.count > 1, let entry = self[first + " " + words[1].uppercased()] { return (entry, 2) }
        return self[first].map { ($0, 1) }
    }

    /// The first two words of a typed protocol line, with a leading tag-less verb.
    public static func leadingWords(_ line: String) -> [String] {
        Array(line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true).prefix(2).map(String.init))
    }
}

/// The tables learned from servers, in files under the XDG cache directory: one per host, port and server
/// version, so that a new server version is asked again and an old one is never trusted for a new one.
public struct CommandCache: Sendable {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    public func file(host: String, port: Int, server: String) -> URL {
        let safe = "\(host)_\(port)_\(server)".map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "_" }
        return directory.appendingPathComponent(String(safe) + ".json")
    }

    public func load(host: String, port: Int, server: String) -> ServerCommands? {
        guard let data = try? Data(contentsOf: file(host: host, port: port, server: server)),
            let table = try? JSONDecoder().decode(ServerCommands.self, from: data), table.server == server
        else { return nil }
        return table
    }

    /// Written whole to a temporary file, then renamed: a reader never sees half a table.
    public func store(_ table: ServerCommands, host: String, port: Int) throws {
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let data = try JSONEncoder().encode(table)
        try data.write(to: file(host: host, port: port, server: table.server), options: .atomic)
    }
}
