import CaseLineDomain
import CaseLineServer
import CaseLineStore
import Foundation

extension DemoData {
    /// The review of Xã Bạch Thông (02014), as the protocol would have recorded it, step by step through the
    /// same campaign machine: last year's periodic review decided and certified (the list in force now), and
    /// this year's in its public posting — one village surveyed again after a meeting where only 40 % agreed,
    /// a complaint still open. Offices: son chairs the commune's People's Committee, lan the province's.
    ///
    /// The steps are dated in September and October of the review year, so "this year" is the current year
    /// from 10 October on, and the year before until then.
    static func seedReview(_ store: any Store, settings: Settings) async throws {
        let review = settings.server.review
        let calendar = review.calendar
        let today = CivilDate(day(0))!
        let year = today >= CivilDate(year: today.year, month: 10, day: 10)! ? today.year : today.year - 1
        let actor = Actor.system("demo")
        @Sendable func entry(_ entity: String, _ change: String, _ events: [EventDraft] = []) -> AuditEntry {
            AuditEntry(actor: actor, command: "demo", entity: entity, change: change, events: events)
        }
        for (login, unit, level) in [("son", "02014", Office.Level.commune), ("lan", "19", .province)] {
            _ = try await store.assignOffice(
                OfficeHolding(
                    office: Office(.chairman, level: level, unit: unit), login: login,
                    from: CivilDate(year: year - 1, month: 7, day: 1)!),
                audit: entry("office:-", "\(login) holds the chairman's office of \(level.rawValue) \(unit)"))
        }
        let households = try await store.households(communes: ["02014"]).sorted {
            ($0.id.count, $0.id) < ($1.id.count, $1.id)
        }
        guard households.count >= 4 else { return }
        let ids = households.map(\.id)
        let villages = Dictionary(uniqueKeysWithValues: households.map { ($0.id, $0.village) })
        let offices = try await store.officeHoldings(unit: nil, login: nil)
        @Sendable func person(_ login: String) -> ReviewActor {
            ReviewActor(
                login: login, offices: offices.filter { $0.login == login },
                committeeCommunes: ["thuy", "minh"].contains(login) ? ["02014"] : [],
                reviewerScopes: login == "thuy"
                    ? villages.values.map { ReviewerScope(commune: "02014", village: $0) } : [])
        }
        func date(_ y: Int, _ m: Int, _ d: Int) -> CivilDate { CivilDate(year: y, month: m, day: d)! }
        let rural = AreaDerivation.Derived(area: .rural, source: .unitType("xa"))

        /// Opens a campaign on `day` and returns it with its machine.
        func open(on day: CivilDate) async throws -> (ReviewCampaign, ReviewCampaignMachine) {
            let campaign = try await store.openReviewCampaign(claim: nil) { id -> ReviewOpening in
                let step = try ReviewCampaignMachine.open(
                    id: id, kind: .periodic, commune: "02014", higherLevelUnits: HigherLevelUnits(province: "19"),
                    catalog: review.catalog, by: person("thuy"), on: day
                ).get()
                return ReviewOpening(step: step, audit: entry("review:\(id)", step.audit, drafts(step)))
            }
            let standard = review.catalog.standard(id: campaign.standardID)!
            return (campaign, ReviewCampaignMachine(standard: standard, calendar: calendar))
        }
        @Sendable func drafts(_ step: ReviewStep) -> [EventDraft] {
            ReviewEventDrafts.drafts(step, province: "19", actor: nil)
        }
        func run(
            _ campaign: inout ReviewCampaign, _ machine: ReviewCampaignMachine,
            _ steps: [(ReviewInput, String, CivilDate)]
        ) async throws {
            for (input, login, day) in steps {
                var input = input
                if case .issueCertificates(let households, _) = input {
                    let next = try await store.nextCertificateSequence(commune: "02014", year: day.year)
                    input = .issueCertificates(households: households, nextNumber: next)
                }
                let step = try machine.apply(input, to: campaign, by: person(login), on: day).get()
                campaign = try await store.saveReviewCampaign(
                    step, expectedRevision: campaign.revision,
                    audit: entry("review:\(campaign.id)", step.audit, drafts(step)))
            }
        }
        func survey(_ id: String, _ a: Int, _ deprived: [String]) -> ReviewInput {
            .recordSurvey(
                household: id, figures: SurveyFigures(scoreA: a, scoreB: deprived.count * 10, deprived: deprived),
                area: rural)
        }
        func meeting(_ id: String, _ held: CivilDate, _ present: Int, _ agreeing: Int, _ minutes: String)
            -> ReviewInput
        {
            .recordMeeting(
                VillageMeeting(
                    village: villages[id]!, held: held, attendees: present, agreeing: agreeing, minutes: minutes))
        }
        let plan = { (y: Int) in
            ReviewInput.plan(
                ReviewPlan(
                    reference: "\(y % 100 + 10)/KH-UBND", adopted: date(y, 9, 9), committee: ["thuy", "minh"],
                    reviewers: Set(villages.values).sorted().map { PlannedReviewer(login: "thuy", village: $0) },
                    schedule: []))
        }
        let (h1, h2, h3, h4) = (ids[0], ids[1], ids[2], ids[3])
        // Indicators both standards measure, so the demo holds whichever standard the year falls under.
        let poorDeprived = ["housing-quality", "housing-area", "latrine", "drinking-water"]

        // Last year's review: decided and certified; its list is in force.
        let last = year - 1
        let lastOpened = try await open(on: date(last, 9, 8))
        var decided = lastOpened.0
        try await run(
            &decided, lastOpened.1,
            [
                (plan(last), "thuy", date(last, 9, 9)),
                (.listHousehold(id: h1, village: villages[h1]!, basis: .currentList(.poor)), "thuy", date(last, 9, 10)),
                (
                    .listHousehold(id: h2, village: villages[h2]!, basis: .currentList(.nearPoor)), "thuy",
                    date(last, 9, 10)
                ),
                (
                    .listHousehold(
                        id: h3, village: villages[h3]!, basis: .request(.mau01, received: date(last, 9, 10))),
                    "thuy", date(last, 9, 10)
                ),
                (survey(h1, 112, poorDeprived), "thuy", date(last, 9, 16)),
                (survey(h2, 128, ["health-insurance"]), "thuy", date(last, 9, 16)),
                (survey(h3, 121, ["employment", "drinking-water", "telecom"]), "thuy", date(last, 9, 17)),
                (meeting(h1, date(last, 9, 23), 58, 47, "BB 01/\(last)"), "thuy", date(last, 9, 23)),
                (meeting(h3, date(last, 9, 24), 41, 36, "BB 02/\(last)"), "thuy", date(last, 9, 24)),
                (.openPosting, "thuy", date(last, 9, 28)),
                (.closePosting, "thuy", date(last, 10, 6)),
                (
                    .recordOpinion(
                        reference: "\(200 + last % 100)/UBND-NV", date: date(last, 10, 8), agrees: true, note: ""),
                    "lan", date(last, 10, 8)
                ),
                (.decide(number: "\(40 + last % 100)/QĐ-UBND", date: date(last, 10, 10)), "son", date(last, 10, 10)),
                (.issueCertificates(households: nil, nextNumber: 0), "son", date(last, 10, 12)),
            ])

        // This year's review: in its posting, one complaint open.
        let opened = try await open(on: date(year, 9, 8))
        var current = opened.0
        try await run(
            &current, opened.1,
            [
                (plan(year), "thuy", date(year, 9, 9)),
                (.listHousehold(id: h1, village: villages[h1]!, basis: .currentList(.poor)), "thuy", date(year, 9, 10)),
                (
                    .listHousehold(id: h2, village: villages[h2]!, basis: .currentList(.nearPoor)), "thuy",
                    date(year, 9, 10)
                ),
                (.listHousehold(id: h3, village: villages[h3]!, basis: .currentList(.poor)), "thuy", date(year, 9, 10)),
                (
                    .listHousehold(
                        id: h4, village: villages[h4]!, basis: .request(.mau01, received: date(year, 9, 10))),
                    "thuy", date(year, 9, 10)
                ),
                (survey(h1, 118, poorDeprived), "thuy", date(year, 9, 16)),
                (survey(h2, 146, []), "thuy", date(year, 9, 16)),
                (survey(h3, 131, ["drinking-water"]), "thuy", date(year, 9, 17)),
                (survey(h4, 109, ["housing-quality", "latrine", "health-insurance"]), "thuy", date(year, 9, 18)),
                // Thôn Nà Hin: 24 of 60 agree (40 %), so both households are surveyed again.
                (meeting(h1, date(year, 9, 23), 60, 24, "BB 01/\(year)"), "thuy", date(year, 9, 23)),
                (meeting(h3, date(year, 9, 24), 38, 33, "BB 02/\(year)"), "thuy", date(year, 9, 24)),
                (meeting(h4, date(year, 9, 24), 29, 25, "BB 03/\(year)"), "thuy", date(year, 9, 24)),
                (survey(h1, 116, poorDeprived), "thuy", date(year, 9, 28)),
                (survey(h2, 144, []), "thuy", date(year, 9, 28)),
                (meeting(h1, date(year, 9, 30), 58, 45, "BB 04/\(year)"), "thuy", date(year, 9, 30)),
                (.openPosting, "thuy", date(year, 10, 5)),
                (
                    .recordComplaint(
                        household: h2, received: date(year, 10, 6),
                        summary: "Hộ đề nghị xem lại điểm thu nhập: con trai đã nghỉ việc tại khu công nghiệp"),
                    "thuy", date(year, 10, 6)
                ),
            ])
    }
}
