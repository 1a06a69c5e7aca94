import CaseLineDomain
import CaseLineProtocol

/// HELP answers from the command table the decoder uses, so the help, the client's completion and the
/// grammar cannot drift apart.
enum HelpText {
    static func reply(table: CommandTable, policy: AccessPolicy, role: Role?, arguments: [String]) throws -> Reply {
        func allowed(_ spec: CommandSpec) -> String { policy.allows(role, spec.name) ? "yes" : "no" }
        let words = arguments.map { $0.uppercased() }
        if words.isEmpty {
            let records = table.commands.map { spec in
                Record(
                    "HELP",
                    [
                        Field("command", spec.name), Field("group", spec.group.rawValue), Field("summary", spec.summary),
                        Field("allowed", allowed(spec)),
                    ])
            }
            return .ok("\(records.count) commands; HELP VERB for one", records)
        }
        let name = words.joined(separator: " ")
        if let spec = table[name] {
            var records = [
                Record(
                    "HELP",
                    [
                        Field("command", spec.name), Field("group", spec.group.rawValue), Field("summary", spec.summary),
                        Field("syntax", spec.syntax), Field("before-login", spec.allowedBeforeLogin ? "yes" : "no"),
                        Field("allowed", allowed(spec)),
                    ])
            ]
            for (index, parameter) in spec.positionals.enumerated() {
                records.append(parameterRecord(spec, parameter, position: String(index + 1)))
            }
            for parameter in spec.options { records.append(parameterRecord(spec, parameter, position: "option")) }
            return .ok("syntax of \(spec.name)", records)
        }
        if words.count == 1, let subcommands = table.families[name] {
            let records = subcommands.compactMap { table["\(name) \($0)"] }.map { spec in
                Record(
                    "HELP",
                    [
                        Field("command", spec.name), Field("group", spec.group.rawValue), Field("summary", spec.summary),
                        Field("allowed", allowed(spec)),
                    ])
            }
            return .ok("\(name) has \(records.count) subcommands", records)
        }
        throw DomainError(.notFound, "no command \(name); HELP lists them")
    }

    static func parameterRecord(_ spec: CommandSpec, _ parameter: CommandSpec.Parameter, position: String) -> Record {
        var fields = [
            Field("command", spec.name), Field("name", parameter.name), Field("position", position),
            Field("kind", parameter.kind.kindName), Field("required", parameter.required ? "yes" : "no"),
        ]
        if parameter.secret { fields.append(Field("secret", "yes")) }
        switch parameter.kind {
        case .choice(let words): fields.append(Field("values", words.joined(separator: ",")))
        case .text(let max): fields.append(Field("max", String(max)))
        case .integer(let range): fields.append(Field("range", "\(range.lowerBound)..\(range.upperBound)"))
        case .list(.choice(let words), _): fields.append(Field("values", words.joined(separator: ",")))
        default: break
        }
        return Record("PARAM", fields)
    }
}
