import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// CASE APPROVE, CASE REJECT, CASE RETURN and PENDING (CLP1.md §10.10): deciding the current step.
enum ApprovalCommands {
    static let note = Param.text("note", max: 2000)
    static let kind = Param<CaseFile.Kind>.choice("kind")
    static let deciderWho = "the deciders of the case's current step."

    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "CASE APPROVE", group: .approvals, summary: "Approve the current step of a case.",
            positionals: [Common.id], options: [note, Common.rev], access: .roles(Common.deciders), who: deciderWho,
            handler: approve),
        CommandDefinition(
            "CASE REJECT", group: .approvals, summary: "Reject a case at the current step; a reason is required.",
            positionals: [Common.id], options: [Common.requiredReason, Common.rev], access: .roles(Common.deciders),
            who: deciderWho, handler: reject),
        CommandDefinition(
            "CASE RETURN", group: .approvals, summary: "Return a case for revision; a reason is required.",
            positionals: [Common.id], options: [Common.requiredReason, Common.rev], access: .roles(Common.deciders),
            who: deciderWho, handler: returnForRevision),
        CommandDefinition(
            "PENDING", group: .approvals, summary: "Cases waiting for your decision, oldest first.",
            options: [Common.commune, kind, Common.limit], access: .authenticated,
            who: "every role; for auditors and admins, who never decide, the list is always empty.", handler: pending),
    ]

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
            user, file, env, decided: CaseApproval.decidedInRound(try await env.store.steps(caseID: file.id), file),
            delegations: delegations)
    }

    /// Decides the current step: the case, its steps and the caller's delegations in; the machine's outcome
    /// stored with its events and audit record.
    static func decide(
        _ act: CaseApproval.Act, _ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput
    )
        async throws -> Reply
    {
        let old = try await CaseCommands.target(input, env, session)
        let user = try session.requireUser()
        let commune = env.units.current(UnitRef(stored: old.commune))
        let context = CaseApproval.Context(
            actor: user, writer: false, commune: commune?.ref.code ?? old.commune, province: commune?.province,
            delegations: try await delegationsTo(user.login, env), now: env.clock(), expectedRevision: input[Common.rev]
        )
        let outcome = try CaseApproval.apply(act, to: old, steps: try await env.store.steps(caseID: old.id), context)
            .get()
        var actor = session.actor
        actor.onBehalfOf = outcome.onBehalfOf
        let saved: CaseFile
        do {
            saved = try await env.store.saveCase(
                outcome.file, expectedRevision: old.revision, steps: outcome.steps,
                audit: AuditEntry(
                    actor: actor, command: input.name, entity: "case:\(old.id)", change: outcome.change,
                    events: try await env.caseEvents(outcome)))
        } catch let error as DomainError where error.code == .conflict && input[Common.rev] == nil {
            // Another decider won the race for this step. A caller who named no revision asked to decide the
            // step, not a version of the case: the step is already decided (CLP1.md §10.10).
            throw try await decidedMeanwhile(old, env) ?? error
        }
        return .ok(
            outcome.answer,
            [CaseCommands.record(saved, withDescription: false)] + outcome.steps.map(CaseCommands.stepRecord))
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

    static func approve(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        try await decide(.approve(note: input[note]), env, session, input)
    }

    static func reject(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        try await decide(.reject(reason: try input[Common.requiredReason]), env, session, input)
    }

    static func returnForRevision(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput)
        async throws -> Reply
    {
        try await decide(.returnForRevision(reason: try input[Common.requiredReason]), env, session, input)
    }

    static func pending(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let user = try session.requireUser()
        var commune: String?
        if let ref = input[Common.commune] {
            let unit = try env.unit(ref)
            guard unit.level == .commune, let current = env.units.current(unit.ref) else {
                throw DomainError(.invalid, "\(unit.name) is not a commune")
            }
            try env.requireReach(session, input.name, .unit(current.ref))
            commune = current.ref.code
        }
        guard user.role != .admin, user.role != .auditor else {
            return .ok("no case waits for you: your role never decides cases", [])
        }
        let delegations = try await delegationsTo(user.login, env)
        var waiting: [(CaseFile, ApprovalRules.Via)] = []
        for file in try await env.store.cases(state: .submitted) {
            guard commune.map({ env.units.current(UnitRef(stored: file.commune))?.ref.code == $0 }) ?? true,
                input[kind].map({ file.kind == $0 }) ?? true
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
        let (limit, _) = Paging.window(input)
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
