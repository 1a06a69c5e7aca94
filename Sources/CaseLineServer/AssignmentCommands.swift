import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// ASSIGNMENT CREATE, END, REASSIGN, LIST, MINE, VACANT (CLP1.md §10.5): who is responsible for which commune.
enum AssignmentCommands {
    static let commune = Param.unit("commune").required
    static let member = Param.id("user").required
    static let role = Param<Assignment.Role>.choice("role").required
    static let from = Param.date("from").required
    static let committee = Param.id("committee")
    static let on = Param.date("on")
    static let user = Param.id("user")
    static let active = Param.boolean("active")
    static let leaderWho = "admin, chair, deputy, for a commune in their scope."

    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "ASSIGNMENT CREATE", group: .assignments,
            summary: "Make a member responsible for a commune, as lead or support.", positionals: [commune, member],
            options: [role, from, Common.decision, committee, Common.key], access: .roles(Common.leaders),
            who: leaderWho, handler: create),
        CommandDefinition(
            "ASSIGNMENT END", group: .assignments, summary: "End an assignment.", positionals: [Common.id],
            options: [on, Common.reason, Common.rev], access: .roles(Common.leaders), who: leaderWho, handler: end),
        CommandDefinition(
            "ASSIGNMENT REASSIGN", group: .assignments,
            summary: "Hand a commune's lead to another member, atomically.", positionals: [commune, member],
            options: [from, Common.decision, Common.reason, Common.key], access: .roles(Common.leaders),
            who: leaderWho, handler: reassign),
        CommandDefinition(
            "ASSIGNMENT LIST", group: .assignments, summary: "Assignment history, by commune, member or province.",
            options: [Common.commune, user, Common.province, active, Common.limit, Common.offset],
            access: .authenticated,
            who: "any authenticated role; assignments in communes of the caller's scope only.", handler: list),
        CommandDefinition(
            "ASSIGNMENT MINE", group: .assignments, summary: "The communes you are responsible for.",
            access: .authenticated, reach: .anywhere, who: "any authenticated role.", handler: mine),
        CommandDefinition(
            "ASSIGNMENT VACANT", group: .assignments, summary: "Communes in your scope with no active lead.",
            options: [Common.province, Common.limit, Common.offset], access: .authenticated,
            who: "any authenticated role.", handler: vacant),
    ]

    static func record(_ assignment: Assignment, _ env: ServerEnvironment) async throws -> Record {
        let userName = try await env.store.user(login: assignment.login)?.name ?? assignment.login
        return record(assignment, env, userName: userName, today: env.today())
    }

    static func record(_ assignment: Assignment, _ env: ServerEnvironment, userName: String, today: String) -> Record {
        var fields = [
            Field("id", assignment.id), Field("commune", assignment.commune),
            Field("commune-name", env.units.unit(UnitRef(.current, assignment.commune))?.name ?? "?"),
            Field("user", assignment.login), Field("user-name", userName), Field("role", assignment.role.rawValue),
            Field("from", assignment.from),
        ]
        if let until = assignment.until { fields.append(Field("until", until)) }
        fields += [
            Field("decision", assignment.decision), Field("committee", assignment.committee),
            Field("state", assignment.state(on: today).rawValue),
        ]
        if let reason = assignment.endReason { fields.append(Field("end-reason", reason)) }
        fields.append(Field("rev", String(assignment.revision)))
        return Record("ASSIGNMENT", fields)
    }

    /// Many records at once: one read of their members' names and one reading of the clock for all of them.
    static func records(_ assignments: some Sequence<Assignment>, _ env: ServerEnvironment) async throws -> [Record] {
        let assignments = Array(assignments)
        let names = try await env.store.userNames(Set(assignments.map(\.login)))
        let today = env.today()
        return assignments.map { record($0, env, userName: names[$0.login] ?? $0.login, today: today) }
    }

    /// The committee a member is assigned under: one covering the commune (its own or its province's) on which
    /// the member sits.
    static func committee(
        for login: String, commune: AdminUnit, named: String?, _ env: ServerEnvironment
    ) async throws -> Committee {
        let covering = try await env.store.committees().filter {
            $0.unit == commune.ref.code || $0.unit == commune.province
        }
        let seats = Set(try await env.store.members(committee: nil, login: login).map(\.committee))
        if let named {
            guard let chosen = try await env.store.committee(id: named) else {
                throw DomainError(.notFound, "no committee \(named)")
            }
            guard covering.contains(where: { $0.id == chosen.id }) else {
                throw DomainError(.invalid, "\(named) does not cover \(commune.name)")
            }
            guard seats.contains(chosen.id) else { throw DomainError(.invalid, "\(login) does not sit on \(named)") }
            return chosen
        }
        let candidates = covering.filter { seats.contains($0.id) }
        guard let only = candidates.first else {
            throw DomainError(.invalid, "\(login) sits on no committee covering \(commune.name) (\(commune.ref.code))")
        }
        guard candidates.count == 1 else {
            throw DomainError(
                .invalid,
                "\(login) sits on \(candidates.map(\.id).joined(separator: " and ")); say which with committee=")
        }
        return only
    }

    /// The member to assign: exists, in the caller's scope, active.
    static func member(_ login: String, _ input: CommandInput, _ env: ServerEnvironment, _ session: SessionState)
        async throws -> User
    {
        let user = try await UserCommands.target(login, input, env, session)
        guard !user.disabled else { throw DomainError(.disabled, "\(login)'s account is disabled") }
        return user
    }

    static func create(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let claim = Idempotency.claim(input, session)
        if let id = try await Idempotency.earlier(claim, kind: "assignment", env: env),
            let assignment = try await env.store.assignment(id: id)
        {
            return Reply(
                responses: [.record(try await record(assignment, env))],
                text: "assignment \(assignment.id) was made earlier with this key", code: "REPLAYED")
        }
        let commune = try env.currentUnit(try input[commune], levels: [.commune])
        try env.requireReach(session, input.name, .unit(commune.ref))
        let user = try await member(try input[member], input, env, session)
        let decision = try input[Common.decision]
        try CommitteeCommands.checkText(decision, "decision", max: 64)
        let committee = try await Self.committee(for: user.login, commune: commune, named: input[committee], env)
        let role = try input[role]
        let from = try input[from]
        let created = try await named(commune) {
            try await env.store.createAssignment(
                Assignment(
                    id: "", commune: commune.ref.code, login: user.login, role: role, from: from, decision: decision,
                    committee: committee.id),
                claim: claim,
                audit: AuditEntry(
                    actor: session.actor, command: input.name, entity: "assignment:-",
                    change:
                        "created: commune=\(commune.ref.code) user=\(user.login) role=\(role.rawValue) from=\(from) decision=\(decision) committee=\(committee.id)",
                    events: [
                        env.assignmentEvent(
                            .assignmentCreated, id: "", commune: commune.ref.code, login: user.login, role: role)
                    ]))
        }
        let verb = role == .lead ? "leads" : "supports"
        return .ok("\(user.login) \(verb) \(commune.ref.code) from \(from)", [try await record(created, env)])
    }

    /// The store names communes by code; people know them by name.
    static func named<T>(_ commune: AdminUnit, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch var error as DomainError where error.code == .leadExists {
            let lead = error.details.first { $0.0 == "lead" }?.1 ?? "?"
            let id = error.details.first { $0.0 == "assignment" }?.1 ?? "?"
            error.message =
                "\(commune.name) (\(commune.ref.code)) already has a lead (\(lead), \(id)); use ASSIGNMENT REASSIGN"
            throw error
        }
    }

    static func target(_ id: String, _ input: CommandInput, _ env: ServerEnvironment, _ session: SessionState)
        async throws -> Assignment
    {
        guard let assignment = try await env.store.assignment(id: id) else {
            throw DomainError(.notFound, "no assignment \(id)")
        }
        try env.requireReach(session, input.name, .unit(UnitRef(.current, assignment.commune)))
        return assignment
    }

    static func end(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let assignment = try await target(try input[Common.id], input, env, session)
        let on = input[on] ?? env.today()
        let reason = input[Common.reason]
        var changes = ChangeList()
        changes.note("until", nil, on)
        changes.note("end-reason", nil, reason)
        let ended = try await env.store.endAssignment(
            id: assignment.id, until: on, reason: reason, expectedRevision: input[Common.rev],
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "assignment:\(assignment.id)",
                change: changes.text,
                events: [
                    env.assignmentEvent(
                        .assignmentEnded, id: assignment.id, commune: assignment.commune, login: assignment.login,
                        role: assignment.role)
                ]))
        return .ok("\(ended.id) ends on \(on)", [try await record(ended, env)])
    }

    static func reassign(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let claim = Idempotency.claim(input, session)
        if let id = try await Idempotency.earlier(claim, kind: "assignment", env: env),
            let assignment = try await env.store.assignment(id: id)
        {
            return Reply(
                responses: [.record(try await record(assignment, env))],
                text: "lead handed over earlier with this key (\(assignment.id))", code: "REPLAYED")
        }
        let commune = try env.currentUnit(try input[commune], levels: [.commune])
        try env.requireReach(session, input.name, .unit(commune.ref))
        let currentLead = try await env.store.assignments(commune: commune.ref.code, login: nil).first {
            $0.role == .lead && $0.until == nil
        }
        guard let currentLead else {
            throw DomainError(.notFound, "\(commune.name) has no active lead; use ASSIGNMENT CREATE")
        }
        let user = try await member(try input[member], input, env, session)
        let decision = try input[Common.decision]
        try CommitteeCommands.checkText(decision, "decision", max: 64)
        let committee = try await committee(for: user.login, commune: commune, named: nil, env)
        let from = try input[from]
        let (ended, created) = try await env.store.reassignLead(
            Assignment(
                id: "", commune: commune.ref.code, login: user.login, role: .lead, from: from, decision: decision,
                committee: committee.id),
            reason: input[Common.reason], claim: claim,
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "assignment:-",
                change:
                    "created: commune=\(commune.ref.code) user=\(user.login) role=lead from=\(from) decision=\(decision) committee=\(committee.id)",
                events: [
                    env.assignmentEvent(
                        .assignmentEnded, id: currentLead.id, commune: currentLead.commune, login: currentLead.login,
                        role: .lead),
                    env.assignmentEvent(
                        .assignmentCreated, id: "", commune: commune.ref.code, login: user.login, role: .lead),
                ]))
        let previous = ended.first?.login ?? "-"
        return .ok(
            "lead of \(commune.ref.code) passes from \(previous) to \(user.login) on \(from)",
            try await records(ended + [created], env))
    }

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        var commune: String?
        var province: String?
        if let ref = input[Common.commune] {
            let unit = try env.unit(ref)
            guard unit.level == .commune, let current = env.units.current(unit.ref) else {
                throw DomainError(.invalid, "\(unit.name) is not a commune")
            }
            try env.requireReach(session, input.name, .unit(current.ref))
            commune = current.ref.code
        }
        if let ref = input[Common.province] {
            let unit = try env.currentUnit(ref, levels: [.province])
            try env.requireReach(session, input.name, .unit(unit.ref))
            province = unit.ref.code
        }
        let login = input[user]
        if let login, try await env.store.user(login: login) == nil { throw DomainError(.notFound, "no user \(login)") }
        let today = env.today()
        let found = try await env.store.assignments(commune: commune, login: login).filter { assignment in
            let ref = UnitRef(.current, assignment.commune)
            let state = assignment.state(on: today)
            return env.reaches(session, input.name, .unit(ref))
                && province.map { env.units.currentProvince(of: ref) == $0 } ?? true
                && input[active].map { $0 ? state == .active : state == .ended } ?? true
        }
        let (limit, offset) = Paging.window(input)
        let page = Array(found.dropFirst(offset).prefix(limit))
        let records =
            try await records(page, env) + [
                Record(
                    "PAGE",
                    [
                        Field("offset", String(offset)), Field("limit", String(limit)),
                        Field("returned", String(page.count)), Field("total", String(found.count)),
                    ])
            ]
        return .ok(Paging.summary(records, "assignments"), records)
    }

    static func mine(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let today = env.today()
        let mine = try await env.store.assignments(commune: nil, login: try session.requireUser().login)
            .filter { $0.state(on: today) != .ended }
            .sorted { ($0.commune, $0.from) < ($1.commune, $1.from) }
        let communes = Set(mine.map(\.commune)).count
        return .ok(communes == 1 ? "1 commune" : "\(communes) communes", try await records(mine, env))
    }

    struct Vacancy {
        var commune: AdminUnit
        var supports: Int
        var lastLead: Assignment?
        var scheduledLead: Assignment?
    }

    /// Communes of a province (or of the whole country) with no lead active today.
    static func vacantCommunes(_ env: ServerEnvironment, province: String?) async throws -> [Vacancy] {
        let today = env.today()
        let byCommune = Dictionary(grouping: try await env.store.assignments(commune: nil, login: nil), by: \.commune)
        return env.units.list(.init(edition: .current, province: province.map { UnitRef(.current, $0) }))
            .filter { $0.level == .commune }
            .compactMap { commune in
                let assignments = byCommune[commune.ref.code] ?? []
                let leads = assignments.filter { $0.role == .lead }
                if leads.contains(where: { $0.state(on: today) == .active }) { return nil }
                return Vacancy(
                    commune: commune,
                    supports: assignments.filter { $0.role == .support && $0.state(on: today) == .active }.count,
                    lastLead: leads.filter { $0.state(on: today) == .ended }.max {
                        ($0.until ?? "") < ($1.until ?? "")
                    },
                    scheduledLead: leads.first { $0.state(on: today) == .scheduled })
            }
    }

    static func vacant(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let caller = try session.requireUser()
        var province: String?
        if let ref = input[Common.province] {
            let unit = try env.currentUnit(ref, levels: [.province])
            try env.requireReach(session, input.name, .unit(unit.ref))
            province = unit.ref.code
        } else if case .province(let own) = caller.scope {
            province = own
        }
        let found = try await vacantCommunes(env, province: province).filter {
            env.reaches(session, input.name, .unit($0.commune.ref))
        }
        let records = Paging.page(found, input) { vacancy in
            var fields = [
                Field("commune", vacancy.commune.ref.code), Field("name", vacancy.commune.name),
                Field("province", vacancy.commune.province ?? "?"), Field("supports", String(vacancy.supports)),
            ]
            if let last = vacancy.lastLead {
                fields.append(Field("last-lead", last.login))
                if let until = last.until { fields.append(Field("vacant-since", until)) }
            }
            if let next = vacancy.scheduledLead { fields.append(Field("scheduled-lead", next.login)) }
            return Record("VACANT", fields)
        }
        return .ok(Paging.summary(records, "communes without a lead"), records)
    }
}
