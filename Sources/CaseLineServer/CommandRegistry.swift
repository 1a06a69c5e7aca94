public import CaseLineDomain
public import CaseLineProtocol

/// Every command of CLP/1 version 1, each declared once (`CommandDefinition`), and what is derived from them:
/// the command table the codec validates against, the access policy the dispatcher asks first, HELP's answers.
public struct CommandRegistry: Sendable {
    let definitions: [CommandDefinition]
    private let byName: [String: CommandDefinition]
    /// The grammar of every command, for the codec (and HELP).
    public let table: CommandTable
    /// Who may run what, and where, as the definitions say.
    public let policy: AccessPolicy

    init(_ definitions: [CommandDefinition]) {
        var byName: [String: CommandDefinition] = [:]
        var rules: [String: AccessPolicy.Rule] = [:]
        var reaches: [String: AccessPolicy.Reach] = [:]
        for definition in definitions {
            precondition(byName[definition.spec.name] == nil, "\(definition.spec.name) is declared twice")
            byName[definition.spec.name] = definition
            rules[definition.spec.name] = definition.rule
            reaches[definition.spec.name] = definition.reach
        }
        self.definitions = definitions
        self.byName = byName
        self.table = CommandTable(definitions.map(\.spec))
        self.policy = AccessPolicy(rules: rules, actions: [.manageOthersTokens: [.admin]], reaches: reaches)
    }

    subscript(name: String) -> CommandDefinition? { byName[name] }

    /// The commands of CLP/1 version 1.
    public static let v1 = CommandRegistry(
        SessionCommands.definitions + UserCommands.definitions + TokenCommands.definitions
            + UnitCommands.definitions + CommitteeCommands.definitions + AssignmentCommands.definitions
            + TaskCommands.definitions + HouseholdCommands.definitions + StandardCommands.definitions
            + ReviewCommands.definitions
            + OfficeCommands.definitions
            + TotalCommands.definitions
            + TargetCommands.definitions
            + ReportCommands.definitions
            + CaseCommands.definitions + FundCommands.definitions + MoneyReportCommands.definitions
            + ApprovalCommands.definitions + ChainCommands.definitions + DelegationCommands.definitions
            + WatchCommands.definitions + AuditCommands.definitions + AdminCommands.definitions)

    /// The grammar of every command, for clients of the codec outside the server (the fuzzer, the tests).
    public static var table: CommandTable { v1.table }

    /// The access policy of every command.
    public static var policy: AccessPolicy { v1.policy }

    /// CLP1.md's "Who may call" sentence of each command, as declared (the specification test reads it).
    public static var whoMayCall: [String: String] {
        Dictionary(uniqueKeysWithValues: v1.definitions.map { ($0.spec.name, $0.who) })
    }
}
