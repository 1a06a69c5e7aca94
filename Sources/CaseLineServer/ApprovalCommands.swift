import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// CASE APPROVE, CASE REJECT, CASE RETURN and PENDING (CLP1.md §10.10): deciding the current step.
enum ApprovalCommands {
    static let handlers: [String: CommandHandler] = [
        "CASE APPROVE": approve, "CASE REJECT": reject, "CASE RETURN": returnForRevision, "PENDING": pending,
    ]

    enum Decision {
        case approve(note: String?)
        case reject(reason: String)
        case returnForRevision(reason: String)

        var targetState: String {
            switch self {
            case .approve: "approved"
            case .reject: "rejected"
            case .returnForRevision: "returned"
            }
        }
    }

    /// Active delegations to `login` today, with their delegators' accounts.
    static func delegationsTo(_ login: String, _ env: ServerEnvironment) async throws -> [(Delegation, User)] {
        let today = env.today()
        var out: [(Delegation, User)] = []
        for delegation in try await env.store.delegations()
        where delegation.delegate == login && delegation.state(on: today) == .active {
            if let delegator = try await env.store.user(login: delegation.delegator) {
                out.append((delegation, delegator))
            }
        }
        return out
    }

    /// Who decided an earlier step of the case's current round (none of them may decide another).
    static func decidedInRound(_ steps: [CaseStep], _ file: CaseFile) -> Set<String> {
        Set(
            steps.filter { $0.round == file.round && $0.number < file.step }.flatMap {
                [$0.by, $0.onBehalfOf].compactMap { $0 }
            })
    }

    /// How `user` may decide the case's current step (or why not), given who decided earlier steps.
    static func via(
        _ user: User, _ file: CaseFile, _ env: ServerEnvironment, decided: Set<String>,
        delegations: [(Delegation, User)]
    ) -> Result<ApprovalRules.Via, DomainError> {
        let commune = env.units.current(UnitRef(stored: file.commune))
        return ApprovalRules.decide(
            user, case: file, commune: commune?.ref.code ?? file.commune, province: commune?.province,
            decidedInRound: decided, delegations: delegations)
    }

    /// The same, reading the case's steps from the store.
    static func via(
        _ user: User, _ file: CaseFile, _ env: ServerEnvironment, delegations: [(Delegation, User)]
    ) async throws -> Result<ApprovalRules.Via, DomainError> {
        via(
            user, file, env, decided: decidedInRound(try await env.store.steps(caseID: file.id), file),
            delegations: delegations)
    }

    static func decide(_ decision: Decision, _ env: ServerEnvironment, _ session: SessionState, _ command: Command)
        async throws -> Reply
    {
        let old = try await CaseCommands.target(command, env, session)
        try CaseCommands.requireRevision(command, old)
        guard old.state == .submitted else {
            throw DomainError(
                .invalidTransition, "case \(old.id) is \(old.state.rawValue), not waiting for a decision",
                details: [("from", old.state.rawValue), ("to", decision.targetState)])
        }
        let user = session.user!
        let via = try await via(user, old, env, delegations: try await delegationsTo(user.login, env)).get()
        switch decision {
        case .reject(let reason), .returnForRevision(let reason):
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw DomainError(.invalid, "a reason is required")
            }
        case .approve: break
        }
        let now = env.clock()
        var steps = try await env.store.steps(caseID: old.id).filter { $0.round == old.round }
        guard let index = steps.firstIndex(where: { $0.number == old.step }) else {
            throw DomainError(.internalError, "case \(old.id) has no step \(old.step)")
        }
        steps[index].by = user.login
        steps[index].at = now
        if case .delegation(let id, let delegator) = via {
            steps[index].onBehalfOf = delegator
            steps[index].delegation = id
        }
        var file = old
        var text: String
        let who: String = {
            if case .delegation(_, let delegator) = via { return " (\(user.login) on behalf of \(delegator))" }
            return ""
        }()
        switch decision {
        case .approve(let note):
            steps[index].state = .approved
            steps[index].note = note
            if old.step == old.chain.count {
                file.state = .approved
                file.decidedAt = now
                text = "case \(old.id) approved\(who)"
            } else {
                file.step += 1
                file.waitingSince = now
                steps[index + 1].state = .waiting
                steps[index + 1].waitingSince = now
                text =
                    "step \(old.step) of \(old.id) approved\(who); step \(file.step) waits for \(old.chain[file.step - 1])"
            }
        case .reject(let reason), .returnForRevision(let reason):
            let rejected = if case .reject = decision { true } else { false }
            steps[index].state = rejected ? .rejected : .returned
            steps[index].reason = reason
            for later in steps.indices where later > index { steps[later].state = .skipped }
            file.state = rejected ? .rejected : .returned
            file.decidedAt = now
            text = rejected ? "case \(old.id) rejected\(who)" : "case \(old.id) returned for revision\(who)"
        }
        var change = "step \(old.step) (\(old.chain[old.step - 1])): \(steps[index].state.rawValue)"
        if case .delegation(let id, let delegator) = via { change += " on behalf of \(delegator) (\(id))" }
        if file.state != old.state { change += "; state: \(old.state.rawValue) → \(file.state.rawValue)" }
        var actor = session.actor
        if case .delegation(_, let delegator) = via { actor.onBehalfOf = delegator }
        var events: [EventDraft] = []
        switch file.state {
        case .rejected, .returned:
            events.append(
                try await env.caseEvent(
                    file.state == .rejected ? .caseRejected : .caseReturned, file, steps: steps,
                    [EventDetail("step", String(old.step))]))
        default:
            events.append(
                try await env.caseEvent(
                    .caseStepApproved, file, steps: steps,
                    [EventDetail("step", String(old.step)), EventDetail("steps", String(old.chain.count))]))
            // The final approval concerns the same people as the step that made it.
            if file.state == .approved { events.append(events[0].retyped(.caseApproved, keeping: 3)) }
        }
        let saved: CaseFile
        do {
            saved = try await env.store.saveCase(
                file, expectedRevision: old.revision, steps: steps,
                audit: AuditEntry(
                    actor: actor, command: command.name, entity: "case:\(old.id)", change: change, events: events))
        } catch let error as DomainError where error.code == .conflict && command[option: "rev"] == nil {
            // Another decider won the race for this step. A caller who named no revision asked to decide the
            // step, not a version of the case: the step is already decided (CLP1.md §10.10).
            throw try await decidedMeanwhile(old, env) ?? error
        }
        return .ok(text, [CaseCommands.record(saved, withDescription: false)] + steps.map(CaseCommands.stepRecord))
    }

    /// `INVALID-TRANSITION` when the step `old` waited at has been decided since it was read, else nil.
    static func decidedMeanwhile(_ old: CaseFile, _ env: ServerEnvironment) async throws -> DomainError? {
        guard let now = try await env.store.caseFile(id: old.id) else { return nil }
        guard now.round != old.round || now.step != old.step || now.state != .submitted else { return nil }
        let step = try await env.store.steps(caseID: old.id).first { $0.round == old.round && $0.number == old.step }
        let by = step?.by.map { " by \($0)" } ?? ""
        return DomainError(
            .invalidTransition,
            "step \(old.step) of \(old.id) was decided meanwhile\(by); the case is \(now.state.rawValue)",
            details: [("from", now.state.rawValue)])
    }

    static func approve(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws
        -> Reply
    {
        try await decide(.approve(note: command[option: "note"]), env, session, command)
    }

    static func reject(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws
        -> Reply
    {
        try await decide(.reject(reason: command[option: "reason"] ?? ""), env, session, command)
    }

    static func returnForRevision(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command)
        async throws -> Reply
    {
        try await decide(.returnForRevision(reason: command[option: "reason"] ?? ""), env, session, command)
    }

    static func pending(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws
        -> Reply
    {
        let user = session.user!
        var commune: String?
        if let text = command[option: "commune"] {
            let unit = try env.unit(text)
            guard unit.level == .commune, let current = env.units.current(unit.ref) else {
                throw DomainError(.invalid, "\(unit.name) is not a commune")
            }
            try env.requireReach(session, command.name, .unit(current.ref))
            commune = current.ref.code
        }
        guard user.role != .admin, user.role != .auditor else {
            return .ok("no case waits for you: your role never decides cases", [])
        }
        let delegations = try await delegationsTo(user.login, env)
        var waiting: [(CaseFile, ApprovalRules.Via)] = []
        for file in try await env.store.cases(state: .submitted) {
            guard commune.map({ env.units.current(UnitRef(stored: file.commune))?.ref.code == $0 }) ?? true,
                command[option: "kind"].map({ file.kind.rawValue == $0 }) ?? true
            else { continue }
            // Earlier deciders can only refuse more: a case the caller could not decide even if nobody had
            // decided a step yet is passed over without reading its steps.
            guard case .success = via(user, file, env, decided: [], delegations: delegations) else { continue }
            if case .success(let via) = try await via(user, file, env, delegations: delegations) {
                waiting.append((file, via))
            }
        }
        waiting.sort { a, b in
            let (x, y) = (a.0.waitingSince ?? .distantPast, b.0.waitingSince ?? .distantPast)
            return x != y ? x < y : ApprovalRules.number(a.0.id) < ApprovalRules.number(b.0.id)
        }
        let (limit, _) = Paging.window(command)
        var records = waiting.prefix(limit).map { file, via in
            var fields = [
                Field("case", file.id), Field("kind", file.kind.rawValue), Field("commune", file.commune),
                Field("title", file.title), Field("step", "\(file.step)/\(file.chain.count)"),
            ]
            if let amount = file.amount { fields.append(Field("amount", String(amount))) }
            fields += [
                Field("submitter", file.submitter ?? "-"),
                Field("waiting-since", Timestamp.format(file.waitingSince ?? file.updatedAt)),
            ]
            switch via {
            case .direct: fields.append(Field("via", "direct"))
            case .delegation(let id, _): fields.append(Field("via", "delegation:\(id)"))
            }
            return Record("PENDING", fields)
        }
        let counts = Dictionary(grouping: waiting, by: { $0.0.commune }).mapValues(\.count)
        for (code, count) in counts.sorted(by: { $0.key < $1.key }) {
            records.append(Record("PENDING-COUNT", [Field("commune", code), Field("count", String(count))]))
        }
        let text =
            waiting.isEmpty
            ? "no case waits for your decision"
            : "\(waiting.count) case\(waiting.count == 1 ? "" : "s") wait\(waiting.count == 1 ? "s" : "") for your decision"
        return .ok(text, records)
    }
}
