import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// CHAIN LIST, CHAIN SHOW, CHAIN SET (CLP1.md §10.10): the approval chain configured per case kind.
enum ChainCommands {
    static let kind = Param<CaseFile.Kind>.choice("kind").required
    static let steps = Param.chain("steps").required

    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "CHAIN LIST", group: .approvals, summary: "The configured approval chain of every case kind.",
            access: .authenticated, who: "every role.", handler: list),
        CommandDefinition(
            "CHAIN SHOW", group: .approvals, summary: "One case kind's approval chain.", positionals: [kind],
            access: .authenticated, who: "every role.", handler: show),
        CommandDefinition(
            "CHAIN SET", group: .approvals, summary: "Configure a case kind's approval chain (new cases only).",
            positionals: [kind], options: [steps, Common.rev], access: .roles([.admin]),
            who: "admins whose scope is national (a province's admin gets `NO [OUT-OF-SCOPE]`).", handler: set),
    ]

    static func record(_ chain: ApprovalChain) -> Record {
        var fields = [Field("kind", chain.kind.rawValue), Field("steps", ChainStep.list(chain.steps))]
        if let by = chain.updatedBy { fields.append(Field("updated-by", by)) }
        if let at = chain.updatedAt { fields.append(Field("updated-at", Timestamp.format(at))) }
        fields.append(Field("rev", String(chain.revision)))
        return Record("CHAIN", fields)
    }

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let chains = try await env.store.chains()
        return .ok("\(chains.count) chains", chains.map(record))
    }

    static func show(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let kind = try input[kind]
        let chain = try await env.store.chains().first { $0.kind == kind } ?? .initial(kind)
        return .ok("", [record(chain)])
    }

    static func set(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        // Chains are national: every province's cases of a kind follow the same chain, so only a national
        // administrator sets one (CLP1.md §10.10).
        try env.requireReach(session, input.name, .scope(.national))
        let kind = try input[kind]
        let steps = try input[steps]
        if let problem = ApprovalChain.problem(steps) { throw DomainError(.invalid, problem) }
        let old = try await env.store.chains().first { $0.kind == kind } ?? .initial(kind)
        let saved = try await env.store.setChain(
            ApprovalChain(kind: kind, steps: steps, updatedBy: try session.requireUser().login),
            expectedRevision: input[Common.rev],
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "chain:\(kind.rawValue)",
                change: "steps: \(ChainStep.list(old.steps)) → \(ChainStep.list(steps))"))
        return .ok("chain of \(kind.rawValue) set; cases submitted from now on follow it", [record(saved)])
    }
}
