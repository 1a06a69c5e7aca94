public import CaseLineProtocol

/// Turns words as a shell or a person gives them (`TASK LIST mine=yes`, `TASK CREATE 02014 title=Rà soát`)
/// into a command the encoder can quote correctly: the server's own command table (`ServerCommands`) says
/// which words are the verb and which `key=value` words are options.
public enum CommandWords {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func command(_ words: [String], tag: String, table: ServerCommands) -> Result<Command, Failure> {
        guard !words.isEmpty else { return .failure(Failure(description: "no command given")) }
        guard let (spec, consumed) = table.resolve(words) else {
            let name = words.prefix(2).map { $0.uppercased() }.joined(separator: " ")
            return .failure(Failure(description: "unknown command \(name); try HELP"))
        }
        var command = Command(tag: tag, name: spec.name)
        let optionNames = Set(spec.options.map(\.name))
        for word in words.dropFirst(consumed) {
            if let equals = word.firstIndex(of: "="), optionNames.contains(String(word[..<equals]).lowercased()) {
                command.options[String(word[..<equals]).lowercased()] = String(word[word.index(after: equals)...])
            } else {
                command.arguments.append(word)
            }
        }
        return .success(command)
    }
}
