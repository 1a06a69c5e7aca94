import CaseLineDomain
import Testing

/// People, dates and campaigns at every stage, for the campaign machine's tests: Xã Bạch Thông (02014) of
/// Thái Nguyên (19), formerly of huyện Bạch Thông (legacy district 063).
enum ReviewFixtures {
    static let commune = "02014"
    static let units = HigherLevelUnits(province: "19", district: "legacy:063")
    static let naHin = "Thôn Nà Hin"
    static let khuoiChang = "Thôn Khuổi Chang"

    static func day(_ text: String) -> CivilDate {
        guard let date = CivilDate(text) else {
            Issue.record("bad date \(text)")
            return CivilDate(dayNumber: 0)
        }
        return date
    }

    static let committee = ReviewActor(login: "thuy", committeeCommunes: [commune])
    static let reviewerNaHin = ReviewActor(
        login: "an", reviewerScopes: [ReviewerScope(commune: commune, village: naHin)])
    static let reviewerKhuoiChang = ReviewActor(
        login: "binh", reviewerScopes: [ReviewerScope(commune: commune, village: khuoiChang)])
    static let communeChair = ReviewActor(
        login: "lan",
        offices: [OfficeHolding(office: .communeChairman(commune), login: "lan", from: day("2025-07-01"))])
    static let provinceChair = ReviewActor(
        login: "hung",
        offices: [OfficeHolding(office: .chairman(of: .province, unit: "19"), login: "hung", from: day("2025-07-01"))])
    static let districtChair = ReviewActor(
        login: "son",
        offices: [
            OfficeHolding(
                office: .chairman(of: .district, unit: "legacy:063"), login: "son", from: day("2021-01-01"),
                through: day("2025-06-30"))
        ])
    /// A vice-chairman acting for the chairman by delegation.
    static let actingChair = ReviewActor(
        login: "mai",
        offices: [
            OfficeHolding(
                office: .communeChairman(commune), login: "mai", from: day("2026-11-01"), through: day("2026-12-31"),
                onBehalfOf: "lan")
        ])
    static let outsider = ReviewActor(login: "x")
    static let everyone = [
        committee, reviewerNaHin, reviewerKhuoiChang, communeChair, provinceChair, districtChair, outsider,
    ]

    static let calendar = WorkingCalendar(holidays: WorkingCalendar.fixedSolarHolidays(year: 2026))
    static let rural = AreaDerivation.Derived(area: .rural, source: .unitType("commune"))

    static let plan = ReviewPlan(
        reference: "KH 45/KH-UBND", adopted: day("2026-08-20"), committee: ["thuy", "lan"],
        reviewers: [PlannedReviewer(login: "an", village: naHin), PlannedReviewer(login: "binh", village: khuoiChang)],
        schedule: [ScheduledStage(stage: .survey, from: day("2026-09-01"), through: day("2026-10-15"))])

    static let poorFigures = SurveyFigures(
        phieuA: .phieuB, scoreA: 120, scoreB: 30, deprived: ["housing-quality", "latrine", "digital-services"])
    /// The same household under NĐ 07, which has no digital-services indicator.
    static let poorFigures07 = SurveyFigures(
        phieuA: .phieuB, scoreA: 120, scoreB: 30, deprived: ["housing-quality", "latrine", "information-access"])
    static let nearPoorFigures = SurveyFigures(phieuA: .phieuB, scoreA: 135, deprived: ["latrine"])
    static let escapedFigures = SurveyFigures(phieuA: .phieuB, scoreA: 190, deprived: [])
}

/// A campaign being driven step by step through the machine, failing the test on any refusal.
struct Drive {
    var machine: ReviewCampaignMachine
    var campaign: ReviewCampaign
    var steps: [ReviewStep] = []

    init(_ kind: CampaignKind, on day: String, catalog: StandardCatalog = .builtIn) throws {
        let step = try ReviewCampaignMachine.open(
            id: kind == .periodic ? "RC-1" : "RC-2", kind: kind, commune: ReviewFixtures.commune,
            higherLevelUnits: ReviewFixtures.units, catalog: catalog, by: ReviewFixtures.committee,
            on: ReviewFixtures.day(day)
        ).get()
        let standard = try #require(catalog.standard(id: step.campaign.standardID))
        machine = ReviewCampaignMachine(standard: standard, calendar: ReviewFixtures.calendar)
        campaign = step.campaign
        steps = [step]
    }

    @discardableResult
    mutating func apply(_ input: ReviewInput, by actor: ReviewActor, on day: String) throws -> ReviewStep {
        let step = try machine.apply(input, to: campaign, by: actor, on: ReviewFixtures.day(day)).get()
        campaign = step.campaign
        steps.append(step)
        return step
    }

    func refusal(_ input: ReviewInput, by actor: ReviewActor, on day: String) -> DomainError? {
        if case .failure(let error) = machine.apply(input, to: campaign, by: actor, on: ReviewFixtures.day(day)) {
            return error
        }
        return nil
    }
}

/// Named points of the two walks (periodic 2026 and an ad-hoc review of October 2026), with the day each is
/// observed on.
enum Checkpoint: String, CaseIterable, CustomStringConvertible {
    case opened, listing, survey, meetings, meetingsReady, posting, postingReady, opinion, decision, certificates
    case adHocListing, adHocSurvey, adHocMeetings, adHocMeetingsReady, adHocPosting, adHocPostingReady, adHocDecision
    case adHocCertificates, adHocRefused

    var description: String { rawValue }

    var kind: CampaignKind { rawValue.hasPrefix("adHoc") ? .adHoc : .periodic }

    /// The day inputs are given at this point.
    var today: String {
        switch self {
        case .opened, .listing: "2026-09-02"
        case .survey: "2026-09-20"
        case .meetings: "2026-10-05"
        case .meetingsReady: "2026-11-02"
        case .posting: "2026-11-04"
        case .postingReady: "2026-11-06"
        case .opinion: "2026-11-20"
        case .decision: "2026-12-01"
        case .certificates: "2026-12-05"
        case .adHocListing: "2026-10-15"
        case .adHocSurvey: "2026-10-16"
        case .adHocMeetings: "2026-10-17"
        case .adHocMeetingsReady: "2026-10-19"
        case .adHocPosting: "2026-10-21"
        case .adHocPostingReady: "2026-10-26"
        case .adHocDecision: "2026-10-27"
        case .adHocCertificates: "2026-10-28"
        case .adHocRefused: "2026-10-20"
        }
    }

    /// Builds the campaign at this point by driving the machine from the start.
    func build() throws -> Drive {
        let f = ReviewFixtures.self
        if kind == .adHoc { return try buildAdHoc() }
        var drive = try Drive(.periodic, on: "2026-08-20")
        if self == .opened { return drive }
        try drive.apply(.plan(f.plan), by: f.committee, on: "2026-08-21")
        try drive.apply(
            .listHousehold(id: "HH-1", village: f.naHin, basis: .currentList(.poor)), by: f.committee, on: "2026-08-25")
        if self == .listing { return drive }
        try drive.apply(
            .listHousehold(id: "HH-2", village: f.naHin, basis: .currentList(.nearPoor)), by: f.committee,
            on: "2026-08-25")
        try drive.apply(
            .listHousehold(id: "HH-3", village: f.khuoiChang, basis: .request(.mau01, received: f.day("2026-08-30"))),
            by: f.committee, on: "2026-09-01")
        try drive.apply(
            .listHousehold(id: "HH-4", village: f.khuoiChang, basis: .request(.mau04, received: f.day("2026-08-30"))),
            by: f.committee, on: "2026-09-01")
        try drive.apply(
            .recordSurvey(household: "HH-1", figures: f.poorFigures, area: f.rural), by: f.reviewerNaHin,
            on: "2026-09-15")
        try drive.apply(
            .recordSurvey(household: "HH-2", figures: f.escapedFigures, area: f.rural), by: f.reviewerNaHin,
            on: "2026-09-16")
        if self == .survey { return drive }
        try drive.apply(
            .recordMeeting(
                VillageMeeting(
                    village: f.naHin, held: f.day("2026-10-01"), attendees: 40, agreeing: 30, minutes: "BB 01")),
            by: f.committee, on: "2026-10-01")
        try drive.apply(
            .recordSurvey(household: "HH-3", figures: f.nearPoorFigures, area: f.rural), by: f.reviewerKhuoiChang,
            on: "2026-10-02")
        try drive.apply(
            .recordSurvey(household: "HH-4", figures: f.escapedFigures, area: f.rural), by: f.reviewerKhuoiChang,
            on: "2026-10-02")
        if self == .meetings { return drive }
        // Khuổi Chang: 40 % agree, so both households are surveyed again and the village meets again.
        try drive.apply(
            .recordMeeting(
                VillageMeeting(
                    village: f.khuoiChang, held: f.day("2026-10-05"), attendees: 40, agreeing: 16, minutes: "BB 02")),
            by: f.committee, on: "2026-10-05")
        try drive.apply(
            .recordSurvey(household: "HH-3", figures: f.poorFigures, area: f.rural), by: f.reviewerKhuoiChang,
            on: "2026-10-12")
        try drive.apply(
            .recordSurvey(household: "HH-4", figures: f.escapedFigures, area: f.rural), by: f.reviewerKhuoiChang,
            on: "2026-10-12")
        try drive.apply(
            .recordMeeting(
                VillageMeeting(
                    village: f.khuoiChang, held: f.day("2026-10-20"), attendees: 38, agreeing: 19, minutes: "BB 03")),
            by: f.committee, on: "2026-10-20")
        if self == .meetingsReady { return drive }
        try drive.apply(.openPosting, by: f.committee, on: "2026-11-02")
        try drive.apply(
            .recordComplaint(
                household: "HH-2", received: f.day("2026-11-03"), summary: "Hộ bị đánh giá sai nguồn nước"),
            by: f.committee, on: "2026-11-03")
        if self == .posting { return drive }
        try drive.apply(
            .recordSurvey(household: "HH-2", figures: f.nearPoorFigures, area: f.rural), by: f.committee,
            on: "2026-11-04")
        try drive.apply(
            .answerComplaint(id: "K-1", answer: "Đã phúc tra: hộ cận nghèo"), by: f.committee, on: "2026-11-05")
        if self == .postingReady { return drive }
        try drive.apply(.closePosting, by: f.committee, on: "2026-11-06")
        if self == .opinion { return drive }
        try drive.apply(
            .recordOpinion(reference: "CV 812/UBND-KGVX", date: f.day("2026-11-20"), agrees: true, note: ""),
            by: f.provinceChair, on: "2026-11-20")
        if self == .decision { return drive }
        try drive.apply(
            .decide(number: "QĐ 301/QĐ-UBND", date: f.day("2026-12-01")), by: f.communeChair, on: "2026-12-01")
        return drive
    }

    private func buildAdHoc() throws -> Drive {
        let f = ReviewFixtures.self
        // Requests on 3 October: the review starts on the 15th and is due 15 days later.
        var drive = try Drive(.adHoc, on: "2026-10-03")
        try drive.apply(
            .listHousehold(id: "HH-3", village: f.khuoiChang, basis: .request(.mau04, received: f.day("2026-10-03"))),
            by: f.committee, on: "2026-10-03")
        try drive.apply(
            .listHousehold(id: "HH-5", village: f.naHin, basis: .request(.mau01, received: f.day("2026-10-03"))),
            by: f.committee, on: "2026-10-03")
        if self == .adHocListing { return drive }
        if self == .adHocRefused {
            for id in ["HH-3", "HH-5"] {
                try drive.apply(
                    .refuseRequest(
                        household: id, reference: "CV 90/UBND", date: f.day("2026-10-20"), reasons: "Không đủ điều kiện"
                    ),
                    by: f.communeChair, on: "2026-10-20")
            }
            return drive
        }
        try drive.apply(
            .recordSurvey(household: "HH-3", figures: f.escapedFigures, area: f.rural), by: f.reviewerKhuoiChang,
            on: "2026-10-15")
        if self == .adHocSurvey { return drive }
        try drive.apply(
            .recordMeeting(
                VillageMeeting(
                    village: f.khuoiChang, held: f.day("2026-10-16"), attendees: 20, agreeing: 15, minutes: "BB 11")),
            by: f.committee, on: "2026-10-16")
        try drive.apply(
            .recordSurvey(household: "HH-5", figures: f.poorFigures07, area: f.rural), by: f.reviewerNaHin,
            on: "2026-10-16")
        if self == .adHocMeetings { return drive }
        try drive.apply(
            .recordMeeting(
                VillageMeeting(
                    village: f.naHin, held: f.day("2026-10-17"), attendees: 20, agreeing: 10, minutes: "BB 12")),
            by: f.committee, on: "2026-10-17")
        if self == .adHocMeetingsReady { return drive }
        try drive.apply(.openPosting, by: f.committee, on: "2026-10-20")
        try drive.apply(
            .recordComplaint(household: "HH-5", received: f.day("2026-10-21"), summary: "Khiếu nại"), by: f.committee,
            on: "2026-10-21")
        if self == .adHocPosting { return drive }
        try drive.apply(.answerComplaint(id: "K-1", answer: "Giữ nguyên"), by: f.committee, on: "2026-10-22")
        if self == .adHocPostingReady { return drive }
        try drive.apply(.closePosting, by: f.committee, on: "2026-10-26")
        if self == .adHocDecision { return drive }
        try drive.apply(
            .decide(number: "QĐ 330/QĐ-UBND", date: f.day("2026-10-27")), by: f.communeChair, on: "2026-10-27")
        return drive
    }
}
