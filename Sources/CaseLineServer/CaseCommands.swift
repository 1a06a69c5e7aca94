import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// CASE CREATE, LIST, SHOW, UPDATE, SUBMIT (CLP1.md §10.9).
enum CaseCommands {
    static let handlers: [String: CommandHandler] = [
        "CASE CREATE": create, "CASE LIST": list, "CASE SHOW": show, "CASE UPDATE": update, "CASE SUBMIT": submit,
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
        fields.append(Field("creator", file.creator))
        if let submitter = file.submitter { fields.append(Field("submitter", submitter)) }
        if let at = file.submittedAt { fields.append(Field("submitted-at", Timestamp.format(at))) }
        if file.state == .submitted, let at = file.waitingSince {
            fields.append(Field("waiting-since", Timestamp.format(at)))
        }
        if [.approved, .rejected, .returned].contains(file.state), let at = file.decidedAt {
            fields.append(Field("decided-at", Timestamp.format(at)))
        }
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
    static func target(_ command: Command, _ env: ServerEnvironment, _ session: SessionState) async throws -> CaseFile {
        let id = command.arguments[0]
        guard let file = try await env.store.caseFile(id: id) else { throw DomainError(.notFound, "no case \(id)") }
        try env.requireReach(session, command.name, .unit(UnitRef(stored: file.commune)))
        return file
    }

    static func requireWriter(_ env: ServerEnvironment, _ session: SessionState, _ command: Command, commune: String)
        async throws
    {
        let facts = try await TaskCommands.facts(env, session, command, commune: commune)
        guard ApprovalRules.mayWrite(facts) else {
            throw DomainError(.forbidden, "you are not a case writer for commune \(commune)")
        }
    }

    static func requireRevision(_ command: Command, _ file: CaseFile) throws {
        if let expected = command[option: "rev"].flatMap(Int64.init), expected != file.revision {
            throw DomainError(
                .conflict, "case \(file.id) changed since revision \(expected)",
                details: [("current", String(file.revision))])
        }
    }

    /// Applies the editable options of CASE CREATE / CASE UPDATE and checks what they may hold.
    static func apply(_ command: Command, to file: inout CaseFile, _ env: ServerEnvironment) async throws {
        if let title = command[option: "title"] {
            guard !title.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw DomainError(.invalid, "the title may not be blank")
            }
            file.title = title
        }
        if let amount = command[option: "amount"] { file.amount = Int64(amount) }
        if let funding = command[option: "funding"] {
            file.funding = funding.split(separator: ",").compactMap { item in
                let parts = item.split(separator: ":")
                guard parts.count == 2, let amount = Int64(parts[1]) else { return nil }
                return CaseFile.Funding(source: String(parts[0]), amount: amount)
            }
        }
        if let households = command[option: "households"] {
            let ids = households.split(separator: ",").map(String.init)
            let communes = try await env.store.householdCommunes(ids)
            for id in ids {
                guard let commune = communes[id] else { throw DomainError(.notFound, "no household \(id)") }
                guard commune == file.commune else {
                    throw DomainError(.invalid, "household \(id) lives in commune \(commune), not \(file.commune)")
                }
            }
            file.households = ids
        }
        if let documents = command[option: "documents"] {
            file.documents = documents.split(separator: ",").map(String.init)
        }
        if let description = command[option: "description"] { file.description = description }
        if let problem = file.fundingProblem { throw DomainError(.invalid, problem) }
    }

    static func create(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws
        -> Reply
    {
        let claim = Idempotency.claim(command, session)
        if let id = try await Idempotency.earlier(claim, kind: "case", env: env),
            let file = try await env.store.caseFile(id: id)
        {
            return Reply(
                responses: [.record(record(file, withDescription: true))],
                text: "case \(file.id) was created earlier with this key", code: "REPLAYED")
        }
        guard let kind = CaseFile.Kind(rawValue: command.arguments[0]) else {
            throw DomainError(.invalid, "unknown case kind \(command.arguments[0])")
        }
        let commune = try env.currentUnit(command.arguments[1], levels: [.commune])
        try env.requireReach(session, command.name, .unit(commune.ref))
        try await requireWriter(env, session, command, commune: commune.ref.code)
        var file = CaseFile(kind: kind, commune: commune.ref.code, title: "", creator: session.user!.login)
        try await apply(command, to: &file, env)
        let created = try await env.store.createCase(
            file, claim: claim,
            audit: AuditEntry(
                actor: session.actor, command: command.name, entity: "case:-",
                change:
                    "created: kind=\(kind.rawValue) commune=\(file.commune) title=\(file.title) amount=\(file.amount.map(String.init) ?? "–")"
            ))
        return .ok("case \(created.id) created as a draft", [record(created, withDescription: true)])
    }

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws -> Reply
    {
        let filter = try env.listFilter(command, session)
        let login = session.user!.login
        let found = try await env.store.cases(communes: filter.communes).filter { file in
            env.reaches(session, command.name, .unit(UnitRef(stored: file.commune)))
                && filter.matches(file.commune, env.units)
                && command[option: "state"].map { file.state.rawValue == $0 } ?? true
                && command[option: "kind"].map { file.kind.rawValue == $0 } ?? true
                && (command[option: "mine"] == "yes" ? file.creator == login || file.submitters.contains(login) : true)
        }
        let records = Paging.page(found, command) { record($0, withDescription: false) }
        return .ok(Paging.summary(records, "cases"), records)
    }

    static func show(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws -> Reply
    {
        let file = try await target(command, env, session)
        let steps = try await env.store.steps(caseID: file.id)
        return .ok("", [record(file, withDescription: true)] + steps.map(stepRecord))
    }

    static func update(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws
        -> Reply
    {
        let old = try await target(command, env, session)
        try requireRevision(command, old)
        guard old.state.isEditable else {
            throw DomainError(
                .invalidTransition, "a \(old.state.rawValue) case can no longer be changed",
                details: [("from", old.state.rawValue)])
        }
        try await requireWriter(env, session, command, commune: old.commune)
        let editable = ["title", "amount", "funding", "households", "documents", "description"]
        guard editable.contains(where: { command[option: $0] != nil }) else {
            throw DomainError(.invalid, "nothing to change")
        }
        var file = old
        try await apply(command, to: &file, env)
        file.editors.insert(session.user!.login)
        var changes = ChangeList()
        changes.note("title", old.title, file.title)
        changes.note("amount", old.amount.map(String.init), file.amount.map(String.init))
        changes.note(
            "funding", old.funding.map { "\($0.source):\($0.amount)" }.joined(separator: ","),
            file.funding.map { "\($0.source):\($0.amount)" }.joined(separator: ","))
        changes.note("households", old.households.joined(separator: ","), file.households.joined(separator: ","))
        changes.note("documents", old.documents.joined(separator: ","), file.documents.joined(separator: ","))
        if old.description != file.description { changes.note("description", "(old)", "(new)") }
        let saved = try await env.store.saveCase(
            file, expectedRevision: old.revision, steps: [],
            audit: AuditEntry(
                actor: session.actor, command: command.name, entity: "case:\(old.id)",
                change: changes.isEmpty ? "no change" : changes.text))
        return .ok("case \(saved.id) updated", [record(saved, withDescription: true)])
    }

    static func submit(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws
        -> Reply
    {
        let old = try await target(command, env, session)
        try requireRevision(command, old)
        guard old.state.isEditable else {
            throw DomainError(
                .invalidTransition, "a \(old.state.rawValue) case cannot be submitted",
                details: [("from", old.state.rawValue), ("to", "submitted")])
        }
        try await requireWriter(env, session, command, commune: old.commune)
        if let missing = old.incompleteness { throw DomainError(.invalid, missing) }
        guard let chain = try await env.store.chains().first(where: { $0.kind == old.kind }) else {
            throw DomainError(.internalError, "no chain for \(old.kind.rawValue)")
        }
        let now = env.clock()
        let login = session.user!.login
        var file = old
        file.state = .submitted
        file.round += 1
        file.chain = chain.steps
        file.step = 1
        file.submitter = login
        file.submitters.insert(login)
        file.submittedAt = now
        file.waitingSince = now
        file.decidedAt = nil
        let steps = chain.steps.enumerated().map { index, step in
            CaseStep(
                caseID: old.id, round: file.round, number: index + 1, step: step,
                state: index == 0 ? .waiting : .queued, waitingSince: index == 0 ? now : nil)
        }
        let saved = try await env.store.saveCase(
            file, expectedRevision: old.revision, steps: steps,
            audit: AuditEntry(
                actor: session.actor, command: command.name, entity: "case:\(old.id)",
                change:
                    "state: \(old.state.rawValue) → submitted; round: \(file.round); chain: \(ChainStep.list(chain.steps))",
                events: [
                    try await env.caseEvent(
                        .caseSubmitted, file, steps: steps,
                        [EventDetail("step", "1"), EventDetail("steps", String(steps.count))])
                ]))
        return .ok(
            "case \(saved.id) submitted; step 1 of \(steps.count) waits for \(chain.steps[0])",
            [record(saved, withDescription: false)] + steps.map(stepRecord))
    }
}
