import CaseLineDomain
import CaseLineStore

/// Builds the events a change raises: where it happened and whom it concerns (`WATCH mine=yes`), decided
/// when the change is made (CLP1.md §10.6 WATCH).
extension ServerEnvironment {
    /// The 2025 province and commune of a stored commune code.
    func eventPlace(commune: String) -> (province: String?, commune: String) {
        let ref = UnitRef(stored: commune)
        return (units.currentProvince(of: ref), units.current(ref)?.ref.code ?? commune)
    }

    /// The members responsible for a commune today (lead and support).
    func responsibleMembers(_ commune: String) async throws -> Set<String> {
        let today = today()
        return Set(
            try await store.assignments(commune: commune, login: nil).filter { $0.state(on: today) == .active }.map(
                \.login))
    }

    func taskEvent(_ type: EventType, _ task: WorkTask, _ details: [EventDetail]) async throws -> EventDraft {
        let place = eventPlace(commune: task.commune)
        var concerns = try await responsibleMembers(task.commune).union([task.creator])
        if let assignee = task.assignee { concerns.insert(assignee) }
        return EventDraft(
            type, province: place.province, commune: place.commune,
            details: [EventDetail("task", task.id.isEmpty ? EventDraft.newID : task.id)] + details,
            concerns: concerns)
    }

    /// A case event concerns its creator and submitters, the commune's responsible members, whoever decided
    /// a step of this round, and — while it waits — everyone who may decide its current step, directly or
    /// by delegation.
    func caseEvent(_ type: EventType, _ file: CaseFile, steps: [CaseStep], _ details: [EventDetail]) async throws
        -> EventDraft
    {
        let place = eventPlace(commune: file.commune)
        var concerns = try await responsibleMembers(file.commune).union(file.submitters).union([file.creator])
        let round = steps.filter { $0.round == file.round }
        concerns.formUnion(round.flatMap { [$0.by, $0.onBehalfOf].compactMap { $0 } })
        if file.state == .submitted {
            // Everyone PENDING would show the case to, read once rather than per user.
            let decided = CaseApproval.decidedInRound(steps, file)
            let today = today()
            let users = try await store.users().filter { !$0.disabled }
            let byLogin = Dictionary(users.map { ($0.login, $0) }, uniquingKeysWith: { a, _ in a })
            let active = try await store.delegations().filter { $0.state(on: today) == .active }
            for user in users {
                let delegations = active.filter { $0.delegate == user.login }.compactMap { delegation in
                    byLogin[delegation.delegator].map { (delegation, $0) }
                }
                if case .success = ApprovalCommands.via(user, file, self, decided: decided, delegations: delegations) {
                    concerns.insert(user.login)
                }
            }
        }
        return EventDraft(
            type, province: place.province, commune: place.commune,
            details: [
                EventDetail("case", file.id), EventDetail("kind", file.kind.rawValue),
                EventDetail("round", String(file.round)),
            ] + details, concerns: concerns)
    }
}

extension ServerEnvironment {
    /// The events a case's approval act raises, with whom each concerns; the final approval concerns the same
    /// people as the step that made it.
    func caseEvents(_ outcome: CaseApproval.Outcome) async throws -> [EventDraft] {
        var drafts: [EventDraft] = []
        for planned in outcome.events {
            if planned.type == .caseApproved, let step = drafts.first {
                drafts.append(step.retyped(.caseApproved, keeping: 3))
            } else {
                drafts.append(try await caseEvent(planned.type, outcome.file, steps: outcome.steps, planned.details))
            }
        }
        return drafts
    }
}

extension ServerEnvironment {
    /// An assignment event concerns the member it is about.
    func assignmentEvent(_ type: EventType, id: String, commune: String, login: String, role: Assignment.Role)
        -> EventDraft
    {
        let place = eventPlace(commune: commune)
        return EventDraft(
            type, province: place.province, commune: place.commune,
            details: [
                EventDetail("assignment", id.isEmpty ? EventDraft.newID : id), EventDetail("user", login),
                EventDetail("role", role.rawValue),
            ], concerns: [login])
    }
}

extension ServerEnvironment {
    /// Where a user's scope lies, as an event's place.
    func eventPlace(scope: Scope) -> (province: String?, commune: String?) {
        switch scope {
        case .national: return (nil, nil)
        case .province(let code): return (code, nil)
        case .commune(let code):
            let place = eventPlace(commune: code)
            return (place.province, place.commune)
        }
    }

    /// A delegation event lies where the delegator acts and concerns both parties.
    func delegationEvent(_ type: EventType, id: String, delegator: User, delegate: String, until: String)
        -> EventDraft
    {
        let place = eventPlace(scope: delegator.scope)
        return EventDraft(
            type, province: place.province, commune: place.commune,
            details: [
                EventDetail("delegation", id.isEmpty ? EventDraft.newID : id),
                EventDetail("delegator", delegator.login),
                EventDetail("delegate", delegate), EventDetail("until", until),
            ], concerns: [delegator.login, delegate])
    }
}
