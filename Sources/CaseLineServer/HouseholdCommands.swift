import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// HOUSEHOLD CREATE, LIST, SHOW, UPDATE, ADD-MEMBER, REMOVE-MEMBER, ASSESS (CLP1.md §10.8). Identity fields
/// go in full only to the people "Personal data" (§10) names, and every answer that sends them is audited.
/// Households raise no events: an event could carry personal data.
enum HouseholdCommands {
    static let commune = Param.unit("commune").required
    static let head = Param.text("head", max: 100)
    static let gender = Param<Household.Gender>.choice("gender")
    static let birth = Param.date("birth")
    static let ethnicity = Param.text("ethnicity", max: 50)
    static let idNumber = Param.id("id-number")
    static let village = Param.text("village", max: 100)
    static let area = Param<Household.Area>.choice("area")
    static let query = Param.text("q", max: 100)
    static let classification = Param<PovertyStandard.Classification>.choice("class")
    static let year = Param.number("year", 2000...2100)
    static let name = Param.text("name", max: 100).required
    static let relation = Param.text("relation", max: 50).required
    static let member = Param.id("member").required
    static let disability = Param<DisabilityLevel>.choice("disability")
    static let socialAllowance = Param.boolean("social-allowance")
    static let merit = Param.boolean("merit")
    static let income = Param.amount("income").required
    static let deprived = Param<[Deprivation]>.list("deprived", of: Deprivation.self, max: 14)
    static let standard = Param.choice("standard", words: PovertyStandard.all.map(\.name))
    static let keepers: CommandDefinition.Access = .roles([.officer, .staff])
    static let keeperWho = "household writers for the household's commune."

    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "HOUSEHOLD CREATE", group: .households, summary: "Record a household in a commune.",
            positionals: [commune],
            options: [
                head.required, gender.required, birth.required, ethnicity, idNumber, village.required, area.required,
                Common.key,
            ], access: keepers, who: "household writers for the commune.", handler: create),
        CommandDefinition(
            "HOUSEHOLD LIST", group: .households, summary: "List households with their latest classification.",
            options: [
                Common.commune, Common.province, Common.district, village, query, classification, year, Common.limit,
                Common.offset,
            ], access: .authenticated,
            who:
                "household readers (every role, for communes its scope contains); identity fields as in \"Personal data\".",
            handler: list),
        CommandDefinition(
            "HOUSEHOLD SHOW", group: .households, summary: "Show a household with members and assessments.",
            positionals: [Common.id], access: .authenticated,
            who: "household readers; identity fields as in \"Personal data\".", handler: show),
        CommandDefinition(
            "HOUSEHOLD UPDATE", group: .households, summary: "Correct a household's head or address details.",
            positionals: [Common.id],
            options: [head, gender, birth, ethnicity, idNumber, village, area, Common.requiredRev], access: keepers,
            who: keeperWho, handler: update),
        CommandDefinition(
            "HOUSEHOLD ADD-MEMBER", group: .households, summary: "Add a member to a household.",
            positionals: [Common.id],
            options: [
                name, gender.required, birth.required, relation, idNumber, ethnicity, disability, socialAllowance,
                merit, Common.rev, Common.key,
            ], access: keepers,
            who: keeperWho, handler: addMember),
        CommandDefinition(
            "HOUSEHOLD REMOVE-MEMBER", group: .households, summary: "Remove a member from a household.",
            positionals: [Common.id, member], options: [Common.reason, Common.rev], access: keepers, who: keeperWho,
            handler: removeMember),
        CommandDefinition(
            "HOUSEHOLD ASSESS", group: .households,
            summary: "Record a year's assessment; the classification is computed by the standard's rule.",
            positionals: [Common.id], options: [year.required, income, deprived, standard, Common.rev],
            access: keepers, who: keeperWho, handler: assess),
    ]

    // MARK: Records

    /// Masked records leave the identity keys out altogether (never partly shown) and say `masked=yes`.
    static func record(_ household: Household, identity: Bool) -> Record {
        var fields = [
            Field("id", household.id), Field("commune", household.commune), Field("village", household.village),
            Field("area", household.area.rawValue),
        ]
        if identity { fields.append(Field("head", household.head)) }
        fields.append(Field("gender", household.gender.rawValue))
        if identity { fields.append(Field("birth", household.birth)) }
        if let ethnicity = household.ethnicity { fields.append(Field("ethnicity", ethnicity)) }
        if let successor = household.successor { fields.append(Field("successor", successor)) }
        if identity, let idNumber = household.idNumber { fields.append(Field("id-number", idNumber)) }
        fields.append(Field("size", String(household.size)))
        if let classification = household.classification, let year = household.classYear {
            fields += [Field("class", classification.rawValue), Field("class-year", String(year))]
        }
        if !identity { fields.append(Field("masked", "yes")) }
        fields += [
            Field("created-at", Timestamp.format(household.createdAt)),
            Field("updated-at", Timestamp.format(household.updatedAt)), Field("rev", String(household.revision)),
        ]
        return Record("HOUSEHOLD", fields)
    }

    static func personRecord(_ member: HouseholdMember, identity: Bool) -> Record {
        var fields = [Field("id", member.id), Field("household", member.household)]
        if identity { fields.append(Field("name", member.name)) }
        fields.append(Field("gender", member.gender.rawValue))
        if identity { fields.append(Field("birth", member.birth)) }
        fields.append(Field("relation", member.relation))
        if let code = RelationToHead.parse(member.relation)?.code { fields.append(Field("relation-code", code)) }
        if identity, let idNumber = member.idNumber { fields.append(Field("id-number", idNumber)) }
        if let ethnicity = member.ethnicity {
            fields.append(Field("ethnicity", ethnicity))
            if let group = EthnicGroup.lookup(ethnicity) {
                fields.append(Field("ethnicity-code", group.codeText))
                fields.append(Field("minority", group.isMinority ? "yes" : "no"))
            }
        }
        if let disability = member.disability { fields.append(Field("disability", disability.rawValue)) }
        if member.socialAllowance { fields.append(Field("social-allowance", "yes")) }
        if member.merit { fields.append(Field("merit", "yes")) }
        if !identity { fields.append(Field("masked", "yes")) }
        return Record("PERSON", fields)
    }

    static func assessmentRecord(_ assessment: Assessment) -> Record {
        var fields = [
            Field("household", assessment.household), Field("year", String(assessment.year)),
            Field("standard", assessment.standard), Field("income", String(assessment.income)),
            Field("area", assessment.area.rawValue), Field("income-line", String(assessment.incomeLine)),
        ]
        if !assessment.deprived.isEmpty {
            fields.append(Field("deprived", assessment.deprived.map(\.rawValue).joined(separator: ",")))
        }
        fields += [
            Field("deprivations", String(assessment.deprived.count)),
            Field("class", assessment.classification.rawValue),
        ]
        if let previous = assessment.previous { fields.append(Field("previous-class", previous.rawValue)) }
        fields += [Field("by", assessment.by), Field("at", Timestamp.format(assessment.at))]
        return Record("ASSESSMENT", fields)
    }

    // MARK: Who the caller is to a household

    /// What HouseholdRules needs about the caller, read once per request: the communes they are responsible
    /// for today (so that a list asks the store once, not once per household).
    struct Viewer {
        let user: User
        let responsible: Set<String>
        let env: ServerEnvironment
        let session: SessionState
        let command: String

        func facts(_ commune: String) -> HouseholdRules.Facts {
            let ref = UnitRef(stored: commune)
            // A legacy commune is judged by its primary successor, as scope is (§10 "Scope"); callers pass a
            // household's placement, its successor when it has one.
            let current = env.units.current(ref)?.ref.code ?? commune
            return HouseholdRules.Facts(
                user: user, commune: current, responsible: responsible.contains(current),
                inScope: env.reaches(session, command, .unit(ref)))
        }

        func seesIdentity(_ commune: String) -> Bool { HouseholdRules.seesIdentity(facts(commune)) }
        func mayWrite(_ commune: String) -> Bool { HouseholdRules.mayWrite(facts(commune)) }
    }

    static func viewer(_ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput) async throws -> Viewer
    {
        let user = try session.requireUser()
        let today = env.today()
        let responsible =
            user.role == .officer
            ? Set(
                try await env.store.assignments(commune: nil, login: user.login)
                    .filter { $0.state(on: today) == .active }.map(\.commune)) : []
        return Viewer(user: user, responsible: responsible, env: env, session: session, command: input.name)
    }

    /// The household, which must exist and lie in the caller's scope.
    static func target(_ input: CommandInput, _ env: ServerEnvironment, _ session: SessionState) async throws
        -> Household
    {
        let id = try input[Common.id]
        guard let household = try await env.store.household(id: id) else {
            throw DomainError(.notFound, "no household \(id)")
        }
        try env.requireReach(
            session, input.name, .unit(UnitRef(stored: household.placement)))
        return household
    }

    static func requireRevision(_ input: CommandInput, _ household: Household) throws {
        if let expected = input[Common.rev], expected != household.revision {
            throw DomainError(
                .conflict, "household \(household.id) changed since revision \(expected)",
                details: [("current", String(household.revision))])
        }
    }

    static func requireWriter(_ viewer: Viewer, _ commune: String) throws {
        guard viewer.mayWrite(commune) else {
            throw DomainError(
                .forbidden,
                "only the commune's staff and the officers responsible for \(commune) keep its household register")
        }
    }

    /// One read record per household whose identity fields are sent, in one transaction before the answer
    /// goes out: `HISTORY household:HH-n` so says who has seen whose personal data.
    static func auditReads(
        _ households: [String], _ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput
    )
        async throws
    {
        try await env.store.recordReads(
            households.map {
                AuditEntry(
                    actor: session.actor, command: input.name, entity: "household:\($0)",
                    change: "read: identity fields sent")
            })
    }

    // MARK: Values

    static func requireText(_ value: String?, _ what: String) throws {
        if let value, value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw DomainError(.invalid, "the \(what) may not be blank")
        }
    }

    static func requireBirth(_ birth: String?, _ env: ServerEnvironment) throws {
        if let birth, birth > env.today() { throw DomainError(.invalid, "the birth date \(birth) is in the future") }
    }

    /// An ethnic group of the official list of 54, by name or code; refused otherwise, with the reason.
    static func ethnicGroup(_ text: String) throws -> EthnicGroup {
        guard let group = EthnicGroup.lookup(text) else {
            throw DomainError(
                .invalid, "ethnicity \(text) is not one of the 54 groups of the official list (name or code 01–54)")
        }
        return group
    }

    static func requireIDNumber(_ idNumber: String?) throws {
        if let idNumber, !Household.isValidIDNumber(idNumber) {
            throw DomainError(.invalid, "an ID number has 12 digits (CCCD) or 9 digits (CMND), not \(idNumber)")
        }
    }

    /// `ALREADY-EXISTS`, naming the other household only to a caller who may read it.
    static func duplicate(_ idNumber: String?, except id: String?, _ viewer: Viewer, _ env: ServerEnvironment)
        async throws
    {
        guard let idNumber, let other = try await env.store.household(idNumber: idNumber), other.id != id else {
            return
        }
        throw alreadyExists(other.id, other.placement, viewer)
    }

    static func alreadyExists(_ id: String, _ commune: String, _ viewer: Viewer) -> DomainError {
        let readable = viewer.facts(commune).inScope
        return DomainError(
            .alreadyExists, "a person of a household already has this ID number" + (readable ? " (\(id))" : ""),
            details: readable ? [("household", id)] : [])
    }

    /// A race lost to another writer inside the store's transaction is reported as the pre-check would have.
    static func guardingDuplicate<T>(_ viewer: Viewer, _ env: ServerEnvironment, _ body: () async throws -> T)
        async throws -> T
    {
        do {
            return try await body()
        } catch let error as DomainError where error.code == .alreadyExists {
            guard let id = error.details.first(where: { $0.0 == "household" })?.1,
                let other = try await env.store.household(id: id)
            else { throw DomainError(.alreadyExists, "a person of a household already has this ID number") }
            throw alreadyExists(other.id, other.placement, viewer)
        }
    }

    // MARK: Commands

    static func create(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let claim = Idempotency.claim(input, session)
        if let id = try await Idempotency.earlier(claim, kind: "household", env: env),
            let household = try await env.store.household(id: id)
        {
            // Writers always see identity fields; a replay shows the household as it is now, unmasked only
            // if the caller still may (and is audited as any other read).
            let viewer = try await viewer(env, session, input)
            let identity = viewer.seesIdentity(household.placement)
            if identity { try await auditReads([household.id], env, session, input) }
            return Reply(
                responses: [.record(record(household, identity: identity))],
                text: "household \(household.id) was recorded earlier with this key", code: "REPLAYED")
        }
        // As TASK CREATE: a unit that is not a current commune is refused as soon as it is found.
        let commune = try env.currentUnit(try input[commune], levels: [.commune])
        try env.requireReach(session, input.name, .unit(commune.ref))
        let viewer = try await viewer(env, session, input)
        try requireWriter(viewer, commune.ref.code)
        let head = try input[head.required]
        let village = try input[village.required]
        try requireText(head, "head's name")
        try requireText(village, "village")
        try requireBirth(input[birth], env)
        try requireIDNumber(input[idNumber])
        // The official list's name, whatever spelling or code was typed (`tay`, `08`).
        let ethnicity = try input[ethnicity].flatMap { $0.isEmpty ? nil : try ethnicGroup($0).name }
        try await duplicate(input[idNumber], except: nil, viewer, env)
        let household = Household(
            commune: commune.ref.code, village: village,
            area: try input[area.required], head: head, gender: try input[gender.required],
            birth: try input[birth.required], ethnicity: ethnicity, idNumber: input[idNumber])
        var change =
            "created: commune=\(household.commune) area=\(household.area.rawValue) gender=\(household.gender.rawValue)"
        change += "; village: \(village); head: \(head); birth: \(household.birth)"
        if let ethnicity { change += "; ethnicity: \(ethnicity)" }
        if let idNumber = household.idNumber { change += "; id-number: \(idNumber)" }
        let created = try await guardingDuplicate(viewer, env) {
            try await env.store.createHousehold(
                household, claim: claim,
                audit: AuditEntry(actor: session.actor, command: input.name, entity: "household:-", change: change))
        }
        return .ok("household \(created.id) recorded", [record(created, identity: true)])
    }

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let filter = try env.listFilter(input, session)
        let viewer = try await viewer(env, session, input)
        let query = input[query].map(NameFolding.fold)
        if query != nil {
            // A match on a name reveals the name: only someone who may see names may search them, and only
            // among the households whose names they see.
            let seesSome =
                switch viewer.user.role {
                case .admin, .auditor: false
                case .officer:
                    filter.communes.map { !$0.isDisjoint(with: viewer.responsible) } ?? !viewer.responsible.isEmpty
                case .chair, .deputy, .staff: true
                }
            guard seesSome else {
                throw DomainError(.forbidden, "you may not see heads' names here, so you may not search them (q=)")
            }
        }
        let village = input[village].map(NameFolding.fold)
        let year = input[year]
        var classes: [String: Assessment]?
        if let year {
            classes = Dictionary(
                try await env.store.assessments(year: year).map { ($0.household, $0) }, uniquingKeysWith: { a, _ in a })
        }
        let wanted = input[classification]
        var found: [(household: Household, identity: Bool)] = []
        for var household in try await env.store.households(communes: filter.communes) {
            let ref = UnitRef(stored: household.placement)
            guard env.reaches(session, input.name, .unit(ref)),
                filter.matches(household.placement, env.units), filter.counts(household, env.units),
                village.map({ NameFolding.fold(household.village) == $0 }) ?? true
            else { continue }
            if let classes {
                guard let assessment = classes[household.id] else { continue }
                household.classification = assessment.classification
                household.classYear = assessment.year
            }
            if let wanted, household.classification != wanted { continue }
            let identity = viewer.seesIdentity(household.placement)
            if let query, !(identity && NameFolding.fold(household.head).contains(query)) { continue }
            found.append((household, identity))
        }
        func number(_ id: String) -> Int { Int(id.dropFirst(3)) ?? 0 }
        found.sort { a, b in
            let (x, y) = (a.household, b.household)
            if x.commune != y.commune { return x.commune < y.commune }
            let (vx, vy) = (NameFolding.fold(x.village), NameFolding.fold(y.village))
            if vx != vy { return vx < vy }
            return number(x.id) < number(y.id)
        }
        let (limit, offset) = Paging.window(input)
        let sent = Array(found.dropFirst(offset).prefix(limit))
        try await auditReads(sent.filter(\.identity).map(\.household.id), env, session, input)
        let records = Paging.page(found, input) { record($0.household, identity: $0.identity) }
        return .ok(Paging.summary(records, "households"), records)
    }

    static func show(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let household = try await target(input, env, session)
        let identity = try await viewer(env, session, input).seesIdentity(household.placement)
        var records = [record(household, identity: identity)]
        if let mark = try await env.store.householdImportMark(household: household.id) {
            // Where it came from, as CASE SHOW says it of an imported case (the successor is the household's own).
            records[0] = Record("HOUSEHOLD", records[0].fields + mark.fields)
        }
        records += try await env.store.householdMembers(household: household.id).map {
            personRecord($0, identity: identity)
        }
        records += try await env.store.assessments(household: household.id).map(assessmentRecord)
        if identity { try await auditReads([household.id], env, session, input) }
        return .ok("", records)
    }

    static func update(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let old = try await target(input, env, session)
        try requireRevision(input, old)
        let viewer = try await viewer(env, session, input)
        try requireWriter(viewer, old.placement)
        try requireText(input[head], "head's name")
        try requireText(input[village], "village")
        try requireBirth(input[birth], env)
        try requireIDNumber(input[idNumber])
        var household = old
        household.head = input[head] ?? old.head
        household.gender = input[gender] ?? old.gender
        household.birth = input[birth] ?? old.birth
        // `ethnicity=""` clears it.
        household.ethnicity = try input[ethnicity].map { $0.isEmpty ? nil : try ethnicGroup($0).name } ?? old.ethnicity
        household.idNumber = input[idNumber] ?? old.idNumber
        household.village = input[village] ?? old.village
        household.area = input[area] ?? old.area
        var changes = ChangeList()
        changes.note("head", old.head, household.head)
        changes.note("gender", old.gender.rawValue, household.gender.rawValue)
        changes.note("birth", old.birth, household.birth)
        changes.note("ethnicity", old.ethnicity, household.ethnicity)
        changes.note("id-number", old.idNumber, household.idNumber)
        changes.note("village", old.village, household.village)
        changes.note("area", old.area.rawValue, household.area.rawValue)
        guard !changes.isEmpty else { throw DomainError(.invalid, "nothing to change") }
        if household.idNumber != old.idNumber {
            try await duplicate(household.idNumber, except: old.id, viewer, env)
        }
        let saved = try await guardingDuplicate(viewer, env) {
            try await env.store.saveHousehold(
                household, expectedRevision: old.revision,
                audit: AuditEntry(
                    actor: session.actor, command: input.name, entity: "household:\(old.id)", change: changes.text))
        }
        return .ok("household \(saved.id) updated", [record(saved, identity: true)])
    }

    static func addMember(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let claim = Idempotency.claim(input, session)
        if let id = try await Idempotency.earlier(claim, kind: "person", env: env),
            let member = try await env.store.householdMember(id: id),
            let household = try await env.store.household(id: member.household)
        {
            let identity = try await viewer(env, session, input).seesIdentity(household.placement)
            if identity { try await auditReads([household.id], env, session, input) }
            return Reply(
                responses: [
                    .record(personRecord(member, identity: identity)), .record(record(household, identity: identity)),
                ],
                text: "member \(member.id) was added earlier with this key", code: "REPLAYED")
        }
        let old = try await target(input, env, session)
        try requireRevision(input, old)
        let viewer = try await viewer(env, session, input)
        try requireWriter(viewer, old.placement)
        let name = try input[name]
        let relation = try input[relation]
        try requireText(name, "member's name")
        try requireText(relation, "relation")
        guard RelationToHead.parse(relation) != nil else {
            throw DomainError(
                .invalid,
                "relation \(relation) is not one the forms use (vợ, chồng, con, cháu, bố, mẹ, anh, chị, em …, or other: …)"
            )
        }
        try requireBirth(input[birth], env)
        try requireIDNumber(input[idNumber])
        let group = try input[ethnicity].flatMap { $0.isEmpty ? nil : try ethnicGroup($0) }
        try await duplicate(input[idNumber], except: nil, viewer, env)
        let member = HouseholdMember(
            household: old.id, name: name,
            gender: try input[gender.required], birth: try input[birth.required],
            relation: relation, idNumber: input[idNumber], ethnicity: group?.name, disability: input[disability],
            socialAllowance: input[socialAllowance] ?? false, merit: input[merit] ?? false)
        let (added, household) = try await guardingDuplicate(viewer, env) {
            try await env.store.addHouseholdMember(
                member, expectedRevision: old.revision, claim: claim,
                audit: AuditEntry(
                    actor: session.actor, command: input.name, entity: "household:\(old.id)",
                    change:
                        "member added: P-? gender=\(member.gender.rawValue); name: \(name); birth: \(member.birth); relation: \(relation)"
                        + (member.idNumber.map { "; id-number: \($0)" } ?? "")
                        + (member.ethnicity.map { "; ethnicity=\($0)" } ?? "")
                        + (member.disability.map { "; disability=\($0.rawValue)" } ?? "")
                        + (member.socialAllowance ? "; social-allowance=yes" : "") + (member.merit ? "; merit=yes" : "")
                ))
        }
        return .ok(
            "member \(added.id) added to \(household.id)",
            [personRecord(added, identity: true), record(household, identity: true)])
    }

    static func removeMember(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput)
        async throws
        -> Reply
    {
        let old = try await target(input, env, session)
        let id = try input[member]
        guard let member = try await env.store.householdMember(id: id), member.household == old.id, !member.removed
        else { throw DomainError(.notFound, "\(id) is not a current member of \(old.id)") }
        try requireRevision(input, old)
        try requireWriter(try await viewer(env, session, input), old.placement)
        var change = "member removed: \(member.id); name: \(member.name)"
        if let reason = input[Common.reason] { change += "; reason: \(reason)" }
        let household = try await env.store.removeHouseholdMember(
            household: old.id, member: member.id, reason: input[Common.reason], expectedRevision: old.revision,
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "household:\(old.id)", change: change))
        return .ok("member \(member.id) removed from \(household.id)", [record(household, identity: true)])
    }

    static func assess(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let old = try await target(input, env, session)
        try requireRevision(input, old)
        try requireWriter(try await viewer(env, session, input), old.placement)
        let year = try input[year.required]
        let thisYear = Int(env.today().prefix(4))!
        guard year <= thisYear else { throw DomainError(.invalid, "\(year) is after the current year \(thisYear)") }
        let standard: PovertyStandard
        if let name = input[Self.standard] {
            guard let named = PovertyStandard.named(name), named.years.contains(year) else {
                throw DomainError(.invalid, "\(year) lies outside the period of standard \(name)")
            }
            standard = named
        } else {
            guard let covering = PovertyStandard.covering(year) else {
                let known = PovertyStandard.all.map(\.name).joined(separator: ", ")
                throw DomainError(.invalid, "no poverty standard covers \(year) (this server knows \(known))")
            }
            standard = covering
        }
        let deprived = input[deprived] ?? []
        // Each standard measures its own indicators (NĐ 351 drops one of NĐ 07's and adds two).
        let foreign = deprived.filter { !standard.indicators.contains($0) }
        guard foreign.isEmpty else {
            throw DomainError(
                .invalid,
                "standard \(standard.name) has no indicator "
                    + foreign.map(\.rawValue).joined(separator: ", "))
        }
        let earlier = try await env.store.assessments(household: old.id)
        let assessment = Assessment.compute(
            household: old, year: year, income: try input[income], deprived: deprived,
            standard: standard, previous: earlier.first { $0.year == year - 1 }?.classification,
            by: try session.requireUser().login)
        var change =
            "assessed \(year): standard=\(standard.name) income=\(assessment.income) area=\(assessment.area.rawValue)"
            + " income-line=\(assessment.incomeLine) deprivations=\(assessment.deprived.count)"
        if !assessment.deprived.isEmpty {
            change += " deprived=\(assessment.deprived.map(\.rawValue).joined(separator: ","))"
        }
        change += " class=\(assessment.classification.rawValue)"
        if let previous = assessment.previous { change += " previous-class=\(previous.rawValue)" }
        if let replaced = earlier.first(where: { $0.year == year }) {
            change +=
                "; replaces: income=\(replaced.income) deprivations=\(replaced.deprived.count)"
                + " class=\(replaced.classification.rawValue) by=\(replaced.by)"
        }
        let (stored, household) = try await env.store.recordAssessment(
            assessment, expectedRevision: old.revision,
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "household:\(old.id)", change: change))
        return .ok(
            "\(household.id) is \(stored.classification.rawValue) in \(year) (standard \(stored.standard))",
            [assessmentRecord(stored), record(household, identity: true)])
    }
}
