public import CaseLineProtocol

/// Turns words as a shell or a person gives them (`TASK LIST mine=yes`, `TASK CREATE 02014 title=Rà soát`)
/// into a command the encoder can quote correctly: the command table says which words are the verb and which
/// `key=value` words are options.
public enum CommandWords {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func command(_ words: [String], tag: String, table: CommandTable) -> Result<Command, Failure> {
        guard let first = words.first else { return .failure(Failure(description: "no command given")) }
        var name = first.uppercased()
        var rest = Array(words.dropFirst())
        if let second = rest.first, table[name + " " + second.uppercased()] != nil {
            name += " " + second.uppercased()
            rest.removeFirst()
        }
        guard let spec = table[name] else {
            return .failure(Failure(description: "unknown command \(name); try HELP"))
        }
        var command = Command(tag: tag, name: spec.name)
        let optionNames = Set(spec.options.map(\.name))
        for word in rest {
            if let equals = word.firstIndex(of: "="), optionNames.contains(String(word[..<equals])) {
                command.options[String(word[..<equals])] = String(word[word.index(after: equals)...])
            } else {
                command.arguments.append(word)
            }
        }
        return .success(command)
    }
}
