public import Foundation

/// A case's approval round as a pure state machine (CLP1.md §10.9–§10.10): the case and its steps as they
/// stand, plus an act — submit, approve, reject, return — by someone, on a day, with the delegations they hold,
/// gives the case and steps as they become, the events to raise and the audit text, or a refusal with its code.
/// Who may decide which step (the chain, four-eyes, one decision per person per round, delegation) is decided
/// here; the handler loads the case, its steps and the caller's delegations, asks, and stores.
public enum CaseApproval {
    public enum Act: Sendable, Hashable {
        /// Submit (again, after a return) with the chain configured for the kind now; the round snapshots it.
        case submit(chain: [ChainStep])
        case approve(note: String?)
        case reject(reason: String)
        case returnForRevision(reason: String)

        /// The state the act would lead to, as `INVALID-TRANSITION to=` names it.
        var target: CaseFile.State {
            switch self {
            case .submit: .submitted
            case .approve: .approved
            case .reject: .rejected
            case .returnForRevision: .returned
            }
        }
    }

    /// Who acts, where the case lies, and when.
    public struct Context: Sendable {
        public var actor: User
        /// Whether the actor writes cases in the case's commune (`ApprovalRules.mayWrite`), for `submit`.
        public var writer: Bool
        /// The case's commune and province in the 2025 edition (a legacy commune's primary successor).
        public var commune: String
        public var province: String?
        /// Delegations active today whose delegate is the actor, with their delegators' accounts.
        public var delegations: [(Delegation, User)]
        public var now: Date
        /// The `rev=` the request gave, if any.
        public var expectedRevision: Int64?

        public init(
            actor: User, writer: Bool, commune: String, province: String?, delegations: [(Delegation, User)],
            now: Date, expectedRevision: Int64?
        ) {
            self.actor = actor
            self.writer = writer
            self.commune = commune
            self.province = province
            self.delegations = delegations
            self.now = now
            self.expectedRevision = expectedRevision
        }
    }

    /// An event the act raises: its type and the details after `case=`, `kind=` and `round=`.
    public struct PlannedEvent: Sendable, Hashable {
        public var type: EventType
        public var details: [EventDetail]
    }

    public struct Outcome: Sendable, Hashable {
        public var file: CaseFile
        /// The steps of the round to write (inserted or replaced).
        public var steps: [CaseStep]
        public var events: [PlannedEvent]
        /// The audit record's `change` text.
        public var change: String
        /// The OK text.
        public var answer: String
        /// Under a delegation: on whose behalf the actor decided (the audit actor's `on-behalf-of`).
        public var onBehalfOf: String?
    }

    /// Applies an act to the case; `steps` are the case's steps of every round (those of its current round
    /// matter).
    public static func apply(_ act: Act, to file: CaseFile, steps: [CaseStep], _ context: Context)
        -> Result<Outcome, DomainError>
    {
        do {
            if let expected = context.expectedRevision, expected != file.revision {
                throw DomainError(
                    .conflict, "case \(file.id) changed since revision \(expected)",
                    details: [("current", String(file.revision))])
            }
            switch act {
            case .submit(let chain): return .success(try submit(file, chain: chain, context))
            default: return .success(try decide(act, file, steps: steps, context))
            }
        } catch let error as DomainError {
            return .failure(error)
        } catch {
            return .failure(DomainError(.internalError, "\(error)"))
        }
    }

    /// Who decided an earlier step of the case's current round (none of them may decide another).
    public static func decidedInRound(_ steps: [CaseStep], _ file: CaseFile) -> Set<String> {
        Set(
            steps.filter { $0.round == file.round && $0.number < file.step }.flatMap {
                [$0.by, $0.onBehalfOf].compactMap { $0 }
            })
    }

    static func submit(_ old: CaseFile, chain: [ChainStep], _ context: Context) throws -> Outcome {
        guard old.state.isEditable else {
            throw DomainError(
                .invalidTransition, "a \(old.state.rawValue) case cannot be submitted",
                details: [("from", old.state.rawValue), ("to", "submitted")])
        }
        guard context.writer else {
            throw DomainError(.forbidden, "you are not a case writer for commune \(old.commune)")
        }
        if let missing = old.incompleteness { throw DomainError(.invalid, missing) }
        guard let first = chain.first else { throw DomainError(.internalError, "no chain for \(old.kind.rawValue)") }
        let now = context.now
        let login = context.actor.login
        var file = old
        file.state = .submitted
        file.round += 1
        file.chain = chain
        file.step = 1
        file.submitter = login
        file.submitters.insert(login)
        file.submittedAt = now
        file.waitingSince = now
        file.decidedAt = nil
        let steps = chain.enumerated().map { index, step in
            CaseStep(
                caseID: old.id, round: file.round, number: index + 1, step: step,
                state: index == 0 ? .waiting : .queued, waitingSince: index == 0 ? now : nil)
        }
        return Outcome(
            file: file, steps: steps,
            events: [
                PlannedEvent(
                    type: .caseSubmitted,
                    details: [EventDetail("step", "1"), EventDetail("steps", String(steps.count))])
            ],
            change: "state: \(old.state.rawValue) → submitted; round: \(file.round); chain: \(ChainStep.list(chain))",
            answer: "case \(old.id) submitted; step 1 of \(steps.count) waits for \(first)")
    }

    static func decide(_ act: Act, _ old: CaseFile, steps all: [CaseStep], _ context: Context) throws -> Outcome {
        guard old.state == .submitted else {
            throw DomainError(
                .invalidTransition, "case \(old.id) is \(old.state.rawValue), not waiting for a decision",
                details: [("from", old.state.rawValue), ("to", act.target.rawValue)])
        }
        let via = try ApprovalRules.decide(
            context.actor, case: old, commune: context.commune, province: context.province,
            decidedInRound: decidedInRound(all, old), delegations: context.delegations
        ).get()
        switch act {
        case .reject(let reason), .returnForRevision(let reason):
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw DomainError(.invalid, "a reason is required")
            }
        case .approve, .submit: break
        }
        let now = context.now
        let user = context.actor.login
        var steps = all.filter { $0.round == old.round }
        guard let index = steps.firstIndex(where: { $0.number == old.step }) else {
            throw DomainError(.internalError, "case \(old.id) has no step \(old.step)")
        }
        var onBehalfOf: String?
        steps[index].by = user
        steps[index].at = now
        if case .delegation(let id, let delegator) = via {
            steps[index].onBehalfOf = delegator
            steps[index].delegation = id
            onBehalfOf = delegator
        }
        var file = old
        let answer: String
        let who = onBehalfOf.map { " (\(user) on behalf of \($0))" } ?? ""
        switch act {
        case .approve(let note):
            steps[index].state = .approved
            steps[index].note = note
            if old.step == old.chain.count {
                file.state = .approved
                file.decidedAt = now
                answer = "case \(old.id) approved\(who)"
            } else {
                file.step += 1
                file.waitingSince = now
                steps[index + 1].state = .waiting
                steps[index + 1].waitingSince = now
                answer =
                    "step \(old.step) of \(old.id) approved\(who); step \(file.step) waits for \(old.chain[file.step - 1])"
            }
        case .reject(let reason), .returnForRevision(let reason):
            let rejected = if case .reject = act { true } else { false }
            steps[index].state = rejected ? .rejected : .returned
            steps[index].reason = reason
            for later in steps.indices where later > index { steps[later].state = .skipped }
            file.state = rejected ? .rejected : .returned
            file.decidedAt = now
            answer = rejected ? "case \(old.id) rejected\(who)" : "case \(old.id) returned for revision\(who)"
        case .submit:
            throw DomainError(.internalError, "submit is not a decision")
        }
        var change = "step \(old.step) (\(old.chain[old.step - 1])): \(steps[index].state.rawValue)"
        if case .delegation(let id, let delegator) = via { change += " on behalf of \(delegator) (\(id))" }
        if file.state != old.state { change += "; state: \(old.state.rawValue) → \(file.state.rawValue)" }
        var events: [PlannedEvent]
        switch file.state {
        case .rejected, .returned:
            events = [
                PlannedEvent(
                    type: file.state == .rejected ? .caseRejected : .caseReturned,
                    details: [EventDetail("step", String(old.step))])
            ]
        default:
            events = [
                PlannedEvent(
                    type: .caseStepApproved,
                    details: [EventDetail("step", String(old.step)), EventDetail("steps", String(old.chain.count))])
            ]
            // The final approval is announced too, to the same people, with no step details.
            if file.state == .approved { events.append(PlannedEvent(type: .caseApproved, details: [])) }
        }
        return Outcome(
            file: file, steps: steps, events: events, change: change, answer: answer, onBehalfOf: onBehalfOf)
    }
}
