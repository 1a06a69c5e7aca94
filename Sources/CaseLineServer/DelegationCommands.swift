import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// DELEGATION CREATE, LIST, END (CLP1.md §10.10): "X on behalf of Y" for a window of days.
enum DelegationCommands {
    static let delegate = Param.id("user").required
    static let from = Param.date("from").required
    static let until = Param.date("until").required
    static let note = Param.text("note", max: 500)
    static let user = Param.id("user")
    static let active = Param.boolean("active")

    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "DELEGATION CREATE", group: .approvals,
            summary: "Let another user decide in your place for a date window.", positionals: [delegate],
            options: [from, until, note, Common.key], access: .roles(Common.deciders),
            who: "users with role chair, deputy, officer or staff (the roles that can approve).", handler: create),
        CommandDefinition(
            "DELEGATION LIST", group: .approvals, summary: "Delegations you gave or received (all, for admins).",
            options: [user, active], access: .authenticated, who: "every role.", handler: list),
        CommandDefinition(
            "DELEGATION END", group: .approvals, summary: "End a delegation before its window closes.",
            positionals: [Common.id], options: [Common.rev], access: .roles(Common.writers),
            who:
                "the delegator, the delegate (to decline), or an admin whose scope contains the delegator's.",
            handler: end),
    ]

    static func record(_ delegation: Delegation, today: String) -> Record {
        var fields = [
            Field("id", delegation.id), Field("delegator", delegation.delegator),
            Field("delegate", delegation.delegate),
            Field("from", delegation.from), Field("until", delegation.until),
            Field("state", delegation.state(on: today).rawValue),
        ]
        if let note = delegation.note { fields.append(Field("note", note)) }
        fields.append(Field("created-at", Timestamp.format(delegation.createdAt)))
        if let at = delegation.endedAt { fields.append(Field("ended-at", Timestamp.format(at))) }
        if let by = delegation.endedBy { fields.append(Field("ended-by", by)) }
        fields.append(Field("rev", String(delegation.revision)))
        return Record("DELEGATION", fields)
    }

    static func create(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let today = env.today()
        let claim = Idempotency.claim(input, session)
        if let id = try await Idempotency.earlier(claim, kind: "delegation", env: env),
            let delegation = try await env.store.delegation(id: id)
        {
            return Reply(
                responses: [.record(record(delegation, today: today))],
                text: "delegation \(delegation.id) was made earlier with this key", code: "REPLAYED")
        }
        let caller = try session.requireUser()
        let login = try input[delegate]
        guard let delegate = try await env.store.user(login: login) else {
            throw DomainError(.notFound, "no user \(login)")
        }
        guard !delegate.disabled else { throw DomainError(.disabled, "\(login)'s account is disabled") }
        guard delegate.login != caller.login else { throw DomainError(.invalid, "you cannot delegate to yourself") }
        guard TaskRules.assignableRoles.contains(delegate.role) else {
            throw DomainError(.invalid, "\(login) has role \(delegate.role.rawValue), which never decides cases")
        }
        guard env.units.scope(delegate.scope, contains: caller.scope) else {
            throw DomainError(.invalid, "\(login)'s scope \(delegate.scope) does not contain yours (\(caller.scope))")
        }
        let (from, until) = (try input[from], try input[until])
        guard from >= today else { throw DomainError(.invalid, "from=\(from) is before today") }
        guard until >= from else { throw DomainError(.invalid, "until=\(until) is before from=\(from)") }
        let created = try await env.store.createDelegation(
            Delegation(
                delegator: caller.login, delegate: login, from: from, until: until, note: input[note]),
            today: today, claim: claim,
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "delegation:-",
                change: "created: delegate=\(login) from=\(from) until=\(until)",
                events: [
                    env.delegationEvent(.delegationStarted, id: "", delegator: caller, delegate: login, until: until)
                ]))
        return .ok(
            "\(login) may decide on behalf of \(caller.login) from \(from) to \(until)", [record(created, today: today)]
        )
    }

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let caller = try session.requireUser()
        let today = env.today()
        let overseer = caller.role == .admin || caller.role == .auditor
        var users: [String: User] = [:]
        for user in try await env.store.users() { users[user.login] = user }
        if let login = input[user], users[login] == nil { throw DomainError(.notFound, "no user \(login)") }
        let found = try await env.store.delegations().filter { delegation in
            let visible =
                overseer
                ? users[delegation.delegator].map { env.reaches(session, input.name, .scope($0.scope)) } ?? false
                : delegation.delegator == caller.login || delegation.delegate == caller.login
            let withUser =
                input[user].map { $0 == delegation.delegator || $0 == delegation.delegate } ?? true
            let active =
                input[active].map { $0 == (delegation.state(on: today) == .active) } ?? true
            return visible && withUser && active
        }
        return .ok(
            found.count == 1 ? "1 delegation" : "\(found.count) delegations", found.map { record($0, today: today) })
    }

    static func end(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let caller = try session.requireUser()
        let id = try input[Common.id]
        guard let delegation = try await env.store.delegation(id: id) else {
            throw DomainError(.notFound, "no delegation \(id)")
        }
        let party = delegation.delegator == caller.login || delegation.delegate == caller.login
        let delegator = try await env.store.user(login: delegation.delegator)
        // To anyone who is neither a party nor an administrator the delegation does not exist (its note is
        // not theirs to read); an administrator ends the delegations of delegators in their scope only.
        guard party || caller.role == .admin else { throw DomainError(.notFound, "no delegation \(id)") }
        if !party, let delegator { try env.requireReach(session, input.name, .scope(delegator.scope)) }
        let today = env.today()
        let ended = try await env.store.endDelegation(
            id: id, by: caller.login, expectedRevision: input[Common.rev], today: today,
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "delegation:\(id)", change: "state: → ended",
                events: delegator.map {
                    [
                        env.delegationEvent(
                            .delegationEnded, id: id, delegator: $0, delegate: delegation.delegate,
                            until: delegation.until)
                    ]
                } ?? []))
        return .ok("delegation \(id) ended", [record(ended, today: today)])
    }
}
