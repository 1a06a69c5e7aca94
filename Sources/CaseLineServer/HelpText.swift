import CaseLineDomain
import CaseLineProtocol

/// HELP answers from the command table the decoder uses, so the help, the client's completion and the
/// grammar cannot drift apart.
enum HelpText {
    /// With `params` every command listed brings its PARAM records, so that one request gives a client the
    /// whole table (names, kinds, choices, secrets) instead of one round trip per command.
    static func reply(registry: CommandRegistry, role: Role?, words: [String], params: Bool) throws -> Reply {
        let table = registry.table
        func record(_ spec: CommandSpec) -> Record {
            Record(
                "HELP",
                [
                    Field("command", spec.name), Field("group", spec.group.rawValue), Field("syntax", spec.syntax),
                    Field("summary", spec.summary), Field("before-login", spec.allowedBeforeLogin ? "yes" : "no"),
                    Field("allowed", registry.policy.allows(role, spec.name) ? "yes" : "no"),
                ])
        }
        func withParams(_ spec: CommandSpec) -> [Record] {
            var records = [record(spec)]
            for (index, parameter) in spec.positionals.enumerated() {
                records.append(parameterRecord(spec, parameter, position: index + 1))
            }
            for parameter in spec.options { records.append(parameterRecord(spec, parameter, position: nil)) }
            return records
        }
        func listing(_ specs: [CommandSpec]) -> [Record] {
            params ? specs.flatMap(withParams) : specs.map(record)
        }
        let words = words.map { $0.uppercased() }
        if words.isEmpty {
            return .ok("\(table.commands.count) commands", listing(table.commands))
        }
        let name = words.joined(separator: " ")
        if let spec = table[name] {
            return .ok("1 command", withParams(spec))
        }
        if words.count == 1, let subcommands = table.families[name] {
            let specs = subcommands.compactMap { table["\(name) \($0)"] }
            return .ok("\(specs.count) commands", listing(specs))
        }
        throw DomainError(.notFound, "no command \(name); HELP lists them")
    }

    static func parameterRecord(_ spec: CommandSpec, _ parameter: CommandSpec.Parameter, position: Int?) -> Record {
        var fields = [Field("command", spec.name), Field("name", parameter.name)]
        if let position {
            fields += [Field("form", "positional"), Field("position", String(position))]
        } else {
            fields.append(Field("form", "option"))
        }
        fields.append(Field("kind", parameter.kind.placeholder))
        switch parameter.kind {
        case .text(let max): fields.append(Field("max", String(max)))
        case .integer(let range):
            fields += [Field("min", String(range.lowerBound)), Field("max", String(range.upperBound))]
        default: break
        }
        fields += [
            Field("required", parameter.required ? "yes" : "no"), Field("secret", parameter.secret ? "yes" : "no"),
        ]
        return Record("PARAM", fields)
    }
}
