import CaseLineDomain
import Foundation
import Testing

/// The campaign machine's rules one by one, and the whole procedure end to end: the periodic review of 2026 in
/// Xã Bạch Thông, then an ad-hoc correction in January 2027.
@Suite struct ReviewCampaignTests {
    typealias F = ReviewFixtures

    @Test func thePeriodicReviewOf2026EndToEnd() throws {
        let drive = try Checkpoint.certificates.build()
        var campaign = drive.campaign
        #expect(campaign.standardID == "nd351-2025", "the review of 2026 sets the 2027 lists")
        #expect(campaign.listYear == 2027 && campaign.reviewYear == 2026)
        #expect(campaign.reviewStart == F.day("2026-09-01") && campaign.decisionDue == F.day("2026-12-14"))
        #expect(campaign.meetings.map(\.minutes) == ["BB 01", "BB 02", "BB 03"])
        #expect(campaign.households["HH-3"]?.surveyRounds == 2, "Khuổi Chang was surveyed again after 40 %")
        #expect(campaign.households["HH-2"]?.surveyRounds == 2, "re-checked after the complaint")
        #expect(
            campaign.posting
                == Posting(opened: F.day("2026-11-02"), lastDay: F.day("2026-11-05"), closed: F.day("2026-11-06")))
        #expect(campaign.opinion?.signature.office == .chairman(of: .province, unit: "19"))
        #expect(campaign.decision?.signature == OfficeSignature(office: .communeChairman("02014"), login: "lan"))
        #expect(campaign.orderedHouseholds.allSatisfy { $0.state == .decided })

        let decided = try #require(drive.steps.last)
        let assessments = decided.effects.compactMap { effect -> ReviewAssessment? in
            if case .recordAssessment(let assessment) = effect { return assessment }
            return nil
        }
        #expect(
            Dictionary(uniqueKeysWithValues: assessments.map { ($0.household, $0.classification) }) == [
                "HH-1": .poor, "HH-2": .nearPoor, "HH-3": .poor, "HH-4": .none,
            ])
        #expect(assessments.allSatisfy { $0.decision.number == "QĐ 301/QĐ-UBND" && $0.listYear == 2027 })
        #expect(assessments.allSatisfy { $0.survey.classification.standardID == "nd351-2025" })
        #expect(decided.effects.contains(.disarmDeadlines(campaign: "RC-1")))
        #expect(decided.events.first?.kind == .decided && decided.events.first?["poor"] == "2")

        // Certificates for the poor and near-poor, numbered for the commune's year of issue.
        let machine = drive.machine
        let issued = try machine.apply(
            .issueCertificates(households: nil, nextNumber: 1), to: campaign, by: F.communeChair,
            on: F.day("2026-12-05")
        ).get()
        let certificates = issued.effects.compactMap { effect -> PovertyCertificate? in
            if case .issueCertificate(let certificate) = effect { return certificate }
            return nil
        }
        #expect(certificates.map(\.household) == ["HH-1", "HH-2", "HH-3"])
        #expect(certificates.map(\.number.description) == ["01/GCN-HN.HCN", "02/GCN-HN.HCN", "03/GCN-HN.HCN"])
        #expect(certificates.allSatisfy { $0.commune == "02014" && $0.issued.year == 2026 && $0.listYear == 2027 })
        campaign = issued.campaign
        let again = machine.apply(
            .issueCertificates(households: nil, nextNumber: 4), to: campaign, by: F.communeChair,
            on: F.day("2026-12-06"))
        #expect(throws: DomainError.self) { try again.get() }
        let notPoor = machine.apply(
            .issueCertificates(households: ["HH-4"], nextNumber: 4), to: campaign, by: F.communeChair,
            on: F.day("2026-12-06"))
        #expect(Self.code(notPoor) == .invalid)

        // Frozen: nothing but certificates after the decision, whoever asks.
        for (input, actor) in [
            (ReviewInput.recordSurvey(household: "HH-4", figures: F.poorFigures, area: F.rural), F.committee),
            (.decide(number: "QĐ 302", date: F.day("2026-12-06")), F.communeChair),
            (.listHousehold(id: "HH-7", village: F.naHin, basis: .currentList(.poor)), F.committee),
        ] {
            let result = machine.apply(input, to: campaign, by: actor, on: F.day("2026-12-06"))
            #expect(Self.code(result) == .invalidTransition)
            if case .failure(let error) = result { #expect(error.message.contains("frozen")) }
        }

        // An ad-hoc correction the next month: HH-4 asks to be reviewed (Mẫu 01) on 5 January 2027.
        var correction = try Drive(.adHoc, on: "2027-01-05")
        #expect(correction.campaign.standardID == "nd351-2025" && correction.campaign.listYear == 2027)
        #expect(correction.campaign.reviewStart == F.day("2027-01-15"))
        #expect(correction.campaign.decisionDue == F.day("2027-01-30"))
        try correction.apply(
            .listHousehold(id: "HH-4", village: F.khuoiChang, basis: .request(.mau01, received: F.day("2027-01-05"))),
            by: F.committee, on: "2027-01-05")
        try correction.apply(
            .recordSurvey(household: "HH-4", figures: F.poorFigures, area: F.rural), by: F.reviewerKhuoiChang,
            on: "2027-01-15")
        try correction.apply(
            .recordMeeting(
                VillageMeeting(
                    village: F.khuoiChang, held: F.day("2027-01-16"), attendees: 25, agreeing: 20, minutes: "BB 21")),
            by: F.committee, on: "2027-01-16")
        try correction.apply(.openPosting, by: F.committee, on: "2027-01-18")
        try correction.apply(.closePosting, by: F.committee, on: "2027-01-22")
        #expect(correction.campaign.stage == .decision, "no higher-level opinion in an ad-hoc review")
        try correction.apply(
            .decide(number: "QĐ 12/QĐ-UBND", date: F.day("2027-01-26")), by: F.communeChair, on: "2027-01-26")
        let fixed = try correction.apply(
            .issueCertificates(households: nil, nextNumber: 1), by: F.communeChair, on: "2027-01-26")
        #expect(
            fixed.effects.contains { effect in
                if case .issueCertificate(let certificate) = effect {
                    return certificate.number.description == "01/GCN-HN.HCN"
                }
                return false
            })
        let corrected = correction.steps.flatMap(\.effects).compactMap { effect -> ReviewAssessment? in
            if case .recordAssessment(let assessment) = effect { return assessment }
            return nil
        }
        let list2027 = EffectiveList.resolve(assessments + corrected, listYear: 2027)
        #expect(
            list2027.mapValues(\.classification) == ["HH-1": .poor, "HH-2": .nearPoor, "HH-3": .poor, "HH-4": .poor])
        #expect(list2027["HH-4"]?.campaign == "RC-2" && list2027["HH-1"]?.campaign == "RC-1")
        #expect(EffectiveList.resolve(assessments + corrected, listYear: 2026).isEmpty)
    }

    static func code(_ result: Result<ReviewStep, DomainError>) -> DomainError.Code? {
        if case .failure(let error) = result { return error.code }
        return nil
    }

    // MARK: - Opening

    @Test func openingSetsTheWindowAndTheDeadline() throws {
        let periodic = try Drive(.periodic, on: "2026-09-10")
        #expect(periodic.campaign.stage == .plan)
        #expect(periodic.campaign.reviewStart == F.day("2026-09-10"))
        #expect(
            periodic.steps[0].effects == [
                .armDeadline(ReviewDeadline(campaign: "RC-1", kind: .decision, due: F.day("2026-12-14")))
            ])
        #expect(throws: DomainError.self) { try Drive(.periodic, on: "2026-12-15") }

        for (request, start, year, standard) in [
            ("2026-10-15", "2026-10-15", 2026, "nd07-2021"), ("2026-10-16", "2026-11-15", 2026, "nd07-2021"),
            ("2026-12-20", "2027-01-15", 2027, "nd351-2025"), ("2026-02-01", "2026-02-15", 2026, "nd07-2021"),
        ] {
            let adHoc = try Drive(.adHoc, on: request)
            #expect(adHoc.campaign.stage == .listing)
            #expect(adHoc.campaign.reviewStart == F.day(start), "\(request)")
            #expect(adHoc.campaign.decisionDue == F.day(start).adding(days: 15))
            #expect(adHoc.campaign.reviewYear == year && adHoc.campaign.standardID == standard, "\(request)")
        }
        let outsider = ReviewCampaignMachine.open(
            id: "RC-9", kind: .periodic, commune: F.commune, higherLevelUnits: F.units, catalog: .builtIn,
            by: F.reviewerNaHin, on: F.day("2026-09-01"))
        #expect(Self.code(outsider) == .forbidden)
    }

    @Test func theAdHocClockCanStartAtTheRequest() throws {
        var standard = StandardDescription.nd07
        standard.procedure.adHocClockStart = .request
        let catalog = StandardCatalog(standards: [standard, .nd351])
        let drive = try Drive(.adHoc, on: "2026-10-03", catalog: catalog)
        #expect(drive.campaign.reviewStart == F.day("2026-10-15"))
        #expect(drive.campaign.decisionDue == F.day("2026-10-18"))
    }

    @Test func aConfiguredMappingKeepsTheReviewOf2026UnderNd07() throws {
        var catalog = StandardCatalog.builtIn
        catalog.periodicOverrides = [2026: "nd07-2021"]
        let drive = try Drive(.periodic, on: "2026-09-01", catalog: catalog)
        #expect(drive.campaign.standardID == "nd07-2021" && drive.campaign.listYear == 2027)
    }

    @Test func aMachineForAnotherRevisionRefuses() throws {
        let drive = try Checkpoint.listing.build()
        var changed = StandardDescription.nd351
        changed.revision = 2
        let machine = ReviewCampaignMachine(standard: changed, calendar: F.calendar)
        let result = machine.apply(.openPosting, to: drive.campaign, by: F.committee, on: F.day("2026-09-02"))
        #expect(Self.code(result) == .invalid)
    }

    // MARK: - Survey

    @Test func reviewersSurveyTheirOwnVillageOnlyAndNotBeforeTheReviewStarts() throws {
        let drive = try Checkpoint.listing.build()
        let input = ReviewInput.recordSurvey(household: "HH-1", figures: F.poorFigures, area: F.rural)
        #expect(drive.refusal(input, by: F.reviewerKhuoiChang, on: "2026-09-02")?.code == .forbidden)
        #expect(drive.refusal(input, by: F.reviewerNaHin, on: "2026-08-31")?.code == .invalidTransition)
        #expect(drive.refusal(input, by: F.reviewerNaHin, on: "2026-09-02") == nil)
        let unknown = ReviewInput.recordSurvey(household: "HH-77", figures: F.poorFigures, area: F.rural)
        #expect(drive.refusal(unknown, by: F.committee, on: "2026-09-02")?.code == .notFound)
        let bad = ReviewInput.recordSurvey(
            household: "HH-1", figures: SurveyFigures(scoreA: 100, deprived: ["information-access"]), area: F.rural)
        #expect(drive.refusal(bad, by: F.committee, on: "2026-09-02")?.code == .invalid, "not an NĐ 351 indicator")
    }

    @Test func listingRules() throws {
        let drive = try Checkpoint.listing.build()
        let duplicate = ReviewInput.listHousehold(id: "HH-1", village: F.naHin, basis: .currentList(.poor))
        #expect(drive.refusal(duplicate, by: F.committee, on: "2026-09-02")?.code == .alreadyExists)
        let average = ReviewInput.listHousehold(id: "HH-8", village: F.naHin, basis: .currentList(.averageLiving))
        #expect(drive.refusal(average, by: F.committee, on: "2026-09-02")?.code == .invalid)
        let future = ReviewInput.listHousehold(
            id: "HH-8", village: F.naHin, basis: .request(.mau01, received: F.day("2026-09-03")))
        #expect(drive.refusal(future, by: F.committee, on: "2026-09-02")?.code == .invalid)
        let adHoc = try Checkpoint.adHocListing.build()
        let onList = ReviewInput.listHousehold(id: "HH-8", village: F.naHin, basis: .currentList(.poor))
        #expect(adHoc.refusal(onList, by: F.committee, on: "2026-10-15")?.code == .invalid)
    }

    // MARK: - Meetings

    @Test func aVillageMeetsOnlyOnceAllItsHouseholdsAreSurveyed() throws {
        var drive = try Checkpoint.survey.build()
        let early = ReviewInput.recordMeeting(
            VillageMeeting(village: F.khuoiChang, held: F.day("2026-09-20"), attendees: 30, agreeing: 30, minutes: "BB")
        )
        let error = try #require(drive.refusal(early, by: F.committee, on: "2026-09-20"))
        #expect(error.code == .invalidTransition && error.message.contains("HH-3, HH-4"))
        // The village's name as people type it.
        let folded = ReviewInput.recordMeeting(
            VillageMeeting(
                village: "thon na hin", held: F.day("2026-09-20"), attendees: 30, agreeing: 15, minutes: "BB"))
        let step = try drive.apply(folded, by: F.committee, on: "2026-09-20")
        #expect(step.campaign.households["HH-1"]?.state == .agreed, "exactly 50 % agrees")
        #expect(step.campaign.stage == .meetings)
    }

    @Test(arguments: [(40, 20, true), (40, 19, false), (39, 19, false), (39, 20, true), (1, 1, true), (1, 0, false)])
    func theFiftyPercentRule(_ row: (Int, Int, Bool)) throws {
        var drive = try Checkpoint.survey.build()
        let meeting = VillageMeeting(
            village: F.naHin, held: F.day("2026-09-20"), attendees: row.0, agreeing: row.1, minutes: "BB 05")
        let step = try drive.apply(.recordMeeting(meeting), by: F.committee, on: "2026-09-20")
        let expected: HouseholdReviewState = row.2 ? .agreed : .reSurvey
        #expect(
            step.campaign.households["HH-1"]?.state == expected && step.campaign.households["HH-2"]?.state == expected)
        #expect(step.events.first { $0.kind == .meeting }?[row.2 ? "agreed" : "re-survey"] == "2")
    }

    @Test func perHouseholdCountsAndBadMinutes() throws {
        var drive = try Checkpoint.survey.build()
        for broken in [
            VillageMeeting(village: F.naHin, held: F.day("2026-09-20"), attendees: 10, agreeing: 11, minutes: "BB"),
            VillageMeeting(village: F.naHin, held: F.day("2026-09-20"), attendees: 0, agreeing: 0, minutes: "BB"),
            VillageMeeting(village: F.naHin, held: F.day("2026-09-20"), attendees: 10, agreeing: 6, minutes: " "),
            VillageMeeting(village: F.naHin, held: F.day("2026-09-14"), attendees: 10, agreeing: 6, minutes: "BB"),
            VillageMeeting(village: F.naHin, held: F.day("2026-09-21"), attendees: 10, agreeing: 6, minutes: "BB"),
            VillageMeeting(
                village: F.naHin, held: F.day("2026-09-20"), attendees: 10, agreeing: 6,
                agreeingByHousehold: ["HH-3": 6],
                minutes: "BB"),
            VillageMeeting(
                village: "Thôn Không Có", held: F.day("2026-09-20"), attendees: 10, agreeing: 6, minutes: "BB"),
        ] {
            #expect(
                drive.refusal(.recordMeeting(broken), by: F.committee, on: "2026-09-20")?.code == .invalid, "\(broken)")
        }
        let split = VillageMeeting(
            village: F.naHin, held: F.day("2026-09-20"), attendees: 10, agreeing: 6, agreeingByHousehold: ["HH-2": 4],
            minutes: "BB 06")
        let step = try drive.apply(.recordMeeting(split), by: F.committee, on: "2026-09-20")
        #expect(step.campaign.households["HH-1"]?.state == .agreed)
        #expect(step.campaign.households["HH-2"]?.state == .reSurvey)
        // HH-2 must be surveyed again before Nà Hin meets again.
        let again = VillageMeeting(
            village: F.naHin, held: F.day("2026-09-21"), attendees: 10, agreeing: 9, minutes: "BB 07")
        #expect(drive.refusal(.recordMeeting(again), by: F.committee, on: "2026-09-21")?.code == .invalidTransition)
        try drive.apply(
            .recordSurvey(household: "HH-2", figures: F.escapedFigures, area: F.rural), by: F.reviewerNaHin,
            on: "2026-09-21")
        let met = try drive.apply(.recordMeeting(again), by: F.committee, on: "2026-09-21")
        #expect(met.campaign.households["HH-2"]?.state == .agreed)
        #expect(met.campaign.households["HH-2"]?.surveyRounds == 2)
    }

    // MARK: - Posting

    @Test func thePostingRunsItsWorkingDaysAndWaitsForEveryAnswer() throws {
        var drive = try Checkpoint.posting.build()
        #expect(
            drive.steps.flatMap(\.effects).contains(
                .armDeadline(ReviewDeadline(campaign: "RC-1", kind: .postingEnds, due: F.day("2026-11-05")))))
        #expect(
            drive.refusal(.closePosting, by: F.committee, on: "2026-11-05")?.code == .invalidTransition, "the last day")
        #expect(drive.refusal(.closePosting, by: F.committee, on: "2026-11-06")?.message.contains("K-1") == true)
        #expect(
            drive.refusal(.answerComplaint(id: "K-9", answer: "x"), by: F.committee, on: "2026-11-06")?.code
                == .notFound)
        #expect(
            drive.refusal(.answerComplaint(id: "K-1", answer: " "), by: F.committee, on: "2026-11-06")?.code == .invalid
        )
        let unknown = ReviewInput.recordComplaint(household: "HH-77", received: F.day("2026-11-04"), summary: "x")
        #expect(drive.refusal(unknown, by: F.committee, on: "2026-11-04")?.code == .notFound)
        let early = ReviewInput.recordComplaint(household: nil, received: F.day("2026-11-01"), summary: "x")
        #expect(drive.refusal(early, by: F.committee, on: "2026-11-04")?.code == .invalid)
        // Only a household under complaint is re-checked during the posting.
        let other = ReviewInput.recordSurvey(household: "HH-1", figures: F.poorFigures, area: F.rural)
        #expect(drive.refusal(other, by: F.committee, on: "2026-11-04")?.code == .invalidTransition)
        try drive.apply(
            .recordComplaint(household: nil, received: F.day("2026-11-04"), summary: "Chung"), by: F.committee,
            on: "2026-11-04")
        try drive.apply(.answerComplaint(id: "K-1", answer: "Giữ nguyên"), by: F.committee, on: "2026-11-05")
        #expect(
            drive.refusal(.answerComplaint(id: "K-1", answer: "lại"), by: F.committee, on: "2026-11-05")?.code
                == .invalidTransition)
        #expect(drive.refusal(.closePosting, by: F.committee, on: "2026-11-06")?.message.contains("K-2") == true)
        try drive.apply(.answerComplaint(id: "K-2", answer: "Đã giải thích"), by: F.committee, on: "2026-11-06")
        let closed = try drive.apply(.closePosting, by: F.committee, on: "2026-11-06")
        #expect(closed.campaign.stage == .opinion)
    }

    @Test func theOpeningWaitsForEveryVillage() throws {
        let drive = try Checkpoint.meetings.build()
        let error = try #require(drive.refusal(.openPosting, by: F.committee, on: "2026-10-05"))
        #expect(error.code == .invalidTransition && error.message.contains("HH-3"))
    }

    // MARK: - Offices

    @Test func theHigherLevelWasTheDistrictUntilJuly2025() throws {
        let machine = ReviewCampaignMachine(standard: .nd07, calendar: F.calendar)
        let campaign = try Checkpoint.opened.build().campaign
        #expect(machine.actorKinds(F.districtChair, in: campaign, on: F.day("2025-06-30")) == [.higherLevelChair])
        #expect(machine.actorKinds(F.districtChair, in: campaign, on: F.day("2025-07-01")).isEmpty)
        #expect(machine.actorKinds(F.provinceChair, in: campaign, on: F.day("2025-06-30")).isEmpty)
        #expect(machine.actorKinds(F.provinceChair, in: campaign, on: F.day("2025-07-01")) == [.higherLevelChair])
        #expect(machine.actorKinds(F.committee, in: campaign, on: F.day("2026-09-01")) == [.committee])
        #expect(machine.actorKinds(F.reviewerNaHin, in: campaign, on: F.day("2026-09-01")) == [.reviewer])
        #expect(machine.actorKinds(F.communeChair, in: campaign, on: F.day("2026-09-01")) == [.communeChair])
        #expect(machine.actorKinds(F.communeChair, in: campaign, on: F.day("2025-06-30")).isEmpty, "not yet in office")
    }

    @Test func anActingViceChairmanSignsOnBehalfOfTheChairman() throws {
        var drive = try Checkpoint.decision.build()
        let step = try drive.apply(
            .decide(number: "QĐ 301/QĐ-UBND", date: F.day("2026-12-01")), by: F.actingChair, on: "2026-12-01")
        #expect(step.campaign.decision?.signature.onBehalfOf == "lan")
        #expect(step.audit.contains("mai as chairman of commune 02014 (on behalf of lan)"))
    }

    /// A chairman whose term has ended may not sign a decision dated inside it: the signer must hold the office
    /// on the document's date and on the day the act is recorded.
    @Test func aFormerChairmanCannotSignABackdatedDecision() throws {
        let drive = try Checkpoint.decision.build()
        let former = ReviewActor(
            login: "lan",
            offices: [
                OfficeHolding(
                    office: .communeChairman(F.commune), login: "lan", from: F.day("2025-07-01"),
                    through: F.day("2026-12-01"))
            ])
        #expect(
            drive.refusal(.decide(number: "QĐ 9", date: F.day("2026-12-01")), by: former, on: "2026-12-02")?.code
                == .forbidden)
        #expect(
            drive.refusal(.decide(number: "QĐ 9", date: F.day("2026-12-01")), by: F.communeChair, on: "2026-12-02")
                == nil, "the chairman in office may")
    }

    @Test func theDecisionIsDatedAfterTheOpinionAndNotInTheFuture() throws {
        let drive = try Checkpoint.decision.build()
        #expect(
            drive.refusal(.decide(number: "QĐ 1", date: F.day("2026-11-19")), by: F.communeChair, on: "2026-12-01")?
                .code == .invalid)
        #expect(
            drive.refusal(.decide(number: "QĐ 1", date: F.day("2026-12-02")), by: F.communeChair, on: "2026-12-01")?
                .code == .invalid)
        #expect(
            drive.refusal(.decide(number: " ", date: F.day("2026-12-01")), by: F.communeChair, on: "2026-12-01")?.code
                == .invalid)
        // Dated before the chairman took office: the office decides, not the person.
        let before = ReviewActor(
            login: "lan",
            offices: [OfficeHolding(office: .communeChairman("02014"), login: "lan", from: F.day("2026-12-01"))])
        #expect(
            drive.refusal(.decide(number: "QĐ 1", date: F.day("2026-11-30")), by: before, on: "2026-12-01")?.code
                == .forbidden)
    }

    // MARK: - Ad-hoc

    @Test func refusingEveryRequestEndsTheCampaign() throws {
        let drive = try Checkpoint.adHocRefused.build()
        #expect(drive.campaign.stage == .refused)
        #expect(
            drive.campaign.households.values.allSatisfy {
                $0.state == .refused && $0.refusal?.reasons == "Không đủ điều kiện"
            })
        #expect(drive.steps.last?.effects.contains(.disarmDeadlines(campaign: "RC-2")) == true)
        #expect(ReviewCampaignMachine.notice(for: drive.campaign, today: F.day("2026-11-30"), soonDays: 3) == nil)
        var listing = try Checkpoint.adHocListing.build()
        let noReason = ReviewInput.refuseRequest(
            household: "HH-3", reference: "CV 9", date: F.day("2026-10-15"), reasons: "")
        #expect(listing.refusal(noReason, by: F.communeChair, on: "2026-10-15")?.code == .invalid)
        let one = try listing.apply(
            .refuseRequest(household: "HH-3", reference: "CV 9", date: F.day("2026-10-15"), reasons: "Thu nhập cao"),
            by: F.communeChair, on: "2026-10-15")
        #expect(one.campaign.stage == .listing, "HH-5 is still to be reviewed")
        let twice = ReviewInput.refuseRequest(
            household: "HH-3", reference: "CV 9", date: F.day("2026-10-15"), reasons: "x")
        #expect(listing.refusal(twice, by: F.communeChair, on: "2026-10-15")?.code == .invalidTransition)
    }

    @Test func theAdHocDeadlineIsExposed() throws {
        let listing = try Checkpoint.adHocListing.build().campaign
        #expect(listing.decisionDue == F.day("2026-10-30"))
        #expect(ReviewCampaignMachine.notice(for: listing, today: F.day("2026-10-26"), soonDays: 3) == nil)
        let soon = try #require(ReviewCampaignMachine.notice(for: listing, today: F.day("2026-10-27"), soonDays: 3))
        #expect(soon.kind == .soon && soon.event.kind == .deadlineSoon && soon.event["due"] == "2026-10-30")
        #expect(ReviewCampaignMachine.notice(for: listing, today: F.day("2026-10-30"), soonDays: 3)?.kind == .soon)
        #expect(ReviewCampaignMachine.notice(for: listing, today: F.day("2026-10-31"), soonDays: 3)?.kind == .overdue)
        let decided = try Checkpoint.adHocCertificates.build().campaign
        #expect(ReviewCampaignMachine.notice(for: decided, today: F.day("2026-11-30"), soonDays: 3) == nil)
        // A late decision is still taken, and says so.
        var late = try Checkpoint.adHocDecision.build()
        let step = try late.apply(
            .decide(number: "QĐ 9", date: F.day("2026-11-02")), by: F.communeChair, on: "2026-11-02")
        #expect(step.audit.contains("3 days late"))
    }

    // MARK: - Records

    @Test func eventsCarryNoHouseholdAndNoFreeText() throws {
        let drive = try Checkpoint.certificates.build()
        let allowed: Set<String> = [
            "campaign", "kind", "year", "stage", "listed", "surveyed", "agreed", "re-survey", "complaint", "open",
            "agrees", "poor", "near-poor", "average-living", "none", "left", "issued", "deadline", "due",
        ]
        for event in drive.steps.flatMap(\.events) {
            #expect(event.details.first?.key == "campaign")
            for detail in event.details {
                #expect(allowed.contains(detail.key), "\(event.kind.rawValue) \(detail.key)")
                #expect(!detail.value.contains("HH-") && !detail.value.contains(" "), "\(detail.value)")
            }
        }
        #expect(drive.steps.allSatisfy { $0.audit.hasPrefix("review RC-1 (periodic 2026, commune 02014)") })
    }

    @Test func aCampaignRoundTripsThroughJSON() throws {
        let campaign = try Checkpoint.certificates.build().campaign
        let data = try JSONEncoder().encode(campaign)
        #expect(try JSONDecoder().decode(ReviewCampaign.self, from: data) == campaign)
    }

    @Test func certificateNumbers() {
        #expect(CertificateNumber(sequence: 1).description == "01/GCN-HN.HCN")
        #expect(CertificateNumber(sequence: 12).description == "12/GCN-HN.HCN")
        #expect(CertificateNumber(sequence: 105).description == "105/GCN-HN.HCN")
        #expect(CertificateNumber("07/GCN-HN.HCN") == CertificateNumber(sequence: 7))
        for bad in ["", "0/GCN-HN.HCN", "x/GCN", "12", "12/", "1 2/GCN", "12/GCN HN"] {
            #expect(CertificateNumber(bad) == nil, "\(bad)")
        }
    }
}
