/// Gives a `RawRequest` its meaning from the command table: which command, which arguments, which options,
/// and whether every value fits its kind. Errors name the parameter at fault.
public struct CommandValidator: Sendable {
    public let table: CommandTable

    public init(table: CommandTable) {
        self.table = table
    }

    public func validate(_ request: RawRequest) -> Result<Command, ProtocolError> {
        let tag = request.tag
        func failure(_ code: ErrorCode, _ message: String) -> Result<Command, ProtocolError> {
            .failure(ProtocolError(tag: tag, code: code, message: message))
        }
        var tokens = request.tokens[...]
        guard case .atom(let verbText) = tokens.popFirst(), let verb = Self.word(verbText) else {
            return failure(.unknownCommand, "unknown command \(Self.shown(request.tokens.first)); try HELP")
        }
        let spec: CommandSpec
        if let subcommands = table.families[verb] {
            guard case .atom(let subText) = tokens.first, let sub = Self.word(subText), subcommands.contains(sub) else {
                let list = subcommands.joined(separator: ", ")
                if tokens.isEmpty { return failure(.unknownCommand, "\(verb) needs a subcommand: \(list)") }
                return failure(.unknownCommand, "\(verb) has no subcommand \(Self.shown(tokens.first)); it has \(list)")
            }
            tokens = tokens.dropFirst()
            spec = table["\(verb) \(sub)"]!
        } else if let simple = table[verb] {
            spec = simple
        } else {
            return failure(.unknownCommand, "unknown command \(Self.shown(request.tokens.first)); try HELP")
        }

        var arguments: [String] = []
        var options: [String: String] = [:]
        for token in tokens {
            if case .option(let key, let value) = token {
                guard let parameter = spec.option(named: key) else {
                    let known = spec.options.map { $0.name + "=" }.joined(separator: " ")
                    return failure(
                        .unknownOption,
                        "\(spec.name) has no option \(key)="
                            + (known.isEmpty ? "; it takes none" : "; its options are \(known)"))
                }
                guard options[key] == nil else { return failure(.duplicateOption, "option \(key)= is given twice") }
                switch parameter.kind.normalise(value.text) {
                case .success(let normal): options[key] = normal
                case .failure(let error): return failure(.badValue, "\(key)= \(error.message)")
                }
            } else {
                guard arguments.count < spec.positionals.count else {
                    return failure(
                        .tooManyArguments,
                        "\(spec.name) takes \(Self.count(spec.positionals.count)); usage: \(spec.syntax)")
                }
                let parameter = spec.positionals[arguments.count]
                switch parameter.kind.normalise(token.text) {
                case .success(let normal): arguments.append(normal)
                case .failure(let error): return failure(.badValue, "<\(parameter.name)> \(error.message)")
                }
            }
        }
        if arguments.count < spec.requiredPositionals {
            let missing = spec.positionals[arguments.count]
            return failure(.missingArgument, "<\(missing.name)> is required; usage: \(spec.syntax)")
        }
        if let missing = spec.options.first(where: { $0.required && options[$0.name] == nil }) {
            return failure(.missingArgument, "\(missing.name)= is required; usage: \(spec.syntax)")
        }
        return .success(Command(tag: tag, name: spec.name, arguments: arguments, options: options))
    }

    /// Verbs and subcommands: ASCII letters, digits and `-`, at most 32, compared in upper case.
    static func word(_ text: String) -> String? {
        guard !text.isEmpty, text.utf8.count <= ProtocolLimits.maxVerbBytes,
            text.utf8.allSatisfy({ RequestParser.isTagByte($0) && $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: "_") })
        else { return nil }
        return text.uppercased()
    }

    static func shown(_ token: Token?) -> String {
        switch token {
        case .atom(let text)?: return Sanitise.excerpt(text)
        case .quoted?: return "(a quoted string)"
        case .literal?: return "(a literal)"
        case .option(let key, _)?: return "\(key)=…"
        case nil: return "(none)"
        }
    }

    static func count(_ n: Int) -> String {
        switch n {
        case 0: return "no arguments"
        case 1: return "1 argument"
        default: return "at most \(n) arguments"
        }
    }
}
