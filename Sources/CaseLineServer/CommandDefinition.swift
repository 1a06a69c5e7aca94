import CaseLineDomain
import CaseLineProtocol

/// Runs one command: its typed input in, its reply out (or a `DomainError` refusal).
typealias CommandHandler = @Sendable (ServerEnvironment, inout SessionState, CommandInput) async throws -> Reply

/// Everything about one command, declared once: its grammar (what HELP prints and the codec validates), who
/// may call it before and after login, which of its arguments are secret, the sentence CLP1.md gives under
/// "Who may call", and its handler. The command table, the access policy, HELP and the dispatcher are all
/// derived from these (`CommandRegistry`); adding a command is adding a definition, its handler, its section
/// in CLP1.md and its vectors.
struct CommandDefinition: Sendable {
    /// Who may send the command at all. Finer rules (scope, state, the people a task or case belongs to) are
    /// the handler's, in the order of checks of CLP1.md §10.
    enum Access: Sendable, Hashable {
        /// Before authentication too.
        case anyone
        /// Any authenticated session.
        case authenticated
        /// Authenticated sessions of these roles.
        case roles(Set<Role>)
    }

    let spec: CommandSpec
    let access: Access
    /// Whether what the command names must lie in the caller's scope (`AccessPolicy.Reach`).
    let reach: AccessPolicy.Reach
    /// CLP1.md's "Who may call:" sentence for the command, word for word (a test holds the two together).
    let who: String
    /// The positional parameters, then the options, as declared (with their decoders).
    let parameters: [any ParameterDeclaration]
    let handler: CommandHandler

    init(
        _ name: String, group: CommandSpec.Group, summary: String, positionals: [any ParameterDeclaration] = [],
        options: [any ParameterDeclaration] = [], access: Access, reach: AccessPolicy.Reach = .inScope, who: String,
        handler: @escaping CommandHandler
    ) {
        self.spec = CommandSpec(
            name, group: group, summary: summary, positionals: positionals.map(\.spec), options: options.map(\.spec),
            allowedBeforeLogin: access == .anyone)
        self.access = access
        self.reach = reach
        self.who = who
        self.parameters = positionals + options
        self.handler = handler
    }

    var rule: AccessPolicy.Rule {
        switch access {
        case .anyone: .anyone
        case .authenticated: .authenticated
        case .roles(let roles): .roles(roles)
        }
    }

    /// The typed input of a request the codec validated against this definition's grammar. A value the
    /// grammar accepted but the type cannot hold (the two disagree) is a `BAD-VALUE`, never a trap.
    func input(_ command: Command) -> Result<CommandInput, ProtocolError> {
        var values: [String: any Sendable] = [:]
        let positionals = parameters.prefix(spec.positionals.count)
        for (parameter, text) in zip(positionals, command.arguments) {
            guard let value = parameter.typed(text) else { return .failure(misfit(command, parameter.spec.name)) }
            values[parameter.spec.name] = value
        }
        for parameter in parameters.dropFirst(spec.positionals.count) {
            guard let text = command.options[parameter.spec.name] else { continue }
            guard let value = parameter.typed(text) else { return .failure(misfit(command, parameter.spec.name)) }
            values[parameter.spec.name] = value
        }
        return .success(CommandInput(command: command, values: values))
    }

    private func misfit(_ command: Command, _ name: String) -> ProtocolError {
        ProtocolError(tag: command.tag, code: .badValue, message: "\(name) has a value this server cannot use")
    }
}

/// A validated request with its values typed: what a handler reads. Reading a parameter the definition does
/// not declare, or as another type, is an internal error reported to the client — never a trap.
struct CommandInput: Sendable {
    /// The request as validated (its normalised text is what idempotency keys are checked against).
    let command: Command
    private let values: [String: any Sendable]

    init(command: Command, values: [String: any Sendable]) {
        self.command = command
        self.values = values
    }

    var name: String { command.name }
    var tag: String { command.tag }

    subscript<Value>(_ parameter: Param<Value>) -> Value? { values[parameter.spec.name] as? Value }

    subscript<Value>(_ parameter: Required<Value>) -> Value {
        get throws {
            guard let value = values[parameter.spec.name] as? Value else {
                throw DomainError(.internalError, "\(command.name) read \(parameter.spec.name), which it lacks")
            }
            return value
        }
    }

    /// Whether any of these parameters was given.
    func hasAny(_ parameters: [any ParameterDeclaration]) -> Bool {
        parameters.contains { values[$0.spec.name] != nil }
    }
}
