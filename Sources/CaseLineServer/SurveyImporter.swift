public import CaseLineDomain
public import CaseLineStore
import Crypto
public import Foundation

/// Reviewers' survey sheets into a review campaign: households, members and Phiếu B results from one CSV
/// file (format: Tools/samples/survey-import.md), all or nothing. Shared by `REVIEW IMPORT` (the file as a
/// literal) and `caseline-server import households` (a file on the server's disk), so both read, check and
/// write the same way. The sheet is read by `SurveyImport.parse` (every error named by line and column); the
/// households are written by the store in one transaction with the campaign step the machine makes of them:
/// each household not yet on the campaign's list is listed (on its current list when last year's decided list
/// has it poor or near-poor, else as a request, Mẫu 01, received on its survey day), then its survey recorded —
/// unless the campaign already holds exactly that survey, so the same file imported twice changes nothing.
public enum SurveyImporter {
    public struct Report: Sendable {
        public var outcome: HouseholdImportOutcome
        public var households: Int
        public var listed: Int
        public var surveyed: Int
        public var warnings: [SurveyImport.Issue]
        public var dryRun: Bool
    }

    /// Who imports, and how the import is audited.
    public struct Importer: Sendable {
        public var actor: ReviewActor
        public var audit: Actor
        public var command: String

        public init(actor: ReviewActor, audit: Actor, command: String) {
            self.actor = actor
            self.audit = audit
            self.command = command
        }
    }

    /// Today in the server's zone (Vietnam), as the commands count days.
    public static func today(_ now: Date = Date()) -> CivilDate {
        CivilDate(ServerEnvironment.day(now)) ?? CivilDate(year: 2000, month: 1, day: 1)!
    }

    public static func run(
        _ bytes: [UInt8], source: String, campaign id: String, expectedRevision: Int?, dryRun: Bool,
        by importer: Importer, store: any Store, units: UnitDirectory, review: ServerConfiguration.Review,
        today: CivilDate
    ) async throws -> Report {
        guard let campaign = try await store.reviewCampaign(id: id) else {
            throw DomainError(.notFound, "no review campaign \(id)")
        }
        if let expectedRevision, expectedRevision != campaign.revision {
            throw DomainError(
                .conflict, "\(campaign.name) is at revision \(campaign.revision), not \(expectedRevision)",
                details: [("current", String(campaign.revision))])
        }
        guard let standard = review.catalog.standard(id: campaign.standardID) else {
            throw DomainError(.internalError, "\(campaign.name) runs under unknown standard \(campaign.standardID)")
        }
        let parsed: SurveyImport.Parsed
        switch SurveyImport.parse(bytes, standard: standard, today: today) {
        case .success(let value): parsed = value
        case .failure(let failure): throw failure.domainError
        }
        // Every household must be of the campaign's commune (or one of its legacy predecessors).
        var imports: [HouseholdImport] = []
        var areas: [String: AreaDerivation.Derived] = [:]
        var villages: [String: String] = [:]
        var wrong: [String] = []
        for household in parsed.households {
            let ref = UnitRef(stored: household.commune)
            guard var unit = units.unit(ref), units.current(ref)?.ref.code == campaign.commune else {
                wrong.append("line \(household.lines.min() ?? 0): commune \(household.commune)")
                continue
            }
            let existing = household.reference.range(of: #"^HH-[0-9]+$"#, options: .regularExpression) != nil
            villages[household.key] = household.village
            if existing {
                // A household the sheet names by id must be one of this commune's (the caller's scope is the
                // campaign's); its own village and unit count, not the sheet's.
                guard let stored = try await store.household(id: household.reference),
                    units.current(UnitRef(stored: stored.commune))?.ref.code == campaign.commune
                else {
                    wrong.append(
                        "line \(household.lines.min() ?? 0): household \(household.reference) is not one of commune "
                            + campaign.commune)
                    continue
                }
                villages[household.key] = stored.village
                unit = units.unit(UnitRef(stored: stored.commune)) ?? unit
            }
            let derived = try AreaDerivation.derive(
                unitType: unit.type, unitCode: unit.ref.code, configuration: review.area
            ).get()
            areas[household.key] = derived
            let area = derived.area
            let head = household.head
            imports.append(
                HouseholdImport(
                    key: household.key, fingerprint: fingerprint(household),
                    existing: existing ? household.reference : nil,
                    // A new household is the campaign's commune's, whatever edition the sheet wrote it in.
                    household: Household(
                        commune: campaign.commune, village: household.village, area: area == .urban ? .urban : .rural,
                        head: head.name, gender: head.gender == .male ? .male : .female,
                        birth: head.birth.description, ethnicity: head.profile.ethnicity?.name,
                        idNumber: head.profile.idNumber?.description),
                    members: household.members.map { person in
                        HouseholdMember(
                            household: "", name: person.name, gender: person.gender == .male ? .male : .female,
                            birth: person.birth.description, relation: person.profile.relation.label,
                            idNumber: person.profile.idNumber?.description, ethnicity: person.profile.ethnicity?.name,
                            disability: person.profile.disability, socialAllowance: person.profile.socialAllowance,
                            merit: person.profile.merit)
                    }, lines: household.lines))
        }
        guard wrong.isEmpty else {
            throw DomainError(
                .invalid,
                "\(campaign.name) is for commune \(campaign.commune); the file has households of other communes: "
                    + wrong.prefix(20).joined(separator: "; "), details: [("errors", "\(wrong.count)")])
        }
        // Who was on last year's decided list, for the listing basis.
        let previous = EffectiveList.resolve(
            try await store.reviewAssessments(
                commune: campaign.commune, household: nil, listYear: campaign.listYear - 1),
            listYear: campaign.listYear - 1
        ).mapValues(\.classification)
        let machine = ReviewCampaignMachine(standard: standard, calendar: review.calendar)
        let households = parsed.households
        let derivedAreas = areas
        let knownVillages = villages
        let outcome = try await store.importHouseholds(
            imports, campaignRevision: campaign.revision, dryRun: dryRun,
            audit: AuditEntry(
                actor: importer.audit, command: importer.command, entity: "review:\(campaign.id)",
                change:
                    "import of \(source) into \(campaign.name): \(households.count) households, "
                    + "\(households.reduce(0) { $0 + $1.members.count }) members, "
                    + "\(households.filter { $0.survey != nil }.count) surveys"),
            then: { ids in
                ImportSteps(
                    update: try step(
                        campaign, households, ids, areas: derivedAreas, villages: knownVillages, previous: previous,
                        machine: machine, importer: importer, today: today))
            })
        // What the step did, read off the campaign before and after.
        let after = outcome.campaign ?? campaign
        let listed = after.households.keys.filter { campaign.households[$0] == nil }.count
        let surveyed = after.households.values.filter { $0.survey != campaign.households[$0.id]?.survey }.count
        return Report(
            outcome: outcome, households: households.count, listed: listed, surveyed: surveyed,
            warnings: parsed.warnings, dryRun: dryRun)
    }

    /// The campaign step of an import: listing and surveys through the machine, as one change (one revision,
    /// one audit record, the last event of each kind).
    static func step(
        _ campaign: ReviewCampaign, _ households: [SurveyImport.Household], _ ids: [String: String],
        areas: [String: AreaDerivation.Derived], villages: [String: String], previous: [String: ReviewClass],
        machine: ReviewCampaignMachine, importer: Importer, today: CivilDate
    ) throws -> ReviewOpening? {
        // Each household goes through the machine in a campaign holding only itself (the listing and survey
        // rules look at nothing else), and its result is merged into the whole: one step per household would
        // copy and count every household each time, which made 10,000 households quadratic (160 s for 3,000).
        var current = campaign
        var slim = campaign
        slim.households = [:]
        var effects: [ReviewEffect] = []
        var stageEvents: [ReviewEvent] = []
        var audit: [String] = []
        var listed = 0
        var surveyed = 0
        func apply(_ input: ReviewInput, _ id: String, on day: CivilDate) throws {
            slim.households = current.households[id].map { [id: $0] } ?? [:]
            slim.stage = current.stage
            let step = try machine.apply(input, to: slim, by: importer.actor, on: day).get()
            current.stage = step.campaign.stage
            if let household = step.campaign.households[id] { current.households[id] = household }
            effects += step.effects
            stageEvents += step.events.filter { $0.kind == .stage }
            audit.append(step.audit.replacingOccurrences(of: "\(campaign.name): ", with: ""))
        }
        for household in households {
            guard let survey = household.survey, let id = ids[household.key] else { continue }
            let day = survey.surveyedOn
            if current.households[id] == nil {
                let basis: ListingBasis
                if campaign.kind == .periodic, let known = previous[id], known.isPoorOrNearPoor {
                    basis = .currentList(known)
                } else {
                    basis = .request(.mau01, received: day)
                }
                do {
                    let village = villages[household.key] ?? household.village
                    try apply(.listHousehold(id: id, village: village, basis: basis), id, on: max(day, today))
                } catch {
                    throw located(error, household)
                }
                listed += 1
            }
            if current.households[id]?.survey?.figures == survey.figures { continue }
            guard let area = areas[household.key] else { continue }
            do {
                try apply(.recordSurvey(household: id, figures: survey.figures, area: area), id, on: day)
            } catch {
                throw located(error, household)
            }
            surveyed += 1
        }
        guard listed + surveyed > 0 else { return nil }
        current.revision = campaign.revision + 1
        // The counts the listing and survey events carry, once, for the whole campaign.
        let active = current.households.values.filter { $0.state != .refused }
        var events = stageEvents
        let counts = [
            ("listed", "\(active.count)"), ("surveyed", "\(active.filter { $0.survey != nil }.count)"),
        ]
        if listed > 0 {
            events.append(
                ReviewEvent(
                    .listed, commune: campaign.commune,
                    details: [EventDetail("campaign", campaign.id), EventDetail(counts[0].0, counts[0].1)]))
        }
        if surveyed > 0 {
            events.append(
                ReviewEvent(
                    .surveyed, commune: campaign.commune,
                    details: [
                        EventDetail("campaign", campaign.id), EventDetail(counts[1].0, counts[1].1),
                        EventDetail(counts[0].0, counts[0].1),
                    ]))
        }
        let step = ReviewStep(
            campaign: current, effects: effects, events: events,
            audit: "\(campaign.name): imported: " + audit.joined(separator: "; "))
        return ReviewOpening(step: step, audit: auditEntry(step, importer))
    }

    /// What identifies a household's rows as imported: the head's and members' columns, not the survey's, so a
    /// corrected survey (after a failed village meeting, say) imports again into the same household.
    static func fingerprint(_ household: SurveyImport.Household) -> String {
        var text = "\(household.village)"
        for person in [household.head] + household.members {
            text +=
                "|\(person.name)|\(person.gender.rawValue)|\(person.birth)|\(person.profile.idNumber?.description ?? "")"
            text += "|\(person.profile.ethnicity?.name ?? "")|\(person.profile.disability?.rawValue ?? "")"
            text += "|\(person.profile.socialAllowance)|\(person.profile.merit)|\(person.profile.relation.code)"
        }
        return Hex.string(SHA256.hash(data: Data(text.utf8)))
    }

    static func located(_ error: any Error, _ household: SurveyImport.Household) -> any Error {
        guard let domain = error as? DomainError else { return error }
        return DomainError(
            domain.code, "line \(household.lines.min() ?? 0) (household \(household.reference)): \(domain.message)",
            details: domain.details)
    }

    static func auditEntry(_ step: ReviewStep, _ importer: Importer) -> AuditEntry {
        let campaign = step.campaign
        let drafts = ReviewEventDrafts.drafts(
            step, province: campaign.higherLevelUnits.province, actor: importer.actor.login)
        return AuditEntry(
            actor: importer.audit, command: importer.command, entity: "review:\(campaign.id)", change: step.audit,
            events: drafts)
    }
}
