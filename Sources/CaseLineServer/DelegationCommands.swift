import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// DELEGATION CREATE, LIST, END (CLP1.md §10.10): "X on behalf of Y" for a window of days.
enum DelegationCommands {
    static let handlers: [String: CommandHandler] = [
        "DELEGATION CREATE": create, "DELEGATION LIST": list, "DELEGATION END": end,
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

    static func create(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws
        -> Reply
    {
        let today = env.today()
        let claim = Idempotency.claim(command, session)
        if let id = try await Idempotency.earlier(claim, kind: "delegation", env: env),
            let delegation = try await env.store.delegation(id: id)
        {
            return Reply(
                responses: [.record(record(delegation, today: today))],
                text: "delegation \(delegation.id) was made earlier with this key", code: "REPLAYED")
        }
        let caller = session.user!
        let login = command.arguments[0]
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
        let (from, until) = (command[option: "from"]!, command[option: "until"]!)
        guard from >= today else { throw DomainError(.invalid, "from=\(from) is before today") }
        guard until >= from else { throw DomainError(.invalid, "until=\(until) is before from=\(from)") }
        let created = try await env.store.createDelegation(
            Delegation(
                delegator: caller.login, delegate: login, from: from, until: until, note: command[option: "note"]),
            today: today, claim: claim,
            audit: AuditEntry(
                actor: session.actor, command: command.name, entity: "delegation:-",
                change: "created: delegate=\(login) from=\(from) until=\(until)",
                events: [
                    env.delegationEvent(.delegationStarted, id: "", delegator: caller, delegate: login, until: until)
                ]))
        return .ok(
            "\(login) may decide on behalf of \(caller.login) from \(from) to \(until)", [record(created, today: today)]
        )
    }

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws -> Reply
    {
        let caller = session.user!
        let today = env.today()
        let overseer = caller.role == .admin || caller.role == .auditor
        var users: [String: User] = [:]
        for user in try await env.store.users() { users[user.login] = user }
        if let login = command[option: "user"], users[login] == nil { throw DomainError(.notFound, "no user \(login)") }
        let found = try await env.store.delegations().filter { delegation in
            let visible =
                overseer
                ? users[delegation.delegator].map { env.reaches(session, command.name, .scope($0.scope)) } ?? false
                : delegation.delegator == caller.login || delegation.delegate == caller.login
            let withUser =
                command[option: "user"].map { $0 == delegation.delegator || $0 == delegation.delegate } ?? true
            let active =
                command[option: "active"].map { ($0 == "yes") == (delegation.state(on: today) == .active) } ?? true
            return visible && withUser && active
        }
        return .ok(
            found.count == 1 ? "1 delegation" : "\(found.count) delegations", found.map { record($0, today: today) })
    }

    static func end(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws -> Reply {
        let caller = session.user!
        let id = command.arguments[0]
        guard let delegation = try await env.store.delegation(id: id) else {
            throw DomainError(.notFound, "no delegation \(id)")
        }
        let party = delegation.delegator == caller.login || delegation.delegate == caller.login
        let delegator = try await env.store.user(login: delegation.delegator)
        // To anyone who is neither a party nor an administrator the delegation does not exist (its note is
        // not theirs to read); an administrator ends the delegations of delegators in their scope only.
        guard party || caller.role == .admin else { throw DomainError(.notFound, "no delegation \(id)") }
        if !party, let delegator { try env.requireReach(session, command.name, .scope(delegator.scope)) }
        let today = env.today()
        let ended = try await env.store.endDelegation(
            id: id, by: caller.login, expectedRevision: command[option: "rev"].flatMap(Int64.init), today: today,
            audit: AuditEntry(
                actor: session.actor, command: command.name, entity: "delegation:\(id)", change: "state: → ended",
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
