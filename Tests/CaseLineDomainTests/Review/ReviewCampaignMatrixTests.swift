import CaseLineDomain
import Testing

/// Every stage × every input × every kind of person, generated: the inputs the law allows at a stage succeed
/// when given by the right person, the others are refused as out of order (`INVALID-TRANSITION`), and the
/// wrong person is refused whatever the stage (`FORBIDDEN`).
@Suite struct ReviewCampaignMatrixTests {
    /// The permission table of QĐ 24/2021/QĐ-TTg, written out again by hand: at which stages each input is
    /// accepted, for a periodic review. An ad-hoc review has no plan and no opinion stage, and only it refuses
    /// requests in writing.
    static let acceptedAt: [ReviewInputKind: Set<CampaignStage>] = [
        .plan: [.plan],
        .listHousehold: [.listing, .survey],
        .recordSurvey: [.listing, .survey, .meetings, .posting],
        .recordMeeting: [.survey, .meetings],
        .openPosting: [.meetings],
        .recordComplaint: [.posting],
        .answerComplaint: [.posting],
        .closePosting: [.posting],
        .recordOpinion: [.opinion],
        .decide: [.decision],
        .refuseRequest: [.listing, .survey, .meetings, .posting, .decision],
        .issueCertificates: [.certificates],
    ]

    static let givenBy: [ReviewInputKind: ActorKind] = [
        .plan: .committee, .listHousehold: .committee, .recordSurvey: .committee, .recordMeeting: .committee,
        .openPosting: .committee, .recordComplaint: .committee, .answerComplaint: .committee,
        .closePosting: .committee, .recordOpinion: .higherLevelChair, .decide: .communeChair,
        .refuseRequest: .communeChair, .issueCertificates: .communeChair,
    ]

    static func accepted(_ input: ReviewInputKind, _ stage: CampaignStage, _ kind: CampaignKind) -> Bool {
        if kind == .adHoc, [.plan, .opinion].contains(stage) { return false }
        if input == .refuseRequest, kind == .periodic { return false }
        return acceptedAt[input]?.contains(stage) == true
    }

    /// Points where an input the stage accepts still has nothing to act on: the step's own order rules refuse.
    static let notYet: Set<String> = [
        "meetings/open-posting", "adHocMeetings/open-posting", "posting/close-posting",
        "adHocPosting/close-posting", "meetingsReady/record-survey", "meetingsReady/record-meeting",
        "adHocMeetingsReady/record-survey", "adHocMeetingsReady/record-meeting", "postingReady/record-survey",
        "postingReady/answer-complaint", "adHocPostingReady/record-survey", "adHocPostingReady/answer-complaint",
    ]

    /// A payload that would be right at this point.
    static func input(_ kind: ReviewInputKind, at point: Checkpoint) -> ReviewInput {
        let f = ReviewFixtures.self
        let today = f.day(point.today)
        let adHoc = point.kind == .adHoc
        switch kind {
        case .plan:
            return .plan(f.plan)
        case .listHousehold:
            return .listHousehold(
                id: "HH-9", village: f.naHin,
                basis: adHoc ? .request(.mau01, received: today) : .currentList(.poor))
        case .recordSurvey:
            let household: String
            switch point {
            case .survey, .meetings: household = "HH-3"
            case .posting: household = "HH-2"
            case .adHocListing: household = "HH-3"
            case .adHocSurvey, .adHocMeetings, .adHocPosting: household = "HH-5"
            default: household = adHoc ? "HH-5" : "HH-1"
            }
            return .recordSurvey(
                household: household, figures: adHoc ? f.poorFigures07 : f.poorFigures, area: f.rural)
        case .recordMeeting:
            let village: String
            switch point {
            case .meetings, .adHocSurvey: village = f.khuoiChang
            default: village = f.naHin
            }
            return .recordMeeting(
                VillageMeeting(village: village, held: today, attendees: 30, agreeing: 20, minutes: "BB 99"))
        case .openPosting:
            return .openPosting
        case .recordComplaint:
            return .recordComplaint(household: adHoc ? "HH-3" : "HH-1", received: today, summary: "Khiếu nại")
        case .answerComplaint:
            return .answerComplaint(id: "K-1", answer: "Đã trả lời")
        case .closePosting:
            return .closePosting
        case .recordOpinion:
            return .recordOpinion(reference: "CV 1", date: today, agrees: true, note: "")
        case .decide:
            return .decide(number: "QĐ 1", date: today)
        case .refuseRequest:
            return .refuseRequest(household: "HH-3", reference: "CV 2", date: today, reasons: "Không đủ điều kiện")
        case .issueCertificates:
            return .issueCertificates(households: nil, nextNumber: 1)
        }
    }

    /// The person who gives the input at this point (for a survey: the reviewer of the household's village).
    static func rightActor(_ input: ReviewInput) -> ReviewActor {
        let f = ReviewFixtures.self
        switch input.kind {
        case .recordOpinion: return f.provinceChair
        case .decide, .refuseRequest, .issueCertificates: return f.communeChair
        case .recordSurvey:
            if case .recordSurvey(let household, _, _) = input, ["HH-1", "HH-2", "HH-5"].contains(household) {
                return f.reviewerNaHin
            }
            return f.reviewerKhuoiChang
        default: return f.committee
        }
    }

    static let campaigns: [Checkpoint: Drive] = {
        var built: [Checkpoint: Drive] = [:]
        for point in Checkpoint.allCases {
            do {
                built[point] = try point.build()
            } catch {
                Issue.record("building \(point): \(error)")
            }
        }
        return built
    }()

    @Test func everyCheckpointIsAtItsStage() throws {
        let expected: [Checkpoint: CampaignStage] = [
            .opened: .plan, .listing: .listing, .survey: .survey, .meetings: .meetings, .meetingsReady: .meetings,
            .posting: .posting, .postingReady: .posting, .opinion: .opinion, .decision: .decision,
            .certificates: .certificates, .adHocListing: .listing, .adHocSurvey: .survey,
            .adHocMeetings: .meetings, .adHocMeetingsReady: .meetings, .adHocPosting: .posting,
            .adHocPostingReady: .posting, .adHocDecision: .decision, .adHocCertificates: .certificates,
            .adHocRefused: .refused,
        ]
        for point in Checkpoint.allCases {
            let drive = try #require(Self.campaigns[point])
            #expect(drive.campaign.stage == expected[point], "\(point)")
            #expect(drive.campaign.kind == point.kind)
        }
    }

    @Test func theBuiltInTableIsTheLaw() {
        for standard in [StandardDescription.nd07, .nd351] {
            let machine = ReviewCampaignMachine(standard: standard, calendar: ReviewFixtures.calendar)
            for input in ReviewInputKind.allCases {
                #expect(standard.procedure.rule(for: input)?.actors.contains(Self.givenBy[input] ?? .reviewer) == true)
                for stage in CampaignStage.allCases {
                    for kind in CampaignKind.allCases {
                        #expect(
                            machine.accepts(input, at: stage, kind: kind) == Self.accepted(input, stage, kind),
                            "\(standard.id) \(input.rawValue) at \(stage.rawValue) (\(kind.rawValue))")
                    }
                }
            }
        }
    }

    @Test(arguments: Checkpoint.allCases, ReviewInputKind.allCases)
    func theRightPersonAtEveryStage(_ point: Checkpoint, _ kind: ReviewInputKind) throws {
        let drive = try #require(Self.campaigns[point])
        let input = Self.input(kind, at: point)
        let stage = drive.campaign.stage
        let succeeds = Self.accepted(kind, stage, point.kind) && !Self.notYet.contains("\(point)/\(kind.rawValue)")
        var actors = [Self.rightActor(input)]
        if kind == .recordSurvey { actors.append(ReviewFixtures.committee) }
        for actor in actors {
            let result = drive.machine.apply(input, to: drive.campaign, by: actor, on: ReviewFixtures.day(point.today))
            switch result {
            case .success(let step):
                #expect(succeeds, "\(point) \(kind.rawValue) by \(actor.login) should be refused")
                #expect(step.campaign.revision == drive.campaign.revision + 1)
                #expect(step.audit.hasPrefix(drive.campaign.name))
            case .failure(let error):
                #expect(!succeeds, "\(point) \(kind.rawValue) by \(actor.login): \(error)")
                #expect(error.code == .invalidTransition, "\(point) \(kind.rawValue) by \(actor.login): \(error)")
            }
        }
    }

    @Test(arguments: Checkpoint.allCases, ReviewInputKind.allCases)
    func everyoneElseIsForbiddenAtEveryStage(_ point: Checkpoint, _ kind: ReviewInputKind) throws {
        let drive = try #require(Self.campaigns[point])
        let input = Self.input(kind, at: point)
        let right = Self.rightActor(input)
        for actor in ReviewFixtures.everyone where actor.login != right.login {
            if kind != .recordSurvey, actor.login == ReviewFixtures.committee.login, Self.givenBy[kind] == .committee {
                continue
            }
            if kind == .recordSurvey, actor.login == ReviewFixtures.committee.login { continue }
            let result = drive.machine.apply(input, to: drive.campaign, by: actor, on: ReviewFixtures.day(point.today))
            guard case .failure(let error) = result else {
                Issue.record("\(point) \(kind.rawValue) by \(actor.login) succeeded")
                continue
            }
            // A reviewer of another village passes the role check and is refused at the household — unless the
            // stage refuses the survey first.
            let otherReviewer = kind == .recordSurvey && !actor.reviewerScopes.isEmpty
            let expected: DomainError.Code =
                otherReviewer && !Self.accepted(kind, drive.campaign.stage, point.kind)
                ? .invalidTransition : .forbidden
            #expect(error.code == expected, "\(point) \(kind.rawValue) by \(actor.login): \(error)")
        }
    }
}
