/// The review campaign of QĐ 24/2021/QĐ-TTg as a pure state machine: state + input (+ who, + which day) → new
/// state + effects + events + audit line, or a typed refusal. Nothing here reads a clock, a store or the
/// network; the server loads the campaign, asks the machine, and stores what it answers.
///
/// What it enforces, in this order for every input:
/// 1. the campaign runs under the standard (id and revision) the machine was built with — `INVALID`;
/// 2. the person may give this input: the standard's permission table names the kinds of actor, and the
///    person is one of them (committee member, reviewer of the village, the office's holder) — `FORBIDDEN`;
/// 3. the campaign is not frozen by its decision (only certificates follow it) — `INVALID-TRANSITION`;
/// 4. the input is accepted at the campaign's stage, per the permission table — `INVALID-TRANSITION`;
/// 5. the step's own rules: every household surveyed before its village meets, the 50 % rule, the posting's
///    working days, complaints answered before the posting closes, dates that do not run backwards, values
///    present — `INVALID-TRANSITION` for order, `INVALID` for values, `NOT-FOUND` and `ALREADY-EXISTS` for
///    households, complaints and certificates.
public struct ReviewCampaignMachine: Sendable {
    public let standard: StandardDescription
    public let calendar: WorkingCalendar

    public init(standard: StandardDescription, calendar: WorkingCalendar) {
        self.standard = standard
        self.calendar = calendar
    }

    var rules: ProcedureRules { standard.procedure }

    // MARK: - Opening

    /// Opens a campaign on `date`: a periodic review for the year of `date`, or an ad-hoc review for the
    /// requests received on `date` (it starts on the next monthly review day and must be decided within the
    /// standard's days). The standard comes from the catalog: the one for the review's list year, unless
    /// configured otherwise. Only the commune's committee opens a campaign. The store keeps one periodic
    /// campaign per commune and year, and one ad-hoc campaign per commune and review day.
    public static func open(
        id: String, kind: CampaignKind, commune: String, higherLevelUnits: HigherLevelUnits,
        catalog: StandardCatalog, by actor: ReviewActor, on date: CivilDate
    ) -> Result<ReviewStep, DomainError> {
        guard actor.committeeCommunes.contains(commune) else {
            return .failure(
                DomainError(.forbidden, "only the review committee of commune \(commune) opens its reviews"))
        }
        let reviewYear: Int
        let reviewStart: CivilDate
        let decisionDue: CivilDate
        let standard: StandardDescription
        switch kind {
        case .periodic:
            reviewYear = date.year
            switch catalog.standard(kind: .periodic, reviewYear: reviewYear) {
            case .success(let found): standard = found
            case .failure(let error): return .failure(error)
            }
            let window = standard.procedure.periodicWindow
            guard let first = window.first(in: reviewYear), let last = window.last(in: reviewYear) else {
                return .failure(DomainError(.invalid, "the periodic window is not a date in \(reviewYear)"))
            }
            guard date <= last else {
                return .failure(
                    DomainError(
                        .invalidTransition,
                        "the periodic review of \(reviewYear) runs \(first) to \(last): it can no longer be opened"))
            }
            reviewStart = max(first, date)
            decisionDue = last
        case .adHoc:
            // The review day can differ between standards only in a configured description; take the one in
            // force when the request arrives, then the standard of the year the review is held.
            let provisional: StandardDescription
            switch catalog.standard(kind: .adHoc, reviewYear: date.year) {
            case .success(let found): provisional = found
            case .failure(let error): return .failure(error)
            }
            let start = Self.nextReviewDay(provisional.procedure.adHocReviewDay, onOrAfter: date)
            reviewYear = start.year
            switch catalog.standard(kind: .adHoc, reviewYear: reviewYear) {
            case .success(let found): standard = found
            case .failure(let error): return .failure(error)
            }
            reviewStart = start
            let clock = standard.procedure.adHocClockStart == .request ? date : start
            decisionDue = clock.adding(days: standard.procedure.adHocDecisionDays)
        }
        guard let first = standard.procedure.stages[kind].first else {
            return .failure(DomainError(.invalid, "standard \(standard.id) gives \(kind.rawValue) reviews no stage"))
        }
        let campaign = ReviewCampaign(
            id: id, kind: kind, commune: commune, higherLevelUnits: higherLevelUnits, reviewYear: reviewYear,
            listYear: StandardCatalog.listYear(kind: kind, reviewYear: reviewYear), standardID: standard.id,
            standardRevision: standard.revision, stage: first, opened: date, reviewStart: reviewStart,
            decisionDue: decisionDue)
        return .success(
            ReviewStep(
                campaign: campaign,
                effects: [.armDeadline(ReviewDeadline(campaign: id, kind: .decision, due: decisionDue))],
                events: [
                    ReviewEvent(
                        .opened, commune: commune,
                        details: [
                            EventDetail("campaign", id), EventDetail("kind", kind.rawValue),
                            EventDetail("year", "\(reviewYear)"), EventDetail("stage", first.rawValue),
                        ])
                ],
                audit:
                    "\(campaign.name) opened by \(actor.login) under \(standard.id) r\(standard.revision) for the "
                    + "\(campaign.listYear) lists; starts \(reviewStart), decision due \(decisionDue)"))
    }

    /// The first day of the month numbered `day` on or after `date` (the 15th: QĐ 24 art. 3.1.b).
    public static func nextReviewDay(_ day: Int, onOrAfter date: CivilDate) -> CivilDate {
        if date.day <= day, let same = CivilDate(year: date.year, month: date.month, day: day) { return same }
        let (year, month) = date.month == 12 ? (date.year + 1, 1) : (date.year, date.month + 1)
        return CivilDate(year: year, month: month, day: day) ?? date
    }

    // MARK: - Inputs

    /// Applies one input given by `actor` on `date` (the server's today).
    public func apply(
        _ input: ReviewInput, to campaign: ReviewCampaign, by actor: ReviewActor, on date: CivilDate
    ) -> Result<ReviewStep, DomainError> {
        do {
            return .success(try step(input, campaign, actor, date))
        } catch {
            return .failure(error)
        }
    }

    /// The kinds of actor `actor` is for `campaign` on `date`: committee member, reviewer (of some village of
    /// the commune), the commune chairman, the chairman of the level above on that day.
    public func actorKinds(_ actor: ReviewActor, in campaign: ReviewCampaign, on date: CivilDate) -> Set<ActorKind> {
        var kinds: Set<ActorKind> = []
        if actor.committeeCommunes.contains(campaign.commune) { kinds.insert(.committee) }
        if actor.reviewerScopes.contains(where: { $0.commune == campaign.commune }) { kinds.insert(.reviewer) }
        if actor.holding(.communeChairman(campaign.commune), on: date) != nil { kinds.insert(.communeChair) }
        if let office = higherOffice(campaign, on: date), actor.holding(office, on: date) != nil {
            kinds.insert(.higherLevelChair)
        }
        return kinds
    }

    /// Whether an input of this kind is accepted at `stage` of a campaign of `kind` (the permission table, and
    /// refusals in writing for ad-hoc requests only).
    public func accepts(_ input: ReviewInputKind, at stage: CampaignStage, kind: CampaignKind) -> Bool {
        guard let rule = rules.rule(for: input), rule.stages.contains(stage), rules.stages[kind].contains(stage)
        else { return false }
        return input != .refuseRequest || kind == .adHoc
    }

    func higherOffice(_ campaign: ReviewCampaign, on date: CivilDate) -> Office? {
        guard let level = rules.higherLevel(on: date), let unit = campaign.higherLevelUnits[level] else { return nil }
        return .chairman(of: level, unit: unit)
    }

    /// The day that decides who acts: the document's own date for acts of an office, else today.
    func actDate(_ input: ReviewInput, _ date: CivilDate) -> CivilDate {
        switch input {
        case .recordOpinion(_, let day, _, _), .decide(_, let day), .refuseRequest(_, _, let day, _): day
        default: date
        }
    }

    func step(
        _ input: ReviewInput, _ campaign: ReviewCampaign, _ actor: ReviewActor, _ date: CivilDate
    ) throws(DomainError) -> ReviewStep {
        guard campaign.standardID == standard.id, campaign.standardRevision == standard.revision else {
            throw DomainError(
                .invalid,
                "\(campaign.name) runs under \(campaign.standardID) r\(campaign.standardRevision), "
                    + "not \(standard.id) r\(standard.revision)")
        }
        guard let rule = rules.rule(for: input.kind) else {
            throw DomainError(.invalid, "standard \(standard.id) has no rule for \(input.kind.rawValue)")
        }
        // An office acts on the document's date — and its signer must still hold it today, so that a former
        // chairman cannot sign a decision backdated into their term.
        let kinds = actorKinds(actor, in: campaign, on: actDate(input, date))
            .intersection(actorKinds(actor, in: campaign, on: date))
        guard !kinds.isDisjoint(with: rule.actors) else {
            throw DomainError(
                .forbidden,
                "\(input.kind.rawValue) is for " + rule.actors.map(\.rawValue).joined(separator: " or ")
                    + "; \(actor.login) is not one for \(campaign.name)")
        }
        if let decision = campaign.decision, input.kind != .issueCertificates {
            throw DomainError(
                .invalidTransition,
                "\(campaign.name) was decided by \(decision.number) of \(decision.date) and is frozen; "
                    + "a correction goes through an ad-hoc review")
        }
        guard accepts(input.kind, at: campaign.stage, kind: campaign.kind) else {
            let at = rule.stages.filter(rules.stages[campaign.kind].contains).map(\.rawValue)
            throw DomainError(
                .invalidTransition,
                "\(input.kind.rawValue) is not accepted at stage \(campaign.stage.rawValue) of \(campaign.name)"
                    + (at.isEmpty ? "" : " (only at \(at.joined(separator: ", ")))"),
                details: [("stage", campaign.stage.rawValue)])
        }
        var draft = Draft(machine: self, campaign: campaign, actor: actor, kinds: kinds, date: date)
        switch input {
        case .plan(let plan): try draft.plan(plan)
        case .listHousehold(let id, let village, let basis): try draft.list(id, village, basis)
        case .recordSurvey(let household, let figures, let area): try draft.survey(household, figures, area)
        case .recordMeeting(let meeting): try draft.meeting(meeting)
        case .openPosting: try draft.openPosting()
        case .recordComplaint(let household, let received, let summary):
            try draft.complaint(household, received, summary)
        case .answerComplaint(let id, let answer): try draft.answer(id, answer)
        case .closePosting: try draft.closePosting()
        case .recordOpinion(let reference, let day, let agrees, let note):
            try draft.opinion(reference, day, agrees, note)
        case .decide(let number, let day): try draft.decide(number, day)
        case .refuseRequest(let household, let reference, let day, let reasons):
            try draft.refuse(household, reference, day, reasons)
        case .issueCertificates(let households, let next): try draft.certificates(households, next)
        }
        draft.campaign.revision += 1
        return ReviewStep(
            campaign: draft.campaign, effects: draft.effects, events: draft.events,
            audit: "\(campaign.name): " + draft.audit.joined(separator: "; "))
    }

    // MARK: - Deadlines

    /// The deadline notice a campaign calls for today, if any: decide (or refuse) by `decisionDue` — soon from
    /// `soonDays` before it, overdue after it. Each is raised once per due date (the store remembers, as for
    /// tasks); a decided or refused campaign calls for none.
    public static func notice(
        for campaign: ReviewCampaign, today: CivilDate, soonDays: Int
    ) -> (kind: DeadlineRules.Kind, event: ReviewEvent)? {
        guard !campaign.isFrozen, campaign.stage != .refused else { return nil }
        let due = campaign.decisionDue
        let kind: DeadlineRules.Kind
        if today > due {
            kind = .overdue
        } else if today >= due.adding(days: -soonDays) {
            kind = .soon
        } else {
            return nil
        }
        let event = ReviewEvent(
            kind == .overdue ? .overdue : .deadlineSoon, commune: campaign.commune,
            details: [
                EventDetail("campaign", campaign.id), EventDetail("deadline", ReviewDeadline.Kind.decision.rawValue),
                EventDetail("due", due.description), EventDetail("stage", campaign.stage.rawValue),
            ])
        return (kind, event)
    }
}
