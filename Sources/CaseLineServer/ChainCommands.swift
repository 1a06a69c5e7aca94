import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// CHAIN LIST, CHAIN SHOW, CHAIN SET (CLP1.md §10.10): the approval chain configured per case kind.
enum ChainCommands {
    static let handlers: [String: CommandHandler] = ["CHAIN LIST": list, "CHAIN SHOW": show, "CHAIN SET": set]

    static func record(_ chain: ApprovalChain) -> Record {
        var fields = [Field("kind", chain.kind.rawValue), Field("steps", ChainStep.list(chain.steps))]
        if let by = chain.updatedBy { fields.append(Field("updated-by", by)) }
        if let at = chain.updatedAt { fields.append(Field("updated-at", Timestamp.format(at))) }
        fields.append(Field("rev", String(chain.revision)))
        return Record("CHAIN", fields)
    }

    static func kind(_ text: String) throws -> CaseFile.Kind {
        guard let kind = CaseFile.Kind(rawValue: text) else { throw DomainError(.invalid, "unknown case kind \(text)") }
        return kind
    }

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws -> Reply
    {
        let chains = try await env.store.chains()
        return .ok("\(chains.count) chains", chains.map(record))
    }

    static func show(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws -> Reply
    {
        let kind = try kind(command.arguments[0])
        let chain = try await env.store.chains().first { $0.kind == kind } ?? .initial(kind)
        return .ok("", [record(chain)])
    }

    static func set(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws -> Reply {
        // Chains are national: every province's cases of a kind follow the same chain, so only a national
        // administrator sets one (CLP1.md §10.10).
        try env.requireReach(session, command.name, .scope(.national))
        let kind = try kind(command.arguments[0])
        guard let steps = ChainStep.parse(command[option: "steps"]!) else {
            throw DomainError(.invalid, "steps= must be role@level items")
        }
        if let problem = ApprovalChain.problem(steps) { throw DomainError(.invalid, problem) }
        let old = try await env.store.chains().first { $0.kind == kind } ?? .initial(kind)
        let saved = try await env.store.setChain(
            ApprovalChain(kind: kind, steps: steps, updatedBy: session.user!.login),
            expectedRevision: command[option: "rev"].flatMap(Int64.init),
            audit: AuditEntry(
                actor: session.actor, command: command.name, entity: "chain:\(kind.rawValue)",
                change: "steps: \(ChainStep.list(old.steps)) → \(ChainStep.list(steps))"))
        return .ok("chain of \(kind.rawValue) set; cases submitted from now on follow it", [record(saved)])
    }
}
