import Foundation

/// The step rules of each input, applied to a working copy once the machine has checked who may act and at
/// which stage (`ReviewCampaignMachine.step`). Each rule either finishes the copy or throws, leaving the
/// campaign as it was.
struct Draft {
    let machine: ReviewCampaignMachine
    var campaign: ReviewCampaign
    let actor: ReviewActor
    let kinds: Set<ActorKind>
    let date: CivilDate
    var effects: [ReviewEffect] = []
    var events: [ReviewEvent] = []
    var audit: [String] = []

    init(
        machine: ReviewCampaignMachine, campaign: ReviewCampaign, actor: ReviewActor, kinds: Set<ActorKind>,
        date: CivilDate
    ) {
        self.machine = machine
        self.campaign = campaign
        self.actor = actor
        self.kinds = kinds
        self.date = date
    }

    var rules: ProcedureRules { machine.rules }
    var sequence: [CampaignStage] { rules.stages[campaign.kind] }

    // MARK: Helpers

    static func blank(_ text: String) -> Bool { text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }

    func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(DomainError) {
        if !condition { throw DomainError(.invalid, message()) }
    }

    func inOrder(_ condition: Bool, _ message: @autoclosure () -> String) throws(DomainError) {
        if !condition { throw DomainError(.invalidTransition, message()) }
    }

    func household(_ id: String) throws(DomainError) -> CampaignHousehold {
        guard let household = campaign.households[id] else {
            throw DomainError(.notFound, "household \(id) is not on the list of \(campaign.name)")
        }
        return household
    }

    func notPast(_ day: CivilDate, _ what: String) throws(DomainError) {
        try require(day <= date, "\(what) is dated \(day), after today (\(date))")
    }

    /// The stage after `stage` in this kind's sequence.
    func next(after stage: CampaignStage) -> CampaignStage? {
        guard let index = sequence.firstIndex(of: stage), index + 1 < sequence.count else { return nil }
        return sequence[index + 1]
    }

    mutating func move(to stage: CampaignStage) {
        guard stage > campaign.stage, sequence.contains(stage) else { return }
        audit.append("stage \(campaign.stage.rawValue) → \(stage.rawValue)")
        campaign.stage = stage
        event(.stage, ("stage", stage.rawValue))
    }

    mutating func event(_ kind: ReviewEvent.Kind, _ details: (String, String)...) {
        events.append(
            ReviewEvent(
                kind, commune: campaign.commune,
                details: [EventDetail("campaign", campaign.id)] + details.map { EventDetail($0.0, $0.1) }))
    }

    /// The households the decision will cover: every one not refused.
    var active: [CampaignHousehold] { campaign.orderedHouseholds.filter { $0.state != .refused } }

    /// How many households are active (and how many of them surveyed), without ordering them: the listing and
    /// survey steps count after every household, and sorting 10,000 ids each time made an import quadratic.
    var activeCount: Int { campaign.households.values.reduce(0) { $0 + ($1.state != .refused ? 1 : 0) } }
    var surveyedCount: Int {
        campaign.households.values.reduce(0) { $0 + ($1.state != .refused && $1.survey != nil ? 1 : 0) }
    }

    func count(_ state: HouseholdReviewState) -> Int { active.filter { $0.state == state }.count }

    /// The state every household must have reached before the posting (or, without one, the decision).
    var readyState: HouseholdReviewState { sequence.contains(.meetings) ? .agreed : .surveyed }

    /// The chairman of the commune, acting on `day`, or `FORBIDDEN`.
    func communeChairSignature(on day: CivilDate) throws(DomainError) -> OfficeSignature {
        let office = Office.communeChairman(campaign.commune)
        guard let holding = actor.holding(office, on: day) else {
            throw DomainError(.forbidden, "\(actor.login) did not hold the office of \(office) on \(day)")
        }
        return OfficeSignature(office: office, login: actor.login, onBehalfOf: holding.onBehalfOf)
    }

    // MARK: Plan

    mutating func plan(_ plan: ReviewPlan) throws(DomainError) {
        try require(!Self.blank(plan.reference), "the plan cites the decision that adopted it")
        try notPast(plan.adopted, "the plan")
        try require(!plan.reviewers.isEmpty, "the plan names the reviewers (rà soát viên)")
        for reviewer in plan.reviewers {
            try require(
                !Self.blank(reviewer.login) && !Self.blank(reviewer.village), "a reviewer has a login and a village")
        }
        for item in plan.schedule {
            try require(item.from <= item.through, "the \(item.stage.rawValue) stage ends before it starts")
        }
        campaign.plan = plan
        let villages = Set(plan.reviewers.map { NameFolding.fold($0.village) }).count
        audit.append(
            "plan \(plan.reference) of \(plan.adopted) by \(actor.login): \(plan.reviewers.count) reviewers in "
                + "\(villages) villages, committee of \(plan.committee.count)")
        if let next = next(after: .plan) { move(to: next) }
    }

    // MARK: List

    mutating func list(_ id: String, _ village: String, _ basis: ListingBasis) throws(DomainError) {
        try require(!Self.blank(id) && !Self.blank(village), "a listed household has an id and a village")
        guard campaign.households[id] == nil else {
            throw DomainError(.alreadyExists, "household \(id) is already on the list of \(campaign.name)")
        }
        switch (campaign.kind, basis) {
        case (.periodic, .currentList(let classification)):
            try require(
                classification.isPoorOrNearPoor, "only the current poor and near-poor lists are reviewed as such")
        case (.adHoc, .currentList):
            throw DomainError(.invalid, "an ad-hoc review lists households on their request (Mẫu 01 or Mẫu 04)")
        case (_, .request(_, let received)):
            try notPast(received, "the request")
        case (_, .imported):
            throw DomainError(.invalid, "imported lists are history: a review lists households now, on a basis")
        }
        campaign.households[id] = CampaignHousehold(id: id, village: village, basis: basis)
        audit.append("household \(id) of \(village) listed (\(basis.description)) by \(actor.login)")
        event(.listed, ("listed", "\(activeCount)"))
        move(to: .listing)
    }

    // MARK: Survey

    mutating func survey(
        _ id: String, _ figures: SurveyFigures, _ area: AreaDerivation.Derived
    ) throws(DomainError) {
        var household = try household(id)
        if !kinds.contains(.committee) {
            guard actor.reviews(commune: campaign.commune, village: household.village) else {
                throw DomainError(
                    .forbidden, "\(actor.login) is not a reviewer of \(household.village) in \(campaign.commune)")
            }
        }
        try inOrder(date >= campaign.reviewStart, "\(campaign.name) starts on \(campaign.reviewStart)")
        let underComplaint = campaign.complaints.contains { $0.isOpen && $0.household == id }
        switch (campaign.stage, household.state) {
        case (.posting, .posted):
            try inOrder(underComplaint, "during the posting only a household under an open complaint is re-checked")
        case (.posting, _), (_, .agreed), (_, .posted), (_, .decided), (_, .refused):
            throw DomainError(
                .invalidTransition, "household \(id) is \(household.state.rawValue): its survey is closed")
        case (_, .listed), (_, .surveyed), (_, .reSurvey):
            break
        }
        let classification: Classification
        switch Classifier.classify(figures, area: area.area, standard: machine.standard) {
        case .success(let result): classification = result
        case .failure(let error): throw error
        }
        household.survey = HouseholdSurvey(
            figures: figures, area: area, classification: classification, by: actor.login, on: date)
        household.surveyRounds += 1
        if campaign.stage != .posting { household.state = .surveyed }
        campaign.households[id] = household
        audit.append(
            "household \(id) \(underComplaint ? "re-checked" : "surveyed") by \(actor.login) (round "
                + "\(household.surveyRounds)): \(figures.summary) in \(area.explanation) → \(classification.explanation)"
                + (classification.unverifiedFigures.isEmpty
                    ? "" : " [unverified: \(classification.unverifiedFigures.joined(separator: ", "))]"))
        event(.surveyed, ("surveyed", "\(surveyedCount)"), ("listed", "\(activeCount)"))
        move(to: .survey)
    }

    // MARK: Meetings

    mutating func meeting(_ meeting: VillageMeeting) throws(DomainError) {
        try require(!Self.blank(meeting.village), "a meeting names its village")
        try require(!Self.blank(meeting.minutes), "a meeting cites its minutes")
        try require(meeting.attendees >= 1, "a meeting has at least one person present")
        try require(
            (0...meeting.attendees).contains(meeting.agreeing),
            "\(meeting.agreeing) agreeing of \(meeting.attendees) present is impossible")
        try notPast(meeting.held, "the meeting")
        let villagers = campaign.households(in: meeting.village).filter { $0.state != .refused }
        try require(!villagers.isEmpty, "no household of \(meeting.village) is on the list")
        for (id, agreeing) in meeting.agreeingByHousehold {
            try require(villagers.contains { $0.id == id }, "household \(id) is not of \(meeting.village)")
            try require(
                (0...meeting.attendees).contains(agreeing),
                "\(agreeing) agreeing of \(meeting.attendees) present is impossible")
        }
        let pending = villagers.filter { $0.state == .listed || $0.state == .reSurvey }
        try inOrder(
            pending.isEmpty,
            "\(pending.count) households of \(meeting.village) are not surveyed yet: "
                + pending.map(\.id).joined(separator: ", "))
        let judged = villagers.filter { $0.state == .surveyed }
        try inOrder(!judged.isEmpty, "every household of \(meeting.village) is already agreed")
        let lastSurvey = judged.compactMap { $0.survey?.on }.max() ?? meeting.held
        try require(meeting.held >= lastSurvey, "the meeting (\(meeting.held)) predates the survey (\(lastSurvey))")

        var agreed: [String] = []
        var again: [String] = []
        for var household in judged {
            let count = meeting.agreeingByHousehold[household.id] ?? meeting.agreeing
            let agrees = VillageMeeting.agrees(count, of: meeting.attendees, percent: rules.meetingAgreementPercent)
            household.state = agrees ? .agreed : .reSurvey
            if agrees {
                agreed.append(household.id)
            } else {
                again.append(household.id)
            }
            campaign.households[household.id] = household
        }
        campaign.meetings.append(meeting)
        let share = meeting.agreeing * 100 / meeting.attendees
        audit.append(
            "meeting in \(meeting.village) on \(meeting.held) (minutes \(meeting.minutes)): \(meeting.agreeing) of "
                + "\(meeting.attendees) agree (\(share) %, threshold \(rules.meetingAgreementPercent) %)"
                + (agreed.isEmpty ? "" : "; agreed: " + agreed.joined(separator: ", "))
                + (again.isEmpty ? "" : "; to survey again: " + again.joined(separator: ", ")))
        event(.meeting, ("agreed", "\(agreed.count)"), ("re-survey", "\(again.count)"))
        move(to: .meetings)
    }

    // MARK: Posting and complaints

    mutating func openPosting() throws(DomainError) {
        try inOrder(!active.isEmpty, "\(campaign.name) has no household to post")
        let unready = active.filter { $0.state != readyState }
        try inOrder(
            unready.isEmpty,
            "every household must be \(readyState.rawValue) before the posting; not yet: "
                + unready.map { "\($0.id) (\($0.state.rawValue))" }.joined(separator: ", "))
        guard let lastDay = machine.calendar.lastDay(ofWorkingDays: rules.postingWorkingDays, after: date) else {
            throw DomainError(.invalid, "the working calendar has no working day after \(date)")
        }
        for household in active {
            campaign.households[household.id]?.state = .posted
        }
        campaign.posting = Posting(opened: date, lastDay: lastDay)
        effects.append(.armDeadline(ReviewDeadline(campaign: campaign.id, kind: .postingEnds, due: lastDay)))
        audit.append(
            "posting opened on \(date) for \(rules.postingWorkingDays) working days, through \(lastDay): "
                + "\(active.count) households")
        move(to: .posting)
    }

    mutating func complaint(_ id: String?, _ received: CivilDate, _ summary: String) throws(DomainError) {
        try require(!Self.blank(summary), "a complaint says what it is about")
        try notPast(received, "the complaint")
        if let opened = campaign.posting?.opened {
            try require(received >= opened, "the complaint (\(received)) predates the posting (\(opened))")
        }
        if let id { _ = try household(id) }
        let complaint = Complaint(
            id: "K-\(campaign.complaints.count + 1)", household: id, received: received, summary: summary)
        campaign.complaints.append(complaint)
        audit.append(
            "complaint \(complaint.id) received \(received)" + (id.map { " about \($0)" } ?? "") + ": \(summary)")
        event(
            .complaint, ("complaint", complaint.id), ("open", "\(campaign.complaints.filter(\.isOpen).count)"))
    }

    mutating func answer(_ id: String, _ answer: String) throws(DomainError) {
        guard let index = campaign.complaints.firstIndex(where: { $0.id == id }) else {
            throw DomainError(.notFound, "\(campaign.name) has no complaint \(id)")
        }
        try inOrder(
            campaign.complaints[index].isOpen,
            "complaint \(id) was answered on \(campaign.complaints[index].answered.map(\.description) ?? "?")")
        try require(!Self.blank(answer), "the answer is written out")
        campaign.complaints[index].answer = answer
        campaign.complaints[index].answered = date
        audit.append("complaint \(id) answered by \(actor.login): \(answer)")
        event(.complaint, ("complaint", id), ("open", "\(campaign.complaints.filter(\.isOpen).count)"))
    }

    mutating func closePosting() throws(DomainError) {
        guard let posting = campaign.posting else {
            throw DomainError(.invalidTransition, "\(campaign.name) has no posting open")
        }
        try inOrder(
            date > posting.lastDay,
            "the posting runs \(rules.postingWorkingDays) working days, through \(posting.lastDay)")
        let open = campaign.complaints.filter(\.isOpen)
        try inOrder(
            open.isEmpty, "complaints not answered yet: " + open.map(\.id).joined(separator: ", "))
        campaign.posting?.closed = date
        audit.append("posting closed on \(date), \(campaign.complaints.count) complaints answered")
        if let next = next(after: .posting) { move(to: next) }
    }

    // MARK: Opinion, decision, refusal

    mutating func opinion(_ reference: String, _ day: CivilDate, _ agrees: Bool, _ note: String) throws(DomainError) {
        try require(!Self.blank(reference), "the opinion cites its document")
        try notPast(day, "the opinion")
        if let closed = campaign.posting?.closed {
            try require(day >= closed, "the opinion (\(day)) predates the posting's close (\(closed))")
        }
        guard let level = rules.higherLevel(on: day), let office = machine.higherOffice(campaign, on: day),
            let holding = actor.holding(office, on: day)
        else {
            throw DomainError(.forbidden, "\(actor.login) held no higher-level chairman's office on \(day)")
        }
        let signature = OfficeSignature(office: office, login: actor.login, onBehalfOf: holding.onBehalfOf)
        campaign.opinion = HigherLevelOpinion(
            level: level, reference: reference, date: day, agrees: agrees, note: note, signature: signature)
        audit.append(
            "opinion \(reference) of \(day) by \(signature): \(agrees ? "agrees" : "does not agree")"
                + (Self.blank(note) ? "" : " — \(note)"))
        event(.opinion, ("agrees", agrees ? "yes" : "no"))
        if let next = next(after: .opinion) { move(to: next) }
    }

    mutating func decide(_ number: String, _ day: CivilDate) throws(DomainError) {
        try require(!Self.blank(number), "the decision has a number")
        try notPast(day, "the decision")
        let after = campaign.opinion?.date ?? campaign.posting?.closed
        if let after { try require(day >= after, "the decision (\(day)) predates the step before it (\(after))") }
        try inOrder(!active.isEmpty, "\(campaign.name) has no household left to decide")
        let ready: HouseholdReviewState = sequence.contains(.posting) ? .posted : readyState
        let unready = active.filter { $0.state != ready }
        try inOrder(unready.isEmpty, "not ready for the decision: " + unready.map(\.id).joined(separator: ", "))
        let signature = try communeChairSignature(on: day)
        let decision = ReviewDecision(number: number, date: day, signature: signature)
        campaign.decision = decision
        var tally: [ReviewClass: Int] = [:]
        for var household in active {
            guard let survey = household.survey else { continue }
            household.state = .decided
            campaign.households[household.id] = household
            tally[survey.classification.result, default: 0] += 1
            effects.append(
                .recordAssessment(
                    ReviewAssessment(
                        household: household.id, campaign: campaign.id, kind: campaign.kind,
                        reviewYear: campaign.reviewYear, listYear: campaign.listYear, commune: campaign.commune,
                        village: household.village, basis: household.basis, survey: survey, decision: decision)))
        }
        effects.append(.disarmDeadlines(campaign: campaign.id))
        let counts = ReviewClass.allCases.map { "\(tally[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        let late = day > campaign.decisionDue ? " (\(campaign.decisionDue.days(until: day)) days late)" : ""
        audit.append("decision \(number) of \(day)\(late) by \(signature): \(counts); frozen")
        event(
            .decided, ("poor", "\(tally[.poor] ?? 0)"), ("near-poor", "\(tally[.nearPoor] ?? 0)"),
            ("average-living", "\(tally[.averageLiving] ?? 0)"), ("none", "\(tally[.none] ?? 0)"))
        if let next = next(after: .decision) { move(to: next) }
    }

    mutating func refuse(_ id: String, _ reference: String, _ day: CivilDate, _ reasons: String) throws(DomainError) {
        try inOrder(
            campaign.kind == .adHoc,
            "a periodic review decides every listed household; only ad-hoc "
                + "requests are refused in writing")
        var household = try household(id)
        try inOrder(household.state != .refused, "the request of \(id) was already refused")
        try require(!Self.blank(reference), "the refusal cites its letter")
        try require(!Self.blank(reasons), "a refusal gives its reasons in writing")
        try notPast(day, "the refusal")
        let signature = try communeChairSignature(on: day)
        household.state = .refused
        household.refusal = RequestRefusal(reference: reference, date: day, reasons: reasons, signature: signature)
        campaign.households[id] = household
        audit.append("request of \(id) refused by \(reference) of \(day) by \(signature): \(reasons)")
        event(.refused, ("left", "\(active.count)"))
        if active.isEmpty {
            audit.append("every request refused")
            effects.append(.disarmDeadlines(campaign: campaign.id))
            campaign.stage = .refused
            event(.stage, ("stage", CampaignStage.refused.rawValue))
        }
    }

    // MARK: Certificates

    mutating func certificates(_ requested: [String]?, _ next: Int) throws(DomainError) {
        try require(next >= 1, "certificate numbers start at 1")
        guard let decision = campaign.decision else {
            throw DomainError(.invalidTransition, "certificates follow the decision")
        }
        let eligible = campaign.orderedHouseholds.filter {
            $0.state == .decided && $0.survey?.classification.result.isPoorOrNearPoor == true
        }
        var targets: [CampaignHousehold]
        if let requested {
            targets = []
            for id in Set(requested).sorted(by: { ($0.count, $0) < ($1.count, $1) }) {
                let household = try household(id)
                try require(
                    eligible.contains { $0.id == id }, "household \(id) is not decided poor or near-poor")
                if let existing = household.certificate {
                    throw DomainError(.alreadyExists, "household \(id) already has certificate \(existing)")
                }
                targets.append(household)
            }
        } else {
            targets = eligible.filter { $0.certificate == nil }
        }
        guard !targets.isEmpty else {
            throw DomainError(.alreadyExists, "every certificate of \(campaign.name) is already issued")
        }
        let signature = try communeChairSignature(on: date)
        var numbers: [String] = []
        for (offset, household) in targets.enumerated() {
            let number = CertificateNumber(sequence: next + offset, suffix: rules.certificateSuffix)
            campaign.households[household.id]?.certificate = number
            numbers.append("\(household.id) \(number)")
            effects.append(
                .issueCertificate(
                    PovertyCertificate(
                        number: number, commune: campaign.commune, household: household.id,
                        classification: household.survey?.classification.result ?? .none,
                        listYear: campaign.listYear, campaign: campaign.id, issued: date, signature: signature)))
        }
        audit.append(
            "certificates issued on \(date) under decision \(decision.number) by \(signature): "
                + numbers.joined(separator: ", "))
        event(.certificates, ("issued", "\(targets.count)"))
    }
}
