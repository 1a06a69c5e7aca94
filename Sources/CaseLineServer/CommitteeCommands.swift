import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// COMMITTEE CREATE, LIST, SHOW, UPDATE, ADD-MEMBER, REMOVE-MEMBER (CLP1.md §10.4).
enum CommitteeCommands {
    static let unit = Param.unit("unit")
    static let name = Param.text("name", max: 200)
    static let decision = Param.text("decision", max: 64)
    static let decided = Param.date("decided")
    static let member = Param.id("user").required
    static let position = Param<Committee.Position>.choice("position").required
    static let since = Param.date("since")
    static let keepers: CommandDefinition.Access = .roles([.admin, .chair])
    static let keeperWho = "admin, or a user with role `chair`, for a committee in their scope."

    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "COMMITTEE CREATE", group: .committees, summary: "Set up a steering committee for a province or commune.",
            positionals: [unit.required], options: [name.required, Common.decision, decided.required, Common.key],
            access: .roles([.admin]), who: "admin, for a unit in their scope.", handler: create),
        CommandDefinition(
            "COMMITTEE LIST", group: .committees, summary: "List steering committees.",
            options: [unit, Common.province, Common.limit, Common.offset], access: .authenticated,
            who: "any authenticated role; committees in the caller's scope only.", handler: list),
        CommandDefinition(
            "COMMITTEE SHOW", group: .committees, summary: "Show a committee and its members.",
            positionals: [Common.id], access: .authenticated,
            who: "any authenticated role, for a committee in their scope.", handler: show),
        CommandDefinition(
            "COMMITTEE UPDATE", group: .committees, summary: "Change a committee's name or founding decision.",
            positionals: [Common.id], options: [name, decision, decided, Common.requiredRev], access: keepers,
            who: keeperWho, handler: update),
        CommandDefinition(
            "COMMITTEE ADD-MEMBER", group: .committees, summary: "Seat a user on a committee with a position.",
            positionals: [Common.id, member], options: [position, since, Common.rev], access: keepers,
            who: keeperWho, handler: addMember),
        CommandDefinition(
            "COMMITTEE REMOVE-MEMBER", group: .committees, summary: "Remove a member from a committee.",
            positionals: [Common.id, member], options: [Common.rev], access: keepers, who: keeperWho,
            handler: removeMember),
    ]

    /// Roles that may hold a seat: admins administer and auditors inspect; neither sits on a committee.
    static let seatableRoles: Set<Role> = [.chair, .deputy, .officer, .staff]

    static func record(_ committee: Committee, _ units: UnitDirectory) -> Record {
        Record(
            "COMMITTEE",
            [
                Field("id", committee.id), Field("unit", committee.unit),
                Field("unit-name", units.unit(UnitRef(.current, committee.unit))?.name ?? "?"),
                Field("name", committee.name), Field("decision", committee.decision),
                Field("decided", committee.decided), Field("members", String(committee.members)),
                Field("created", Timestamp.format(committee.created)), Field("rev", String(committee.revision)),
            ])
    }

    static func memberRecord(_ member: Committee.Member, _ committee: Committee, userName: String) -> Record {
        Record(
            "MEMBER",
            [
                Field("committee", committee.id), Field("unit", committee.unit), Field("user", member.login),
                Field("name", userName), Field("position", member.position.rawValue), Field("since", member.since),
            ])
    }

    /// The committee, which must exist and lie in the caller's scope.
    static func target(_ id: String, _ input: CommandInput, _ env: ServerEnvironment, _ session: SessionState)
        async throws -> Committee
    {
        guard let committee = try await env.store.committee(id: id) else {
            throw DomainError(.notFound, "no committee \(id)")
        }
        try env.requireReach(session, input.name, .unit(UnitRef(.current, committee.unit)))
        return committee
    }

    static func checkText(_ value: String?, _ what: String, max: Int) throws {
        guard let value else { return }
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw DomainError(.invalid, "\(what) may not be empty")
        }
        guard value.count <= max else { throw DomainError(.invalid, "\(what) is longer than \(max) characters") }
    }

    static func checkDecided(_ day: String?, _ env: ServerEnvironment) throws {
        if let day, day > env.today() { throw DomainError(.invalid, "decided=\(day) is after today") }
    }

    static func create(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let claim = Idempotency.claim(input, session)
        if let id = try await Idempotency.earlier(claim, kind: "committee", env: env),
            let committee = try await env.store.committee(id: id)
        {
            return Reply(
                responses: [.record(record(committee, env.units))],
                text: "committee \(committee.id) was created earlier with this key", code: "REPLAYED")
        }
        let unit = try env.currentUnit(try input[unit.required], levels: [.province, .commune])
        try env.requireReach(session, input.name, .unit(unit.ref))
        let name = try input[name.required]
        let decision = try input[Common.decision]
        let decided = try input[decided.required]
        try checkText(name, "name", max: 200)
        try checkText(decision, "decision", max: 64)
        try checkDecided(decided, env)
        let committee = try await env.store.createCommittee(
            unit: unit.ref.code, name: name, decision: decision, decided: decided, claim: claim,
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "committee:-",
                change: "created: unit=\(unit.ref.code) name=\(name) decision=\(decision) decided=\(decided)"))
        return .ok("committee \(committee.id) created", [record(committee, env.units)])
    }

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        var unitFilter: String?
        var provinceFilter: String?
        if let ref = input[unit] {
            let unit = try env.currentUnit(ref, levels: [.province, .commune])
            try env.requireReach(session, input.name, .unit(unit.ref))
            unitFilter = unit.ref.code
        }
        if let ref = input[Common.province] {
            let province = try env.currentUnit(ref, levels: [.province])
            try env.requireReach(session, input.name, .unit(province.ref))
            provinceFilter = province.ref.code
        }
        let committees = try await env.store.committees().filter { committee in
            let ref = UnitRef(.current, committee.unit)
            return env.reaches(session, input.name, .unit(ref)) && unitFilter.map { committee.unit == $0 } ?? true
                && provinceFilter.map { env.units.currentProvince(of: ref) == $0 } ?? true
        }
        let records = Paging.page(committees, input) { record($0, env.units) }
        return .ok(Paging.summary(records, "committees"), records)
    }

    static func show(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let committee = try await target(try input[Common.id], input, env, session)
        let members = try await env.store.members(committee: committee.id, login: nil)
            .sorted { ($0.position.rank, $0.login) < ($1.position.rank, $1.login) }
        var records = [record(committee, env.units)]
        for member in members {
            let name = try await env.store.user(login: member.login)?.name ?? member.login
            records.append(memberRecord(member, committee, userName: name))
        }
        return .ok(members.count == 1 ? "1 member" : "\(members.count) members", records)
    }

    static func update(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let old = try await target(try input[Common.id], input, env, session)
        var committee = old
        try checkText(input[name], "name", max: 200)
        try checkText(input[decision], "decision", max: 64)
        try checkDecided(input[decided], env)
        committee.name = input[name] ?? old.name
        committee.decision = input[decision] ?? old.decision
        committee.decided = input[decided] ?? old.decided
        var changes = ChangeList()
        changes.note("name", old.name, committee.name)
        changes.note("decision", old.decision, committee.decision)
        changes.note("decided", old.decided, committee.decided)
        guard !changes.isEmpty else { throw DomainError(.invalid, "nothing to change") }
        let saved = try await env.store.saveCommittee(
            committee, expectedRevision: try input[Common.requiredRev],
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "committee:\(old.id)", change: changes.text))
        return .ok("committee \(saved.id) updated", [record(saved, env.units)])
    }

    static func addMember(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let committee = try await target(try input[Common.id], input, env, session)
        let login = try input[member]
        let user = try await UserCommands.target(login, input, env, session)
        guard !user.disabled else { throw DomainError(.disabled, "\(login)'s account is disabled") }
        guard seatableRoles.contains(user.role) else {
            throw DomainError(.invalid, "\(login) has role \(user.role.rawValue), which holds no committee seat")
        }
        let unit = UnitRef(.current, committee.unit)
        guard env.units.scope(user.scope, contains: unit) else {
            throw DomainError(
                .invalid, "\(login)'s scope \(user.scope) does not contain the committee's unit \(committee.unit)")
        }
        let position = try input[position]
        let member = Committee.Member(
            committee: committee.id, login: login, position: position, since: input[since] ?? env.today())
        let saved = try await env.store.addMember(
            member, expectedRevision: input[Common.rev],
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "committee:\(committee.id)",
                change: "member added: \(login) as \(position.rawValue) since \(member.since)"))
        return .ok(
            "\(login) seated on \(committee.id) as \(position.rawValue)",
            [record(saved, env.units), memberRecord(member, saved, userName: user.name)])
    }

    static func removeMember(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput)
        async throws -> Reply
    {
        let committee = try await target(try input[Common.id], input, env, session)
        let login = try input[member]
        let saved = try await env.store.removeMember(
            committee: committee.id, login: login, day: env.today(),
            expectedRevision: input[Common.rev],
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "committee:\(committee.id)",
                change: "member removed: \(login)"))
        return .ok("\(login) removed from \(committee.id)", [record(saved, env.units)])
    }
}
