import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// CASE CREATE, LIST, SHOW, UPDATE, SUBMIT (CLP1.md §10.9).
enum CaseCommands {
    static let kind = Param<CaseFile.Kind>.choice("kind")
    static let commune = Param.unit("commune").required
    static let title = Param.text("title", max: 200)
    static let amount = Param.amount("amount")
    static let funding = Param.funding("funding")
    static let households = Param.list("households", of: .identifier, max: 500)
    static let documents = Param.list("documents", of: .text(maxCharacters: 64), max: 50)
    static let state = Param<CaseFile.State>.choice("state")
    static let mine = Param.boolean("mine")
    /// The programme year the case counts in (reports); the year of creation by default.
    static let year = Param.number("year", 2000...2100)
    /// `poor:896,near-poor:1148`: categories poor, near-poor, escaped, other, minority (of whom).
    static let beneficiaries = Param.text("beneficiaries", max: 200)
    static let stage = Param<HousingStage>.choice("stage")
    static let date = Param.date("date")
    /// What CASE UPDATE may change.
    static let editable: [any ParameterDeclaration] = [
        title, amount, funding, households, documents, Common.description, year, beneficiaries,
    ]

    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "CASE CREATE", group: .cases, summary: "Open a case (a draft) that will need approval.",
            positionals: [kind.required, commune],
            options: [
                title.required, amount, funding, households, documents, Common.description, year, beneficiaries,
                Common.key,
            ],
            access: .roles(Common.deciders), who: "case writers for the commune.", handler: create),
        CommandDefinition(
            "CASE LIST", group: .cases, summary: "List cases with filters.",
            options: [
                state, kind, Common.commune, Common.province, Common.district, mine, Common.limit, Common.offset,
            ],
            access: .authenticated,
            who: "every role; the list holds only cases whose commune the caller's scope contains.", handler: list),
        CommandDefinition(
            "CASE SHOW", group: .cases, summary: "Show a case with its approval chain and decisions.",
            positionals: [Common.id], access: .authenticated,
            who: "every role, for a case whose commune the caller's scope contains.", handler: show),
        CommandDefinition(
            "CASE UPDATE", group: .cases, summary: "Change a draft or returned case.", positionals: [Common.id],
            options: editable + [Common.requiredRev], access: .roles(Common.deciders),
            who: "case writers for the case's commune.", handler: update),
        CommandDefinition(
            "CASE SUBMIT", group: .cases, summary: "Submit a case for approval; the chain starts at step 1.",
            positionals: [Common.id], options: [Common.rev], access: .roles(Common.deciders),
            who: "case writers for the case's commune.", handler: submit),
        CommandDefinition(
            "CASE PROGRESS", group: .cases,
            summary: "Record a house's next stage after approval: started, finished, handed over.",
            positionals: [Common.id], options: [stage.required, date.required, Common.requiredRev],
            access: .roles(Common.deciders), who: "case writers for the case's commune.", handler: progress),
    ]

    static func record(_ file: CaseFile, withDescription: Bool) -> Record {
        var fields = [
            Field("id", file.id), Field("kind", file.kind.rawValue), Field("commune", file.commune),
            Field("title", file.title), Field("state", file.state.rawValue),
        ]
        if file.round > 0 {
            fields += [
                Field("step", "\(file.step)/\(file.chain.count)"), Field("round", String(file.round)),
                Field("chain", ChainStep.list(file.chain)),
            ]
        }
        if let amount = file.amount { fields.append(Field("amount", String(amount))) }
        if !file.funding.isEmpty {
            fields.append(Field("funding", file.funding.map { "\($0.source):\($0.amount)" }.joined(separator: ",")))
        }
        if !file.households.isEmpty { fields.append(Field("households", file.households.joined(separator: ","))) }
        if !file.documents.isEmpty { fields.append(Field("documents", file.documents.joined(separator: ","))) }
        if let year = file.year { fields.append(Field("year", String(year))) }
        if !file.beneficiaries.isEmpty {
            fields.append(Field("beneficiaries", file.beneficiaries.wire))
            fields.append(Field("persons", String(file.beneficiaries.persons)))
        }
        for stage in HousingStage.allCases {
            if let day = file.progress[stage] { fields.append(Field(stage.rawValue, day.description)) }
        }
        fields.append(Field("creator", file.creator))
        if let submitter = file.submitter { fields.append(Field("submitter", submitter)) }
        if let at = file.submittedAt { fields.append(Field("submitted-at", Timestamp.format(at))) }
        if file.state == .submitted, let at = file.waitingSince {
            fields.append(Field("waiting-since", Timestamp.format(at)))
        }
        if [.approved, .rejected, .returned].contains(file.state), let at = file.decidedAt {
            fields.append(Field("decided-at", Timestamp.format(at)))
        }
        if let decision = file.decision { fields.append(Field("decision", decision)) }
        if let mark = file.imported { fields += mark.fields }
        fields += [
            Field("created-at", Timestamp.format(file.createdAt)),
            Field("updated-at", Timestamp.format(file.updatedAt)),
            Field("rev", String(file.revision)),
        ]
        if withDescription, let description = file.description { fields.append(Field("description", description)) }
        return Record("CASE", fields)
    }

    static func stepRecord(_ step: CaseStep) -> Record {
        var fields = [
            Field("case", step.caseID), Field("round", String(step.round)), Field("n", String(step.number)),
            Field("role", step.step.role.rawValue), Field("level", step.step.level.rawValue),
            Field("state", step.state.rawValue),
        ]
        if step.state == .waiting, let at = step.waitingSince {
            fields.append(Field("waiting-since", Timestamp.format(at)))
        }
        if let by = step.by { fields.append(Field("by", by)) }
        if let behalf = step.onBehalfOf { fields.append(Field("on-behalf-of", behalf)) }
        if let delegation = step.delegation { fields.append(Field("delegation", delegation)) }
        if let at = step.at { fields.append(Field("at", Timestamp.format(at))) }
        if let note = step.note { fields.append(Field("note", note)) }
        if let reason = step.reason { fields.append(Field("reason", reason)) }
        return Record("STEP", fields)
    }

    /// The case, which must exist and lie in the caller's scope.
    static func target(_ input: CommandInput, _ env: ServerEnvironment, _ session: SessionState) async throws
        -> CaseFile
    {
        let id = try input[Common.id]
        guard let file = try await env.store.caseFile(id: id) else { throw DomainError(.notFound, "no case \(id)") }
        try env.requireReach(session, input.name, .unit(UnitRef(stored: file.placement)))
        return file
    }

    static func requireWriter(_ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput, commune: String)
        async throws
    {
        let facts = try await TaskCommands.facts(env, session, input, commune: commune)
        guard ApprovalRules.mayWrite(facts) else {
            throw DomainError(.forbidden, "you are not a case writer for commune \(commune)")
        }
    }

    static func requireRevision(_ input: CommandInput, _ file: CaseFile) throws {
        if let expected = input[Common.rev], expected != file.revision {
            throw DomainError(
                .conflict, "case \(file.id) changed since revision \(expected)",
                details: [("current", String(file.revision))])
        }
    }

    /// Applies the editable options of CASE CREATE / CASE UPDATE and checks what they may hold.
    static func apply(_ input: CommandInput, to file: inout CaseFile, _ env: ServerEnvironment) async throws {
        if let title = input[title] {
            guard !title.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw DomainError(.invalid, "the title may not be blank")
            }
            file.title = title
        }
        if let amount = input[amount] { file.amount = amount }
        if let funding = input[funding] { file.funding = funding }
        if let ids = input[households] {
            let communes = try await env.store.householdCommunes(ids)
            for id in ids {
                guard let commune = communes[id] else { throw DomainError(.notFound, "no household \(id)") }
                guard commune == file.commune else {
                    throw DomainError(.invalid, "household \(id) lives in commune \(commune), not \(file.commune)")
                }
            }
            file.households = ids
        }
        if let documents = input[documents] { file.documents = documents }
        if let description = input[Common.description] { file.description = description }
        if let year = input[year] { file.year = year }
        if let text = input[beneficiaries] {
            guard let parsed = Beneficiaries(wire: text) else {
                throw DomainError(
                    .invalid,
                    "beneficiaries= is category:count,… with categories "
                        + Beneficiaries.categories.joined(separator: ", "))
            }
            if let problem = parsed.problem { throw DomainError(.invalid, problem) }
            guard parsed.isEmpty || file.kind.needsFunding else {
                throw DomainError(.invalid, "a \(file.kind.rawValue) case pays no one: it has no beneficiaries")
            }
            file.beneficiaries = parsed
        }
        if let problem = file.fundingProblem { throw DomainError(.invalid, problem) }
    }

    static func create(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let claim = Idempotency.claim(input, session)
        if let id = try await Idempotency.earlier(claim, kind: "case", env: env),
            let file = try await env.store.caseFile(id: id)
        {
            return Reply(
                responses: [.record(record(file, withDescription: true))],
                text: "case \(file.id) was created earlier with this key", code: "REPLAYED")
        }
        let kind = try input[kind.required]
        let commune = try env.currentUnit(try input[commune], levels: [.commune])
        try env.requireReach(session, input.name, .unit(commune.ref))
        try await requireWriter(env, session, input, commune: commune.ref.code)
        var file = CaseFile(kind: kind, commune: commune.ref.code, title: "", creator: try session.requireUser().login)
        file.year = try ReviewCommands.today(env).year
        try await apply(input, to: &file, env)
        let created = try await env.store.createCase(
            file, claim: claim,
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "case:-",
                change:
                    "created: kind=\(kind.rawValue) commune=\(file.commune) title=\(file.title) amount=\(file.amount.map(String.init) ?? "–")"
            ))
        return .ok("case \(created.id) created as a draft", [record(created, withDescription: true)])
    }

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let filter = try env.listFilter(input, session)
        let login = try session.requireUser().login
        let found = try await env.store.cases(communes: filter.communes).filter { file in
            env.reaches(session, input.name, .unit(UnitRef(stored: file.placement)))
                && filter.matches(file.placement, env.units) && filter.counts(placement: file.placement, env.units)
                && input[state].map { file.state == $0 } ?? true
                && input[kind].map { file.kind == $0 } ?? true
                && (input[mine] == true ? file.creator == login || file.submitters.contains(login) : true)
        }
        let records = Paging.page(found, input) { record($0, withDescription: false) }
        return .ok(Paging.summary(records, "cases"), records)
    }

    static func show(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let file = try await target(input, env, session)
        let steps = try await env.store.steps(caseID: file.id)
        return .ok("", [record(file, withDescription: true)] + steps.map(stepRecord))
    }

    static func update(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let old = try await target(input, env, session)
        try requireRevision(input, old)
        guard old.state.isEditable else {
            throw DomainError(
                .invalidTransition, "a \(old.state.rawValue) case can no longer be changed",
                details: [("from", old.state.rawValue)])
        }
        try await requireWriter(env, session, input, commune: old.commune)
        guard input.hasAny(editable) else {
            throw DomainError(.invalid, "nothing to change")
        }
        var file = old
        try await apply(input, to: &file, env)
        file.editors.insert(try session.requireUser().login)
        var changes = ChangeList()
        changes.note("title", old.title, file.title)
        changes.note("amount", old.amount.map(String.init), file.amount.map(String.init))
        changes.note(
            "funding", old.funding.map { "\($0.source):\($0.amount)" }.joined(separator: ","),
            file.funding.map { "\($0.source):\($0.amount)" }.joined(separator: ","))
        changes.note("households", old.households.joined(separator: ","), file.households.joined(separator: ","))
        changes.note("documents", old.documents.joined(separator: ","), file.documents.joined(separator: ","))
        changes.note("year", old.year.map(String.init), file.year.map(String.init))
        changes.note("beneficiaries", old.beneficiaries.wire, file.beneficiaries.wire)
        if old.description != file.description { changes.note("description", "(old)", "(new)") }
        let saved = try await env.store.saveCase(
            file, expectedRevision: old.revision, steps: [],
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "case:\(old.id)",
                change: changes.isEmpty ? "no change" : changes.text))
        return .ok("case \(saved.id) updated", [record(saved, withDescription: true)])
    }

    static func submit(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let old = try await target(input, env, session)
        let user = try session.requireUser()
        let facts = try await TaskCommands.facts(env, session, input, commune: old.commune)
        let chain = try await env.store.chains().first { $0.kind == old.kind }?.steps ?? []
        let commune = env.units.current(UnitRef(stored: old.commune))
        let context = CaseApproval.Context(
            actor: user, writer: ApprovalRules.mayWrite(facts), commune: commune?.ref.code ?? old.commune,
            province: commune?.province, delegations: [], now: env.clock(), expectedRevision: input[Common.rev])
        let outcome = try CaseApproval.apply(.submit(chain: chain), to: old, steps: [], context).get()
        let saved = try await env.store.saveCase(
            outcome.file, expectedRevision: old.revision, steps: outcome.steps,
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "case:\(old.id)", change: outcome.change,
                events: try await env.caseEvents(outcome)))
        return .ok(outcome.answer, [record(saved, withDescription: false)] + outcome.steps.map(stepRecord))
    }

    static func progress(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let old = try await target(input, env, session)
        try requireRevision(input, old)
        try await requireWriter(env, session, input, commune: old.commune)
        let stage = try input[stage.required]
        guard let day = CivilDate(try input[date.required]) else { throw DomainError(.invalid, "date is not a date") }
        let decided = old.decidedAt.flatMap { CivilDate(ServerEnvironment.day($0)) }
        var file = old
        file.progress = try HousingProgress.advance(
            old, to: stage, on: day, decided: decided, today: try ReviewCommands.today(env)
        ).get()
        let saved = try await env.store.saveCase(
            file, expectedRevision: old.revision, steps: [],
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "case:\(old.id)",
                change: "house \(stage.rawValue) on \(day)"))
        return .ok("case \(saved.id): house \(stage.rawValue) on \(day)", [record(saved, withDescription: false)])
    }
}
