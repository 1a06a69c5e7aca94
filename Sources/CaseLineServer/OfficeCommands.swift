import CaseLineDomain
import CaseLineProtocol
import CaseLineStore

/// Offices of People's Committees (CLP1.md §10.11): who holds the chairman's office of a commune or a
/// province, from when to when, or exercises it for its holder. The review's decisions belong to offices, not
/// to the steering committee's chair: REVIEW DECIDE needs the commune chairman's office on the decision's
/// date, REVIEW OPINION the province chairman's. Admins record appointments; everyone in scope can read them.
enum OfficeCommands {
    static let unit = Param.unit("unit")
    static let post = Param<Office.Post>.choice("post")
    static let login = Param.id("login")
    static let from = Param.date("from").required
    static let through = Param.date("through")
    static let onBehalfOf = Param.id("on-behalf-of")

    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "OFFICE ASSIGN", group: .committees,
            summary: "Record that a user holds (or acts for the holder of) a People's Committee office.",
            options: [unit.required, post.required, login.required, from, through, onBehalfOf],
            access: .roles([.admin]), who: "admins whose scope contains the unit.", handler: assign),
        CommandDefinition(
            "OFFICE LIST", group: .committees, summary: "List office holdings, by unit or user.",
            options: [unit, login], access: .authenticated, who: "any authenticated role, within its scope.",
            handler: list),
        CommandDefinition(
            "OFFICE END", group: .committees, summary: "End an office holding on its last day.",
            positionals: [Common.id], options: [through.required], access: .roles([.admin]),
            who: "admins whose scope contains the unit.", handler: end),
    ]

    static func record(_ holding: OfficeHolding) -> Record {
        var fields = [
            Field("id", holding.id ?? ""), Field("post", holding.office.post.rawValue),
            Field("level", holding.office.level.rawValue), Field("unit", holding.office.unit),
            Field("login", holding.login), Field("from", holding.from.description),
        ]
        if let through = holding.through { fields.append(Field("through", through.description)) }
        if let holder = holding.onBehalfOf { fields.append(Field("on-behalf-of", holder)) }
        return Record("OFFICE", fields)
    }

    static func date(_ text: String, _ name: String) throws -> CivilDate {
        guard let day = CivilDate(text) else { throw DomainError(.invalid, "\(name)= is not a date") }
        return day
    }

    static func assign(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let found = try env.unit(try input[unit.required])
        try env.requireReach(session, input.name, .unit(found.ref))
        let level: Office.Level
        switch found.level {
        case .commune: level = .commune
        case .province: level = .province
        default:
            // Districts exist only in the legacy edition; their chairmen gave the opinion before 1 July 2025.
            guard found.ref.edition == .legacy else { throw DomainError(.invalid, "\(found.name) holds no office") }
            level = .district
        }
        let who = try input[login.required]
        guard try await env.store.user(login: who) != nil else { throw DomainError(.notFound, "no user \(who)") }
        if let holder = input[onBehalfOf] {
            guard holder != who else { throw DomainError(.invalid, "on-behalf-of= names another person") }
            guard try await env.store.user(login: holder) != nil else {
                throw DomainError(.notFound, "no user \(holder)")
            }
        }
        let start = try date(try input[from], "from")
        let end = try input[through].map { try date($0, "through") }
        if let end, end < start { throw DomainError(.invalid, "through= is before from=") }
        let office = Office(try input[post.required], level: level, unit: found.ref.description)
        let holding = OfficeHolding(
            office: office, login: who, from: start, through: end, onBehalfOf: input[onBehalfOf])
        // One holder of an office at a time; acting for the holder only while they hold it.
        let others = try await env.store.officeHoldings(unit: office.unit, login: nil).filter {
            $0.office == office && $0.onBehalfOf == nil
        }
        if let holder = input[onBehalfOf] {
            let covered = others.contains {
                $0.login == holder && $0.from <= start
                    && ($0.through.map { last in end.map { $0 <= last } ?? false } ?? true)
            }
            guard covered else {
                throw DomainError(
                    .invalid, "\(holder) does not hold \(office) over the whole period: nobody can act for them in it")
            }
        } else if let clash = others.first(where: { $0.login != who && $0.overlaps(holding) }) {
            throw DomainError(
                .invalid,
                "\(clash.login) holds \(office) from \(clash.from)" + (clash.through.map { " through \($0)" } ?? "")
                    + ": end that holding first (OFFICE END \(clash.id ?? ""))", details: [("office", clash.id ?? "")])
        }
        var change = "\(who) holds \(office) (\(office.title(unitName: found.name))) from \(start)"
        if let end { change += " through \(end)" }
        if let holder = input[onBehalfOf] { change += ", on behalf of \(holder)" }
        let kept = try await env.store.assignOffice(
            holding, audit: AuditEntry(actor: session.actor, command: input.name, entity: "office:-", change: change))
        return .ok("office holding \(kept.id ?? "") recorded", [record(kept)])
    }

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        var unitCode: String?
        if let ref = input[unit] {
            let found = try env.unit(ref)
            try env.requireReach(session, input.name, .unit(found.ref))
            unitCode = found.ref.description
        }
        let holdings = try await env.store.officeHoldings(unit: unitCode, login: input[login]).filter {
            env.reaches(session, input.name, .unit(UnitRef(stored: $0.office.unit)))
        }
        return .ok("\(holdings.count) office holdings", holdings.map(record))
    }

    static func end(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let id = try input[Common.id]
        guard
            let holding = try await env.store.officeHoldings(unit: nil, login: nil).first(where: { $0.id == id }),
            env.reaches(session, input.name, .unit(UnitRef(stored: holding.office.unit)))
        else { throw DomainError(.notFound, "no office holding \(id)") }
        let last = try date(try input[through.required], "through")
        let ended = try await env.store.endOffice(
            id: id, through: last,
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "office:\(id)",
                change: "\(holding.login) holds \(holding.office) through \(last)"))
        return .ok("office holding \(id) ends \(last)", [record(ended)])
    }
}
