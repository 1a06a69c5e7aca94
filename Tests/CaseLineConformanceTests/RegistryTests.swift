import CaseLineDomain
import CaseLineProtocol
import CaseLineServer
import Testing

/// The command registry: every command declared once, and what is derived from it agrees with it.
@Suite("Command registry")
struct RegistryTests {
    @Test func theTableAndThePolicyNameTheSameCommands() {
        #expect(Set(CommandRegistry.table.commands.map(\.name)) == Set(CommandRegistry.policy.commands))
        #expect(Set(CommandRegistry.whoMayCall.keys) == Set(CommandRegistry.policy.commands))
    }

    /// Only what anyone may send is accepted before login, and HELP says so.
    @Test func beforeLoginFollowsTheRule() {
        for spec in CommandRegistry.table.commands {
            #expect(spec.allowedBeforeLogin == CommandRegistry.policy.allows(nil, spec.name), "\(spec.name)")
        }
        let anonymous = Set(
            CommandRegistry.table.commands.filter { CommandRegistry.policy.allows(nil, $0.name) }.map(\.name))
        #expect(anonymous == ["HELLO", "LOGIN", "AUTH", "LOGOUT", "PING", "HELP"])
    }

    /// CLP1.md §10: "The auditor role is read-only".
    @Test func theAuditorIsReadOnly() {
        let reads: Set<String> = [
            "WHOAMI", "PASSWORD", "TOKEN CREATE", "TOKEN LIST", "TOKEN REVOKE", "USER SHOW", "USER LIST", "UNIT LIST",
            "UNIT SEARCH", "UNIT SHOW", "COMMITTEE LIST", "COMMITTEE SHOW", "ASSIGNMENT LIST", "ASSIGNMENT MINE",
            "ASSIGNMENT VACANT", "TASK LIST", "TASK SHOW", "HOUSEHOLD LIST", "HOUSEHOLD SHOW", "STANDARD LIST",
            "REVIEW LIST", "REVIEW SHOW", "REVIEW ASSESSMENTS", "REVIEW FLOWS", "OFFICE LIST", "TOTAL LIST",
            "TARGET LIST", "REPORT POVERTY", "REPORT WORK",
            "FUND LIST", "FUND SHOW", "REPORT MONEY", "REPORT OUTPUTS",
            "CASE LIST",
            "CASE SHOW", "CHAIN LIST", "CHAIN SHOW", "DELEGATION LIST", "WATCH", "UNWATCH", "HISTORY",
            "AUDIT VERIFY", "AUDIT LIST", "HELLO", "LOGIN", "AUTH", "LOGOUT", "PING", "HELP", "PENDING",
        ]
        for command in CommandRegistry.policy.commands where CommandRegistry.policy.allows(.auditor, command) {
            #expect(reads.contains(command), "auditor may run \(command)")
        }
    }

    @Test func onlyAdminsManageOtherUsersTokens() {
        for role in Role.allCases {
            #expect(CommandRegistry.policy.allows(role, .manageOthersTokens) == (role == .admin))
        }
    }

    /// Choice lists are the domain's own enumerations: a value the grammar offers is one the domain knows.
    @Test func choiceListsComeFromTheDomain() throws {
        func choices(_ command: String, _ parameter: String) throws -> [String] {
            let spec = try #require(CommandRegistry.table[command])
            let found = try #require((spec.positionals + spec.options).first { $0.name == parameter })
            guard case .choice(let words) = found.kind else {
                Issue.record("\(command) \(parameter)")
                return []
            }
            return words
        }
        #expect(try choices("CASE CREATE", "kind") == CaseFile.Kind.allCases.map(\.rawValue))
        #expect(try choices("TASK LIST", "state") == WorkTask.State.allCases.map(\.rawValue))
        #expect(try choices("TASK CREATE", "component") == ProgrammeComponent.allCases.map(\.rawValue))
        #expect(try choices("USER CREATE", "role") == Role.allCases.map(\.rawValue))
        #expect(try choices("UNIT LIST", "type") == UnitType.allCases.map(\.rawValue))
    }
}
