import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// The funding ledger (CLP1.md §10.13): FUND ALLOCATE, DISBURSE, CARRY, LIST, SHOW. The ledger's rules are
/// `FundingRules`', checked by the store inside its write transaction; the handlers check who may write where.
///
/// Least privilege: an allocation or a carry-over records a People's Committee's decision on money, so only
/// the steering committee's chair and deputies (within their scope) and admins record them. A payment is
/// recorded by the committee's officers as well (they keep the books of the projects), never by commune staff
/// (who prepare cases, not payments). A payment beyond what an allocation has left needs `override=` and is
/// allowed to the chair and to admins only: the one accountable for the committee's money answers for it, and
/// the reason stays in the ledger and the audit trail. Auditors read.
enum FundCommands {
    static let unit = Param.unit("unit")
    static let year = Param.number("year", 2000...2100)
    static let project = Param<ProgrammeComponent>.choice("project", FundingRules.projects)
    static let source = Param<FundingSource>.choice("source")
    static let nature = Param<FundNature>.choice("nature")
    static let amount = Param.amount("amount")
    static let document = Param.text("document", max: 200)
    static let note = Param.text("note", max: 2000)
    static let date = Param.date("date")
    static let caseID = Param.id("case")
    static let override = Param.text("override", max: 2000)
    static let allocation = Param.id("allocation").required

    static let bookkeepers: Set<Role> = [.admin, .chair, .deputy, .officer]
    static let overriders: Set<Role> = [.admin, .chair]

    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "FUND ALLOCATE", group: .cases,
            summary: "Record money allocated to a commune or province for a year, project and source.",
            options: [
                unit.required, year.required, project.required, source.required, nature, amount.required,
                document.required, note, Common.key,
            ],
            access: .roles(Common.leaders),
            who: "admins, and chairs and deputies whose scope contains the unit.", handler: allocate),
        CommandDefinition(
            "FUND DISBURSE", group: .cases,
            summary: "Record a payment out of an allocation: a direct entry or an approved case's payment.",
            positionals: [allocation],
            options: [amount.required, date.required, caseID, document, override, Common.key],
            access: .roles(bookkeepers),
            who: "admins, chairs, deputies and officers whose scope contains the allocation's unit; "
                + "override= the chair and admins only.",
            handler: disburse),
        CommandDefinition(
            "FUND CARRY", group: .cases,
            summary: "Carry an allocation's unspent remainder over to a later year.", positionals: [allocation],
            options: [year.required, amount.required, document.required, note, Common.key],
            access: .roles(Common.leaders),
            who: "admins, and chairs and deputies whose scope contains the allocation's unit.", handler: carry),
        CommandDefinition(
            "FUND LIST", group: .cases, summary: "List allocations with what is disbursed, carried and left.",
            options: [
                Common.commune, Common.province, Common.district, year, project, source, Common.limit,
                Common.offset,
            ],
            access: .authenticated, who: "any authenticated role, within its scope.", handler: list),
        CommandDefinition(
            "FUND SHOW", group: .cases,
            summary: "An allocation with its disbursements and the carry-overs made from it.",
            positionals: [allocation], access: .authenticated,
            who: "any authenticated role whose scope contains the allocation's unit.", handler: show),
    ]

    // MARK: Places

    /// The units (as stored) a ledger read covers: the communes `REVIEW FLOWS` would count (a commune with its
    /// legacy predecessors, a legacy district's communes, a province's communes), plus the province itself (and
    /// the legacy provinces of its communes) when a province is named; nil for every unit.
    static func ledgerUnits(_ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput) throws
        -> Set<String>?
    {
        guard var units = try ReviewCommands.reviewCommunes(env, session, input) else { return nil }
        if let province = input[Common.province] {
            units.insert(province.description)
            for commune in units where commune.hasPrefix("legacy:") {
                if let legacy = env.units.unit(UnitRef(stored: commune))?.provinceRef {
                    units.insert(legacy.description)
                }
            }
        }
        return units
    }

    /// Whether a case of `commune` (a 2025 commune) lies in the allocation's unit: the commune itself, its
    /// province, or a legacy commune (or province) it succeeded.
    static func covers(_ allocationUnit: String, commune: String, _ env: ServerEnvironment) -> Bool {
        if allocationUnit == commune { return true }
        let ref = UnitRef(stored: allocationUnit)
        if ref.edition == .current {
            return env.units.currentProvince(of: UnitRef(stored: commune)) == ref.code
        }
        guard let unit = env.units.unit(ref) else { return false }
        if unit.level == .commune { return env.units.current(ref)?.ref.code == commune }
        return env.units.lineage(UnitRef(.current, commune)).contains {
            env.units.unit(UnitRef(.legacy, $0.legacyCode))?.province == unit.ref.code
        }
    }

    /// The allocation, which must exist and lie in the caller's scope (`NOT-FOUND` outside it).
    static func target(_ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput) async throws
        -> (allocation: Allocation, ledger: FundLedger)
    {
        let id = try input[allocation]
        guard let found = try await env.store.allocation(id: id),
            env.reaches(session, input.name, .unit(UnitRef(stored: found.allocation.unit)))
        else { throw DomainError(.notFound, "no allocation \(id)") }
        return found
    }

    // MARK: Handlers

    static func allocate(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let claim = Idempotency.claim(input, session)
        if let id = try await Idempotency.earlier(claim, kind: "allocation", env: env),
            let earlier = try await env.store.allocation(id: id)
        {
            return Reply(
                responses: [.record(record(earlier.allocation, earlier.ledger, env))],
                text: "allocation \(id) was recorded earlier with this key", code: "REPLAYED")
        }
        let place = try env.unit(try input[unit.required])
        guard place.level == .commune || place.level == .province else {
            throw DomainError(
                .invalid, "\(place.name) is a \(place.level.rawValue); money goes to a commune or a province")
        }
        try env.requireReach(session, input.name, .unit(place.ref))
        let new = Allocation(
            year: try input[year.required], unit: place.ref.description, project: try input[project.required],
            source: try input[source.required], nature: input[nature], amount: try input[amount.required],
            document: try input[document.required], note: input[note], by: try session.requireUser().login)
        if let problem = FundingRules.problem(allocating: new) { throw problem }
        let stored = try await env.store.createAllocation(
            new, claim: claim,
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "allocation:-",
                change:
                    "allocated AL-?: \(new.amount) VND to \(new.unit) for \(new.year), project \(new.project.rawValue), "
                    + "source \(new.source.rawValue)\(new.nature.map { " (\($0.rawValue))" } ?? ""), "
                    + "document \(new.document)"))
        return .ok(
            "\(stored.id): \(stored.amount) VND allocated",
            [record(stored, FundLedger(allocations: [stored], disbursements: []), env)])
    }

    static func disburse(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let user = try session.requireUser()
        let claim = Idempotency.claim(input, session)
        let found = try await target(env, session, input)
        if let id = try await Idempotency.earlier(claim, kind: "disbursement", env: env),
            let earlier = try await env.store.allocation(id: found.allocation.id),
            let payment = earlier.ledger.disbursements.first(where: { $0.id == id })
        {
            return Reply(
                responses: [.record(disbursementRecord(payment))],
                text: "\(id) was recorded earlier with this key", code: "REPLAYED")
        }
        let reason = input[override]
        if reason != nil, !overriders.contains(user.role) {
            throw DomainError(.forbidden, "only the chair or an admin may pay beyond an allocation (override=)")
        }
        if let reason, reason.trimmingCharacters(in: .whitespaces).isEmpty {
            throw DomainError(.invalid, "override= needs a reason")
        }
        guard let day = CivilDate(try input[date.required]) else { throw DomainError(.invalid, "date is not a date") }
        guard day <= (try ReviewCommands.today(env)) else {
            throw DomainError(.invalid, "\(day) is in the future: record a payment once it is made")
        }
        if let caseID = input[caseID] {
            guard let file = try await env.store.caseFile(id: caseID),
                env.reaches(session, input.name, .unit(UnitRef(stored: file.commune)))
            else { throw DomainError(.notFound, "no case \(caseID)") }
            guard covers(found.allocation.unit, commune: file.commune, env) else {
                throw DomainError(
                    .invalid, "case \(file.id) is of commune \(file.commune), not of \(found.allocation.unit)")
            }
            guard file.state == .approved else {
                throw DomainError(.invalid, "case \(file.id) is \(file.state.rawValue), not approved")
            }
        }
        let payment = Disbursement(
            allocation: found.allocation.id, amount: try input[amount.required], date: day, caseID: input[caseID],
            document: input[document], override: reason, by: user.login)
        let stored = try await env.store.recordDisbursement(
            payment, claim: claim,
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "allocation:\(found.allocation.id)",
                change:
                    "disbursed DB-?: \(payment.amount) VND on \(day)"
                    + (payment.caseID.map { " for case \($0)" } ?? "")
                    + (reason.map { " beyond the allocation, override: \($0)" } ?? "")))
        return .ok(
            "\(stored.id): \(stored.amount) VND paid out of \(found.allocation.id)", [disbursementRecord(stored)])
    }

    static func carry(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let claim = Idempotency.claim(input, session)
        if let id = try await Idempotency.earlier(claim, kind: "allocation", env: env),
            let earlier = try await env.store.allocation(id: id)
        {
            return Reply(
                responses: [.record(record(earlier.allocation, earlier.ledger, env))],
                text: "\(id) was carried over earlier with this key", code: "REPLAYED")
        }
        let source = try await target(env, session, input).allocation
        var new = source
        new.id = ""
        new.year = try input[year.required]
        new.amount = try input[amount.required]
        new.document = try input[document.required]
        new.note = input[note]
        new.carriedFrom = source.id
        new.by = try session.requireUser().login
        let stored = try await env.store.createAllocation(
            new, claim: claim,
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "allocation:-",
                change: "carried \(new.amount) VND of \(source.id) (\(source.year)) over to \(new.year) as AL-?, "
                    + "document \(new.document)"))
        return .ok(
            "\(stored.amount) VND of \(source.id) carried over to \(stored.year) as \(stored.id)",
            [record(stored, FundLedger(allocations: [stored], disbursements: []), env)])
    }

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let units = try ledgerUnits(env, session, input)
        let years = input[year].map { $0...$0 }
        let ledger = try await env.store.fundLedger(units: units, years: nil)
        let balances = ledger.balances
        let found = ledger.allocations.filter { a in
            env.reaches(session, input.name, .unit(UnitRef(stored: a.unit)))
                && years.map { $0.contains(a.year) } ?? true
                && input[project].map { a.project == $0 } ?? true
                && input[source].map { a.source == $0 } ?? true
        }
        let records = Paging.page(found, input) { record($0, balance: balances[$0.id], env) }
        return .ok(Paging.summary(records, "allocations"), records)
    }

    static func show(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let found = try await target(env, session, input)
        let carried = found.ledger.allocations.filter { $0.carriedFrom == found.allocation.id }
        let empty = FundLedger(allocations: [], disbursements: [])
        return .ok(
            "\(found.allocation.id): \(found.ledger.disbursements.count) disbursements, \(carried.count) carried over",
            [record(found.allocation, found.ledger, env)] + found.ledger.disbursements.map(disbursementRecord)
                + carried.map { record($0, empty, env) })
    }

    // MARK: Records

    static func record(_ a: Allocation, _ ledger: FundLedger, _ env: ServerEnvironment) -> Record {
        record(a, balance: ledger.balances[a.id], env)
    }

    static func record(_ a: Allocation, balance: FundBalance?, _ env: ServerEnvironment) -> Record {
        let balance = balance ?? FundBalance(amount: a.amount)
        var fields = [
            Field("id", a.id), Field("year", String(a.year)), Field("unit", a.unit),
            Field("unit-name", env.units.unit(UnitRef(stored: a.unit))?.name ?? a.unit),
            Field("project", a.project.rawValue), Field("source", a.source.rawValue),
        ]
        if let nature = a.nature { fields.append(Field("nature", nature.rawValue)) }
        fields += [Field("amount", String(a.amount)), Field("document", a.document)]
        if let from = a.carriedFrom { fields.append(Field("carried-from", from)) }
        fields += [
            Field("disbursed", String(balance.disbursed)), Field("carried-out", String(balance.carriedOut)),
            Field("available", String(balance.available)), Field("overrides", String(balance.overrides)),
            Field("by", a.by), Field("at", Timestamp.format(a.recordedAt)),
        ]
        if let note = a.note { fields.append(Field("note", note)) }
        return Record("ALLOCATION", fields)
    }

    static func disbursementRecord(_ d: Disbursement) -> Record {
        var fields = [
            Field("id", d.id), Field("allocation", d.allocation), Field("amount", String(d.amount)),
            Field("date", d.date.description),
        ]
        if let caseID = d.caseID { fields.append(Field("case", caseID)) }
        if let document = d.document { fields.append(Field("document", document)) }
        if let override = d.override { fields.append(Field("override", override)) }
        fields += [Field("by", d.by), Field("at", Timestamp.format(d.recordedAt))]
        return Record("DISBURSEMENT", fields)
    }
}
