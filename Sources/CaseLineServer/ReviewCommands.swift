import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// The annual poor / near-poor household review (CLP1.md §10.11): a campaign per commune and year (periodic)
/// or per month's requests (ad-hoc), run step by step as QĐ 24/2021/QĐ-TTg orders it. Every step is one
/// command; each handler turns its typed input into a `ReviewInput`, asks `ReviewCampaignMachine` (the
/// order, the 50 % rule, the posting period, who may act, the freeze — all decided there, tested without
/// I/O), and stores what the machine answers. No handler changes a campaign itself.
enum ReviewCommands {
    static let campaign = Param.id("campaign").required
    static let kind = Param<CampaignKind>.choice("kind")
    static let year = Param.number("year", 2000...2100)
    static let stage = Param<CampaignStage>.choice("stage")
    static let household = Param.id("household").required
    static let optionalHousehold = Param.id("household")
    static let households = Param.list("households", of: .identifier, max: 500)
    static let reference = Param.text("reference", max: 200).required
    static let adopted = Param.date("adopted").required
    static let reviewers = Param.text("reviewers", max: 4000).required
    static let committee = Param.list("committee", of: .identifier, max: 50)
    static let basis = Param.choice("basis", words: ["poor", "near-poor", "mau-01", "mau-04"]).required
    static let received = Param.date("received")
    static let phieuA = Param<PhieuAOutcome>.choice("phieu-a")
    static let scoreA = Param.number("score-a", 0...1000)
    static let scoreB = Param.number("score-b", 0...200)
    static let deprived = Param.list("deprived", of: .identifier, max: 20)
    static let income = Param.amount("income")
    static let livelihood = Param<[Livelihood]>.list("livelihood", of: Livelihood.self, max: 4)
    static let area = Param<SettlementArea>.choice("area")
    static let areaReason = Param.text("area-reason", max: 500)
    static let village = Param.text("village", max: 100).required
    static let held = Param.date("held").required
    static let attendees = Param.number("attendees", 1...100_000).required
    static let agreeing = Param.number("agreeing", 0...100_000).required
    static let byHousehold = Param.text("by-household", max: 4000)
    static let minutes = Param.text("minutes", max: 200).required
    static let summary = Param.text("summary", max: 2000).required
    static let complaint = Param.id("complaint").required
    static let answer = Param.text("answer", max: 2000).required
    static let date = Param.date("date").required
    static let agrees = Param.boolean("agrees").required
    static let note = Param.text("note", max: 2000)
    static let number = Param.text("number", max: 64).required
    static let reasons = Param.text("reasons", max: 2000).required
    static let from = Param.number("from", 2000...2100).required
    static let to = Param.number("to", 2000...2100).required
    static let file = Param.text("file", max: 1_000_000).required
    static let source = Param.text("source", max: 200)
    static let dryRun = Param.boolean("dry-run")

    /// Everyone who may write or decide work; which of them may give a step is the machine's question.
    static let actors: CommandDefinition.Access = .roles(Common.deciders)

    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "REVIEW OPEN", group: .households,
            summary: "Open a commune's periodic review of the year, or an ad-hoc review of this month's requests.",
            options: [Common.commune.required, kind, Common.key], access: .roles([.officer, .staff]),
            who: "the commune's review committee: household writers for the commune.", handler: open),
        CommandDefinition(
            "REVIEW LIST", group: .households, summary: "List review campaigns, by commune, year and stage.",
            options: [Common.commune, Common.province, Common.district, year, kind, stage], access: .authenticated,
            who: "any authenticated role, within its scope.", handler: list),
        CommandDefinition(
            "REVIEW SHOW", group: .households,
            summary: "A campaign with its households, meetings, complaints and certificates.", positionals: [campaign],
            access: .authenticated, who: "any authenticated role whose scope contains the commune.", handler: show),
        step(
            "REVIEW PLAN", "Adopt the review plan: its reference, reviewers by village, the committee.",
            [reference, adopted, reviewers, committee], who: "the commune's review committee.", plan),
        step(
            "REVIEW ADD", "List a household: current poor / near-poor, or a request (Mẫu 01, Mẫu 04).",
            [household, basis, received], who: "the commune's review committee.", add),
        step(
            "REVIEW SURVEY", "Record Phiếu A / Phiếu B for a household; the server classifies it.",
            [household, phieuA, scoreA, scoreB, deprived, income, livelihood, area, areaReason],
            who: "the commune's review committee, or a reviewer of the household's village.", survey),
        step(
            "REVIEW MEETING", "Record a village meeting: attendance, agreement, minutes.",
            [village, held, attendees, agreeing, byHousehold, minutes], who: "the commune's review committee.",
            meeting),
        step(
            "REVIEW POST", "Post the results publicly for the standard's working days.", [],
            who: "the commune's review committee.", { _, _, _, _ in .openPosting }),
        step(
            "REVIEW COMPLAINT", "Record a complaint about the posted results.",
            [optionalHousehold, received, summary], who: "the commune's review committee.", complaintInput),
        step(
            "REVIEW ANSWER", "Answer a complaint after re-checking.", [complaint, answer],
            who: "the commune's review committee.", answerInput),
        step(
            "REVIEW CLOSE-POSTING", "Close the posting after its period, every complaint answered.", [],
            who: "the commune's review committee.", { _, _, _, _ in .closePosting }),
        step(
            "REVIEW OPINION", "Record the higher level's opinion (the province chairman since 1 July 2025).",
            [reference, date, agrees, note], who: "the holder of the higher level chairman's office.", opinion),
        step(
            "REVIEW DECIDE", "The commune chairman's decision recognising the lists; freezes the campaign.",
            [number, date], who: "the holder of the commune chairman's office.", decide),
        step(
            "REVIEW REFUSE", "Refuse an ad-hoc request in writing, with reasons.",
            [household, reference, date, reasons], who: "the holder of the commune chairman's office.", refuse),
        step(
            "REVIEW CERTIFY", "Issue certificates (Mẫu 03) to the decided poor and near-poor households.",
            [households], who: "the holder of the commune chairman's office.", certify),
        CommandDefinition(
            "REVIEW IMPORT", group: .households,
            summary: "Import reviewers' survey sheets (households, members, Phiếu B) into a campaign, all or nothing.",
            positionals: [campaign], options: [file, source, dryRun, Common.requiredRev],
            access: .roles([.officer, .staff]),
            who: "the commune's review committee: household writers for the commune.", handler: importSheet),
        CommandDefinition(
            "REVIEW ASSESSMENTS", group: .households,
            summary: "Decided assessments of a commune or household, with the one in force for each list year.",
            options: [
                Common.commune, Common.province, Common.district, optionalHousehold, year, Common.limit, Common.offset,
            ], access: .authenticated,
            who: "any authenticated role, within its scope.", handler: assessments),
        CommandDefinition(
            "REVIEW FLOWS", group: .households,
            summary: "Escaped, newly poor / near-poor and fell back between two list years, households and persons.",
            options: [Common.commune, Common.province, Common.district, from, to], access: .authenticated,
            who: "any authenticated role, within its scope.", handler: flows),
    ]

    /// A step of the procedure: `REVIEW … <campaign> [options] rev=N`, its input built by `build`.
    static func step(
        _ name: String, _ summary: String, _ options: [any ParameterDeclaration], who: String,
        _ build: @escaping InputBuilder
    ) -> CommandDefinition {
        CommandDefinition(
            name, group: .households, summary: summary, positionals: [campaign],
            options: options + [Common.requiredRev], access: actors, who: who,
            handler: { env, session, input in try await apply(env, session, input, build) })
    }

    typealias InputBuilder =
        @Sendable (ServerEnvironment, SessionState, CommandInput, ReviewCampaign) async throws
        -> ReviewInput

    // MARK: Who the caller is to a campaign

    /// The caller as the machine sees them: offices held, the communes whose review committee they are on
    /// (household writers, or named on the plan's committee), the villages they review (the plan's reviewers;
    /// for an ad-hoc campaign, the reviewers of the commune's latest planned periodic campaign).
    static func actor(
        _ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput, _ campaign: ReviewCampaign
    )
        async throws -> ReviewActor
    {
        let viewer = try await HouseholdCommands.viewer(env, session, input)
        let login = viewer.user.login
        var plan = campaign.plan
        if plan == nil {
            plan = try await env.store.reviewCampaigns(communes: [campaign.commune], reviewYear: nil)
                .filter { $0.kind == .periodic && $0.plan != nil }.last?.plan
        }
        var committee: Set<String> = []
        if viewer.mayWrite(campaign.commune) || (plan?.committee.contains(login) ?? false) {
            committee.insert(campaign.commune)
        }
        let scopes = (plan?.reviewers ?? []).filter { $0.login == login }.map {
            ReviewerScope(commune: campaign.commune, village: $0.village)
        }
        let offices = try await env.store.officeHoldings(unit: nil, login: login)
        return ReviewActor(login: login, offices: offices, committeeCommunes: committee, reviewerScopes: scopes)
    }

    static func machine(_ env: ServerEnvironment, _ campaign: ReviewCampaign) throws -> ReviewCampaignMachine {
        let review = env.configuration.review
        guard let standard = review.catalog.standard(id: campaign.standardID),
            standard.revision == campaign.standardRevision
        else {
            throw DomainError(
                .internalError,
                "\(campaign.name) runs under \(campaign.standardID) r\(campaign.standardRevision), which this server "
                    + "does not have")
        }
        return ReviewCampaignMachine(standard: standard, calendar: review.calendar)
    }

    static func today(_ env: ServerEnvironment) throws -> CivilDate {
        guard let day = CivilDate(env.today()) else { throw DomainError(.internalError, "today is not a date") }
        return day
    }

    /// The campaign, which must exist and lie in the caller's scope (`NOT-FOUND` outside it, as for tasks).
    static func target(_ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput) async throws
        -> ReviewCampaign
    {
        let id = try input[campaign]
        guard let found = try await env.store.reviewCampaign(id: id),
            env.reaches(session, input.name, .unit(UnitRef(stored: found.commune)))
        else { throw DomainError(.notFound, "no review campaign \(id)") }
        return found
    }

    // MARK: Events and audit

    static func audit(
        _ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput, _ step: ReviewStep
    ) -> AuditEntry {
        let campaign = step.campaign
        let place = env.eventPlace(commune: campaign.commune)
        let drafts = ReviewEventDrafts.drafts(step, province: place.province, actor: session.user?.login)
        return AuditEntry(
            actor: session.actor, command: input.name, entity: "review:\(campaign.id)",
            change: step.audit, events: drafts)
    }

    // MARK: Handlers

    static func open(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let unit = try env.currentUnit(try input[Common.commune.required], levels: [.commune])
        try env.requireReach(session, input.name, .unit(unit.ref))
        let kind = input[kind] ?? .periodic
        let today = try today(env)
        let placeholder = ReviewCampaign(
            id: "", kind: kind, commune: unit.ref.code, higherLevelUnits: HigherLevelUnits(province: nil),
            reviewYear: today.year, listYear: today.year, standardID: "", standardRevision: 0, stage: .plan,
            opened: today, reviewStart: today, decisionDue: today)
        var opener = try await actor(env, session, input, placeholder)
        // Opening is the household writers' alone (the spec's rule): an earlier plan's committee members
        // act in that campaign, not in the next one.
        let writes = try await HouseholdCommands.viewer(env, session, input).mayWrite(unit.ref.code)
        opener.committeeCommunes = writes ? [unit.ref.code] : []
        let actor = opener
        let higher = HigherLevelUnits(province: unit.province)
        let catalog = env.configuration.review.catalog
        let claim = Idempotency.claim(input, session)
        if let id = try await Idempotency.earlier(claim, kind: "review", env: env),
            let earlier = try await env.store.reviewCampaign(id: id)
        {
            return Reply(
                responses: [.record(record(earlier, env))], text: "\(earlier.id) was opened earlier with this key",
                code: "REPLAYED")
        }
        let sessionCopy = session
        let opened = try await env.store.openReviewCampaign(claim: claim) { id -> ReviewOpening in
            let step = try ReviewCampaignMachine.open(
                id: id, kind: kind, commune: unit.ref.code, higherLevelUnits: higher, catalog: catalog, by: actor,
                on: today
            ).get()
            return ReviewOpening(step: step, audit: audit(env, sessionCopy, input, step))
        }
        return .ok("opened \(opened.id)", [record(opened, env)])
    }

    static func apply(
        _ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput, _ build: InputBuilder
    ) async throws -> Reply {
        let campaign = try await target(env, session, input)
        let expected = try input[Common.requiredRev]
        guard expected == Int64(campaign.revision) else {
            throw DomainError(
                .conflict, "\(campaign.name) is at revision \(campaign.revision), not \(expected)",
                details: [("current", String(campaign.revision))])
        }
        let machine = try machine(env, campaign)
        let actor = try await actor(env, session, input, campaign)
        let reviewInput = try await build(env, session, input, campaign)
        let step = try machine.apply(reviewInput, to: campaign, by: actor, on: try today(env)).get()
        let saved = try await env.store.saveReviewCampaign(
            step, expectedRevision: campaign.revision, audit: audit(env, session, input, step))
        var records = [record(saved, env)]
        for effect in step.effects {
            if case .issueCertificate(let certificate) = effect { records.append(certificateRecord(certificate)) }
        }
        return .ok("\(saved.id) at \(saved.stage.rawValue), revision \(saved.revision)", records)
    }

    static func plan(_ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput, _ c: ReviewCampaign)
        async throws -> ReviewInput
    {
        var planned: [PlannedReviewer] = []
        // `login:village,login:village` — a village name may hold spaces and Vietnamese letters, never `:` or `,`.
        for item in try input[reviewers].split(separator: ",") {
            let parts = item.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw DomainError(.invalid, "reviewers= takes login:village,… (\(item) is not one)")
            }
            guard try await env.store.user(login: parts[0]) != nil else {
                throw DomainError(.notFound, "no user \(parts[0]) (reviewers=)")
            }
            planned.append(PlannedReviewer(login: parts[0], village: parts[1]))
        }
        for login in input[committee] ?? [] where try await env.store.user(login: login) == nil {
            throw DomainError(.notFound, "no user \(login) (committee=)")
        }
        guard let adoptedDay = CivilDate(try input[adopted]) else { throw DomainError(.invalid, "adopted= is no date") }
        return .plan(
            ReviewPlan(
                reference: try input[reference], adopted: adoptedDay, committee: input[committee] ?? [],
                reviewers: planned, schedule: []))
    }

    static func add(_ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput, _ c: ReviewCampaign)
        async throws -> ReviewInput
    {
        let id = try input[household]
        guard let found = try await env.store.household(id: id) else {
            throw DomainError(.notFound, "no household \(id)")
        }
        guard sameCommune(found.commune, c.commune, env) else {
            throw DomainError(.invalid, "household \(id) is of commune \(found.commune), not \(c.commune)")
        }
        let basis: ListingBasis
        switch try input[Self.basis] {
        case "poor": basis = .currentList(.poor)
        case "near-poor": basis = .currentList(.nearPoor)
        case let form:
            guard let day = input[received].flatMap(CivilDate.init) else {
                throw DomainError(.invalid, "a request (\(form)) needs received=YYYY-MM-DD")
            }
            basis = .request(form == "mau-01" ? .mau01 : .mau04, received: day)
        }
        return .listHousehold(id: id, village: found.village, basis: basis)
    }

    /// A household filed under a legacy commune belongs to its successor's campaign.
    static func sameCommune(_ stored: String, _ commune: String, _ env: ServerEnvironment) -> Bool {
        stored == commune || env.units.current(UnitRef(stored: stored))?.ref.code == commune
    }

    static func survey(_ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput, _ c: ReviewCampaign)
        async throws -> ReviewInput
    {
        let id = try input[household]
        guard let found = try await env.store.household(id: id) else {
            throw DomainError(.notFound, "no household \(id)")
        }
        guard let unit = env.units.unit(UnitRef(stored: found.commune)) else {
            throw DomainError(.internalError, "household \(id) lies in unknown unit \(found.commune)")
        }
        var override: AreaOverride?
        if let area = input[area] {
            guard let reason = input[areaReason], !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw DomainError(.invalid, "area= overrides the unit's area: give area-reason= (it is audited)")
            }
            override = AreaOverride(
                area: area, by: try session.requireUser().login, on: try today(env), reference: input.tag,
                reason: reason)
        } else if input[areaReason] != nil {
            throw DomainError(.invalid, "area-reason= goes with area=")
        }
        let derived = try AreaDerivation.derive(
            unitType: unit.type, unitCode: unit.ref.code, configuration: env.configuration.review.area,
            override: override
        ).get()
        let figures = SurveyFigures(
            phieuA: input[phieuA], scoreA: input[scoreA], scoreB: input[scoreB], deprived: input[deprived] ?? [],
            income: input[income], livelihoods: input[livelihood] ?? [])
        return .recordSurvey(household: id, figures: figures, area: derived)
    }

    static func meeting(_ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput, _ c: ReviewCampaign)
        async throws -> ReviewInput
    {
        var perHousehold: [String: Int] = [:]
        // `HH-3:12,HH-7:40`: where the minutes count a household's vote apart.
        for item in (input[byHousehold] ?? "").split(separator: ",") {
            let parts = item.split(separator: ":")
            guard parts.count == 2, let count = Int(parts[1]), count >= 0 else {
                throw DomainError(.invalid, "by-household= takes HH-n:count,… (\(item) is not one)")
            }
            perHousehold[String(parts[0])] = count
        }
        guard let heldDay = CivilDate(try input[held]) else { throw DomainError(.invalid, "held= is no date") }
        return .recordMeeting(
            VillageMeeting(
                village: try input[village], held: heldDay, attendees: try input[attendees],
                agreeing: try input[agreeing], agreeingByHousehold: perHousehold, minutes: try input[minutes]))
    }

    static func complaintInput(
        _ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput, _ c: ReviewCampaign
    ) async throws -> ReviewInput {
        let day = try input[received].flatMap(CivilDate.init) ?? today(env)
        return .recordComplaint(household: input[optionalHousehold], received: day, summary: try input[summary])
    }

    static func answerInput(
        _ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput, _ c: ReviewCampaign
    ) async throws -> ReviewInput {
        .answerComplaint(id: try input[complaint], answer: try input[answer])
    }

    static func opinion(_ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput, _ c: ReviewCampaign)
        async throws -> ReviewInput
    {
        guard let day = CivilDate(try input[date]) else { throw DomainError(.invalid, "date= is no date") }
        return .recordOpinion(
            reference: try input[reference], date: day, agrees: try input[agrees], note: input[note] ?? "")
    }

    static func decide(_ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput, _ c: ReviewCampaign)
        async throws -> ReviewInput
    {
        guard let day = CivilDate(try input[date]) else { throw DomainError(.invalid, "date= is no date") }
        return .decide(number: try input[number], date: day)
    }

    static func refuse(_ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput, _ c: ReviewCampaign)
        async throws -> ReviewInput
    {
        guard let day = CivilDate(try input[date]) else { throw DomainError(.invalid, "date= is no date") }
        return .refuseRequest(
            household: try input[household], reference: try input[reference], date: day, reasons: try input[reasons])
    }

    /// Numbers continue the commune's sequence for this year of issue, which only the store knows; two
    /// issuers racing for the same numbers are kept apart by the store (one gets `ALREADY-EXISTS`).
    static func certify(_ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput, _ c: ReviewCampaign)
        async throws -> ReviewInput
    {
        let next = try await env.store.nextCertificateSequence(commune: c.commune, year: try today(env).year)
        return .issueCertificates(households: input[households], nextNumber: next)
    }

    /// The sheet arrives as a literal (`file={n}`); the caller must be a household writer for the commune (the
    /// import creates households) and a committee member for the campaign (the machine checks the listing).
    static func importSheet(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput)
        async throws -> Reply
    {
        let found = try await target(env, session, input)
        let viewer = try await HouseholdCommands.viewer(env, session, input)
        guard viewer.mayWrite(found.commune) else {
            throw DomainError(.forbidden, "only household writers for commune \(found.commune) import its households")
        }
        let actor = try await actor(env, session, input, found)
        let report: SurveyImporter.Report
        do {
            report = try await SurveyImporter.run(
                Array(try input[file].utf8), source: input[source] ?? "a sheet sent by \(actor.login)",
                campaign: found.id, expectedRevision: Int(try input[Common.requiredRev]),
                dryRun: input[dryRun] ?? false,
                by: .init(actor: actor, audit: session.actor, command: input.name), store: env.store, units: env.units,
                review: env.configuration.review, today: try today(env))
        } catch let error as DomainError where error.code == .alreadyExists {
            // An ID number someone already has: the other household is named only to a caller who may read it,
            // as HOUSEHOLD CREATE does — an import must not be a way to look up whose a CCCD is.
            let lines = error.message.components(separatedBy: "): ").first.map { $0 + "): " } ?? ""
            guard let id = error.details.first(where: { $0.0 == "household" })?.1,
                let other = try await env.store.household(id: id)
            else { throw DomainError(.alreadyExists, lines + "a person of a household already has this ID number") }
            let named = HouseholdCommands.alreadyExists(other.id, other.placement, viewer)
            throw DomainError(.alreadyExists, lines + named.message, details: named.details)
        }
        var records = [importRecord(report)]
        // The first 100 warnings; the IMPORT record counts them all.
        records += report.warnings.prefix(100).map { warning in
            Record(
                "IMPORT-WARNING",
                [Field("line", String(warning.line)), Field("column", String(warning.column))]
                    + (warning.field.map { [Field("field", $0)] } ?? []) + [Field("message", warning.message)])
        }
        // A dry run keeps nothing: the campaign it would make is not shown as if it were stored.
        if let campaign = report.outcome.campaign, !report.dryRun { records.append(record(campaign, env)) }
        let verb = report.dryRun ? "would import" : "imported"
        return .ok(
            "\(verb) \(report.households) households (\(report.outcome.created.count) new) into \(found.id)", records)
    }

    static func importRecord(_ report: SurveyImporter.Report) -> Record {
        Record(
            "IMPORT",
            [
                Field("households", String(report.households)), Field("created", String(report.outcome.created.count)),
                Field("unchanged", String(report.outcome.unchanged.count)),
                Field("members", String(report.outcome.members)), Field("listed", String(report.listed)),
                Field("surveyed", String(report.surveyed)), Field("warnings", String(report.warnings.count)),
                Field("dry-run", report.dryRun ? "yes" : "no"),
            ])
    }

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let filter = try env.listFilter(input, session)
        var campaigns = try await env.store.reviewCampaigns(communes: filter.communes, reviewYear: input[year])
        campaigns = campaigns.filter { campaign in
            let ref = UnitRef(stored: campaign.commune)
            guard env.reaches(session, input.name, .unit(ref)) else { return false }
            if let province = filter.province, env.units.current(ref)?.province != province { return false }
            if let kind = input[kind], campaign.kind != kind { return false }
            if let stage = input[stage], campaign.stage != stage { return false }
            return true
        }
        return .ok("\(campaigns.count) review campaigns", campaigns.map { record($0, env) })
    }

    static func show(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let found = try await target(env, session, input)
        var records = [record(found, env)]
        records += found.orderedHouseholds.map { householdRecord($0, found) }
        records += found.meetings.map { meetingRecord($0, found) }
        records += found.complaints.map { complaintRecord($0, found) }
        records += try await env.store.povertyCertificates(campaign: found.id, household: nil).map(certificateRecord)
        return .ok("\(found.name): \(found.households.count) households", records)
    }

    static func assessments(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput)
        async throws -> Reply
    {
        let communes = try reviewCommunes(env, session, input)
        let householdID = input[optionalHousehold]
        guard communes != nil || householdID != nil else {
            throw DomainError(.invalid, "name commune=, district=, province= or household=")
        }
        if let householdID {
            guard let found = try await env.store.household(id: householdID),
                env.reaches(session, input.name, .unit(UnitRef(stored: found.commune)))
            else { throw DomainError(.notFound, "no household \(householdID)") }
        }
        var rows: [ReviewAssessment] = []
        for commune in communes.map({ $0.sorted().map(Optional.some) }) ?? [nil] {
            rows += try await env.store.reviewAssessments(
                commune: commune, household: householdID, listYear: input[year])
        }
        let inForce = Set(
            Dictionary(grouping: rows, by: \.listYear).flatMap { year, group in
                EffectiveList.resolve(group, listYear: year).values.map { "\($0.household) \($0.campaign)" }
            })
        rows.sort {
            ($0.listYear, $0.decision.date, $0.household.count, $0.household) < (
                $1.listYear, $1.decision.date, $1.household.count, $1.household
            )
        }
        let records = Paging.page(rows, input) {
            assessmentRecord($0, inForce: inForce.contains("\($0.household) \($0.campaign)"))
        }
        return .ok(Paging.summary(records, "assessments"), records)
    }

    /// The communes (as records store them) a review read covers: a commune with its legacy predecessors, a
    /// legacy district's or province's legacy communes, or a 2025 province's communes with their predecessors —
    /// each in the caller's scope; nil when no unit is named.
    static func reviewCommunes(_ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput) throws
        -> Set<String>?
    {
        let filter = try env.listFilter(input, session)
        guard let province = filter.province else { return filter.communes }
        let ref = UnitRef(.current, province)
        var communes: Set<String> = []
        for unit in env.units.list(UnitDirectory.Filter(edition: .current, province: ref)) where unit.level == .commune
        {
            communes.insert(unit.ref.code)
            for link in env.units.lineage(unit.ref) { communes.insert("legacy:\(link.legacyCode)") }
        }
        return filter.communes.map { $0.intersection(communes) } ?? communes
    }

    static func flows(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        guard let communes = try reviewCommunes(env, session, input) else {
            throw DomainError(.invalid, "name commune=, district= or province=")
        }
        let (first, second) = (try input[from], try input[to])
        var all: [ReviewAssessment] = []
        for commune in communes.sorted() {
            all += try await env.store.reviewAssessments(commune: commune, household: nil, listYear: nil)
        }
        func list(_ year: Int) -> YearList {
            let resolved = EffectiveList.resolve(all, listYear: year)
            return YearList(
                year: year,
                households: resolved.mapValues {
                    ListedHousehold($0.classification, persons: max(1, $0.persons ?? 1))
                })
        }
        var history: [String: [Int: ReviewClass]] = [:]
        for year in Set(all.map(\.listYear)) where year < first {
            for (id, assessment) in EffectiveList.resolve(all, listYear: year) {
                history[id, default: [:]][year] = assessment.classification
            }
        }
        let result = try ListTransitions.derive(previous: list(first), current: list(second), history: history).get()
        let unit = input[Common.commune] ?? input[Common.district] ?? input[Common.province]
        return .ok("flows \(first) → \(second)", [flowsRecord(result, unit: unit?.description ?? "")])
    }

    // MARK: Records

    static func record(_ c: ReviewCampaign, _ env: ServerEnvironment) -> Record {
        let active = c.households.values.filter { $0.state != .refused }
        var fields = [
            Field("id", c.id), Field("kind", c.kind.rawValue), Field("commune", c.commune),
            Field("review-year", String(c.reviewYear)), Field("list-year", String(c.listYear)),
            Field("standard", c.standardID), Field("stage", c.stage.rawValue), Field("opened", c.opened.description),
            Field("review-start", c.reviewStart.description), Field("decision-due", c.decisionDue.description),
            Field("households", String(active.count)),
            Field("surveyed", String(active.filter { $0.survey != nil }.count)),
            Field("complaints-open", String(c.complaints.filter(\.isOpen).count)),
        ]
        if let plan = c.plan { fields.append(Field("plan", plan.reference)) }
        if let posting = c.posting {
            fields.append(Field("posting-from", posting.opened.description))
            fields.append(Field("posting-through", posting.lastDay.description))
        }
        if let opinion = c.opinion {
            fields.append(Field("opinion", opinion.reference))
            fields.append(Field("opinion-agrees", opinion.agrees ? "yes" : "no"))
        }
        if let decision = c.decision {
            fields.append(Field("decision", decision.number))
            fields.append(Field("decision-date", decision.date.description))
            fields.append(Field("decided-by", decision.signature.login))
        }
        fields.append(Field("rev", String(c.revision)))
        return Record("REVIEW", fields)
    }

    static func householdRecord(_ h: CampaignHousehold, _ c: ReviewCampaign) -> Record {
        var fields = [
            Field("campaign", c.id), Field("household", h.id), Field("village", h.village),
            Field("basis", basisWord(h.basis)), Field("state", h.state.rawValue),
            Field("rounds", String(h.surveyRounds)),
        ]
        if let survey = h.survey {
            fields.append(Field("class", survey.classification.result.rawValue))
            fields.append(Field("area", survey.area.area.rawValue))
            if let a = survey.figures.scoreA { fields.append(Field("score-a", String(a))) }
            fields.append(Field("score-b", String(survey.classification.scoreB)))
            if !survey.classification.deprived.isEmpty {
                fields.append(Field("deprived", survey.classification.deprived.joined(separator: ",")))
            }
            fields.append(Field("surveyed-by", survey.by))
        }
        if let certificate = h.certificate { fields.append(Field("certificate", certificate.description)) }
        return Record("REVIEW-HOUSEHOLD", fields)
    }

    static func basisWord(_ basis: ListingBasis) -> String {
        switch basis {
        case .currentList(let c): c.rawValue
        case .request(let form, _): form.rawValue
        case .imported: "imported"
        }
    }

    static func meetingRecord(_ m: VillageMeeting, _ c: ReviewCampaign) -> Record {
        Record(
            "REVIEW-MEETING",
            [
                Field("campaign", c.id), Field("village", m.village), Field("held", m.held.description),
                Field("attendees", String(m.attendees)), Field("agreeing", String(m.agreeing)),
                Field("minutes", m.minutes),
            ])
    }

    static func complaintRecord(_ k: Complaint, _ c: ReviewCampaign) -> Record {
        var fields = [Field("campaign", c.id), Field("id", k.id)]
        if let household = k.household { fields.append(Field("household", household)) }
        fields += [Field("received", k.received.description), Field("summary", k.summary)]
        if let answer = k.answer, let answered = k.answered {
            fields += [Field("answered", answered.description), Field("answer", answer)]
        }
        return Record("REVIEW-COMPLAINT", fields)
    }

    static func certificateRecord(_ c: PovertyCertificate) -> Record {
        Record(
            "CERTIFICATE",
            [
                Field("number", c.number.description), Field("household", c.household),
                Field("class", c.classification.rawValue), Field("list-year", String(c.listYear)),
                Field("campaign", c.campaign), Field("commune", c.commune), Field("issued", c.issued.description),
                Field("signed-by", c.signature.login),
            ])
    }

    static func assessmentRecord(_ a: ReviewAssessment, inForce: Bool) -> Record {
        var fields = [
            Field("household", a.household), Field("campaign", a.campaign), Field("kind", a.kind.rawValue),
            Field("review-year", String(a.reviewYear)), Field("list-year", String(a.listYear)),
            Field("commune", a.commune), Field("village", a.village), Field("class", a.classification.rawValue),
            Field("standard", a.survey.classification.standardID), Field("area", a.survey.area.area.rawValue),
        ]
        if let score = a.survey.figures.scoreA { fields.append(Field("score-a", String(score))) }
        fields.append(Field("score-b", String(a.survey.classification.scoreB)))
        if !a.survey.classification.deprived.isEmpty {
            fields.append(Field("deprived", a.survey.classification.deprived.joined(separator: ",")))
        }
        if let persons = a.persons { fields.append(Field("persons", String(persons))) }
        fields += [
            Field("decision", a.decision.number), Field("decision-date", a.decision.date.description),
            Field("in-force", inForce ? "yes" : "no"),
        ]
        return Record("REVIEW-ASSESSMENT", fields)
    }

    static func flowsRecord(_ t: ListTransitions, unit: String) -> Record {
        func tally(_ name: String, _ value: Tally) -> [Field] {
            [Field(name, String(value.count)), Field(name + "-persons", String(value.persons))]
        }
        var fields = [
            Field("unit", unit), Field("from", String(t.previousYear)), Field("to", String(t.currentYear)),
        ]
        fields += tally("poor-start", t.poor.start)
        fields += tally("escaped-poor", t.poor.escaped.total)
        fields += tally("escaped-poor-to-near-poor", t.poor.escaped.toNearPoor)
        fields += tally("newly-poor", t.poor.newly.total)
        fields += tally("fell-back-poor", t.poor.fellBack)
        fields += tally("left-poor", t.poor.left)
        fields += tally("poor-end", t.poor.end)
        fields += tally("near-poor-start", t.nearPoor.start)
        fields += tally("escaped-near-poor", t.nearPoor.escaped)
        fields += tally("near-poor-to-poor", t.nearPoor.toPoor)
        fields += tally("newly-near-poor", t.nearPoor.newly)
        fields += tally("near-poor-from-poor", t.nearPoor.fromPoor)
        fields += tally("fell-back-near-poor", t.nearPoor.fellBack)
        fields += tally("left-near-poor", t.nearPoor.left)
        fields += tally("near-poor-end", t.nearPoor.end)
        fields.append(Field("balanced", t.poor.households.holds && t.nearPoor.households.holds ? "yes" : "no"))
        return Record("FLOWS", fields)
    }
}
