import CaseLineDomain
import CaseLineStore
import Foundation
import Testing

/// Review campaigns, the assessments and certificates their decisions keep, office holdings and review
/// deadline notices: what every backend must keep of them, whatever the machine that produces the steps.
/// Steps are built by hand here, so the store is judged on what it is given, not on the procedure.
@Suite("Store contract: reviews and offices")
struct ReviewContractTests {
    static let day = CivilDate(year: 2026, month: 9, day: 10)!
    static let chairman = OfficeSignature(office: .communeChairman(Fixture.commune), login: "chutich")

    static func campaign(
        _ id: String, kind: CampaignKind = .periodic, commune: String = Fixture.commune, reviewYear: Int = 2026,
        start: CivilDate = day
    ) -> ReviewCampaign {
        ReviewCampaign(
            id: id, kind: kind, commune: commune, higherLevelUnits: HigherLevelUnits(province: "19"),
            reviewYear: reviewYear, listYear: kind == .periodic ? reviewYear + 1 : reviewYear,
            standardID: "nd351-2025", standardRevision: 1, stage: .plan, opened: day, reviewStart: start,
            decisionDue: CivilDate(year: reviewYear, month: 12, day: 14)!)
    }

    static func opening(_ campaign: ReviewCampaign, events: [EventDraft] = []) -> ReviewOpening {
        ReviewOpening(
            step: ReviewStep(campaign: campaign, effects: [], events: [], audit: "opened"),
            audit: Fixture.entry("review:-", "opened", events: events))
    }

    static func assessment(_ household: String, campaign: String, listYear: Int = 2027, date: CivilDate = day)
        -> ReviewAssessment
    {
        let area = AreaDerivation.Derived(area: .rural, source: .unitType("xa"))
        let classification = Classification(
            result: .poor, standardID: "nd351-2025", standardRevision: 1, area: .rural,
            deprived: ["housing-quality", "latrine", "drinking-water"], scoreB: 30, reasons: [], unverifiedFigures: [])
        return ReviewAssessment(
            household: household, campaign: campaign, kind: .periodic, reviewYear: listYear - 1, listYear: listYear,
            commune: Fixture.commune, village: "Bản Nà", basis: .currentList(.poor),
            survey: HouseholdSurvey(
                figures: SurveyFigures(
                    scoreA: 120, scoreB: 30, deprived: ["housing-quality", "latrine", "drinking-water"]),
                area: area, classification: classification, by: "canbo", on: day),
            decision: ReviewDecision(number: "45/QĐ-UBND", date: date, signature: chairman))
    }

    static func certificate(_ sequence: Int, household: String, campaign: String) -> PovertyCertificate {
        PovertyCertificate(
            number: CertificateNumber(sequence: sequence), commune: Fixture.commune, household: household,
            classification: .poor, listYear: 2027, campaign: campaign, issued: day, signature: chairman)
    }

    @Test(arguments: StoreBackend.all)
    func aCampaignIsOpenedOncePerCommuneAndYearUnderTheIDTheStoreGives(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            let draft = EventDraft(
                .reviewOpened, province: "19", commune: Fixture.commune, details: [EventDetail("campaign", "RC-1")],
                concerns: ["canbo"])
            let opened = try await store.openReviewCampaign(
                claim: Fixture.claim("rc1"), build: { id in Self.opening(Self.campaign(id), events: [draft]) })
            #expect(opened.id == "RC-1" && opened.revision == 1)
            #expect(try await store.reviewCampaign(id: "RC-1") == opened)
            #expect(try await store.reviewCampaign(id: "RC-2") == nil)
            #expect(try await store.reviewCampaign(id: "T-1") == nil)
            #expect(try await store.idempotencyRecord(login: "admin", key: "rc1", maxAge: 60)?.entity == "review:RC-1")
            #expect(try await store.auditRecords(entity: "review:RC-1", limit: 5, offset: 0).count == 1)
            #expect(try await store.events(after: 0, through: nil, limit: 10).map(\.draft.type) == [.reviewOpened])

            // The rule is the store's, not the caller's: a second periodic review of the commune and year.
            try await expectRefused(.alreadyExists, details: ["campaign": "RC-1"], by: store) {
                try await store.openReviewCampaign(claim: nil, build: { id in Self.opening(Self.campaign(id)) })
            }
            // A builder that refuses writes nothing.
            try await expectRefused(.invalid, by: store) {
                try await store.openReviewCampaign(
                    claim: nil, build: { _ in throw DomainError(.invalid, "the machine refused") })
            }
            let ad1 = try await store.openReviewCampaign(
                claim: nil, build: { id in Self.opening(Self.campaign(id, kind: .adHoc, start: Self.day)) })
            try await expectRefused(.alreadyExists, details: ["campaign": ad1.id], by: store) {
                try await store.openReviewCampaign(
                    claim: nil, build: { id in Self.opening(Self.campaign(id, kind: .adHoc, start: Self.day)) })
            }
            let other = try await store.openReviewCampaign(
                claim: nil, build: { id in Self.opening(Self.campaign(id, commune: Fixture.otherCommune)) })
            let next = try await store.openReviewCampaign(
                claim: nil, build: { id in Self.opening(Self.campaign(id, reviewYear: 2027)) })
            // Ids increase; a refused opening may or may not use one up (guarantee 7 allows gaps).
            let ids = [opened.id, ad1.id, other.id, next.id]
            let numbers = ids.compactMap { EntityID.number($0, prefix: "RC") }
            #expect(numbers.count == 4 && numbers == numbers.sorted() && Set(numbers).count == 4)
            #expect(try await store.reviewCampaigns(communes: nil, reviewYear: nil).map(\.id) == ids)
            #expect(
                try await store.reviewCampaigns(communes: [Fixture.commune], reviewYear: 2026).map(\.id) == [
                    opened.id, ad1.id,
                ])
            #expect(try await store.reviewCampaigns(communes: [], reviewYear: nil).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.all)
    func aStepIsSavedAgainstItsRevisionWithWhatItsDecisionKeeps(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            let household = try await store.createHousehold(
                Fixture.household(idNumber: nil), claim: nil, audit: Fixture.entry("household:-"))
            _ = try await store.addHouseholdMember(
                HouseholdMember(
                    household: household.id, name: "Lò Thị Mai", gender: .female, birth: "2010-05-01", relation: "con"),
                expectedRevision: 1, claim: nil, audit: Fixture.entry("household:\(household.id)"))
            let opened = try await store.openReviewCampaign(
                claim: nil, build: { id in Self.opening(Self.campaign(id)) })
            var decided = opened
            decided.stage = .certificates
            decided.revision = 2
            let step = ReviewStep(
                campaign: decided,
                effects: [
                    .recordAssessment(Self.assessment(household.id, campaign: opened.id)),
                    .armDeadline(ReviewDeadline(campaign: opened.id, kind: .decision, due: Self.day)),
                ], events: [], audit: "decided")
            try await expectRefused(.conflict, details: ["current": "1"], by: store) {
                try await store.saveReviewCampaign(step, expectedRevision: 5, audit: Fixture.entry("review:RC-1"))
            }
            var missing = step
            missing.campaign.id = "RC-9"
            try await expectRefused(.notFound, by: store) {
                try await store.saveReviewCampaign(missing, expectedRevision: 1, audit: Fixture.entry("review:RC-9"))
            }
            let saved = try await store.saveReviewCampaign(
                step, expectedRevision: 1, audit: Fixture.entry("review:RC-1", "decided"))
            #expect(saved.revision == 2 && saved.stage == .certificates)
            #expect(try await store.reviewCampaign(id: "RC-1") == saved)
            let kept = try await store.reviewAssessments(commune: Fixture.commune, household: nil, listYear: 2027)
            #expect(kept.count == 1)
            #expect(kept.first?.persons == 2, "the head and one member, counted at the write")
            #expect(kept.first?.survey.figures.scoreA == 120 && kept.first?.decision.number == "45/QĐ-UBND")
            #expect(try await store.reviewAssessments(commune: nil, household: household.id, listYear: nil).count == 1)
            #expect(try await store.reviewAssessments(commune: nil, household: nil, listYear: 2026).isEmpty)
            #expect(
                try await store.reviewAssessments(commune: Fixture.otherCommune, household: nil, listYear: nil).isEmpty)

            // Assessments and certificates are never written twice.
            var again = step
            again.campaign.revision = 3
            try await expectRefused(.alreadyExists, by: store) {
                try await store.saveReviewCampaign(again, expectedRevision: 2, audit: Fixture.entry("review:RC-1"))
            }
            #expect(try await store.nextCertificateSequence(commune: Fixture.commune, year: 2026) == 1)
            var certified = saved
            certified.revision = 3
            let first = ReviewStep(
                campaign: certified,
                effects: [.issueCertificate(Self.certificate(1, household: household.id, campaign: "RC-1"))],
                events: [], audit: "certified")
            _ = try await store.saveReviewCampaign(first, expectedRevision: 2, audit: Fixture.entry("review:RC-1"))
            #expect(try await store.nextCertificateSequence(commune: Fixture.commune, year: 2026) == 2)
            #expect(try await store.nextCertificateSequence(commune: Fixture.commune, year: 2027) == 1)
            #expect(try await store.nextCertificateSequence(commune: Fixture.otherCommune, year: 2026) == 1)
            var clash = first
            clash.campaign.revision = 4
            clash.effects = [.issueCertificate(Self.certificate(1, household: "HH-7", campaign: "RC-1"))]
            try await expectRefused(.alreadyExists, details: ["household": household.id], by: store) {
                try await store.saveReviewCampaign(clash, expectedRevision: 3, audit: Fixture.entry("review:RC-1"))
            }
            #expect(try await store.reviewCampaign(id: "RC-1")?.revision == 3, "a refused step leaves the campaign")
            #expect(
                try await store.povertyCertificates(campaign: "RC-1", household: nil).map(\.number.description) == [
                    "01/GCN-HN.HCN"
                ])
            #expect(try await store.povertyCertificates(campaign: nil, household: "HH-7").isEmpty)
        }
    }

    @Test(arguments: StoreBackend.all)
    func anOfficeIsHeldOverDaysThatDoNotOverlap(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            let holding = OfficeHolding(
                office: .communeChairman(Fixture.commune), login: "chutich",
                from: CivilDate(year: 2026, month: 1, day: 1)!)
            let kept = try await store.assignOffice(holding, audit: Fixture.entry("office:-", "appointed"))
            #expect(kept.id == "OF-1" && kept.login == "chutich" && kept.through == nil)
            #expect(try await store.auditRecords(entity: "office:OF-1", limit: 5, offset: 0).count == 1)
            try await expectRefused(.invalid, by: store) {
                try await store.assignOffice(
                    OfficeHolding(
                        office: .communeChairman(Fixture.commune), login: "chutich",
                        from: CivilDate(year: 2026, month: 6, day: 1)!), audit: Fixture.entry("office:-"))
            }
            let deputy = try await store.assignOffice(
                OfficeHolding(
                    office: .communeChairman(Fixture.commune), login: "pho", from: Self.day, onBehalfOf: "chutich"),
                audit: Fixture.entry("office:-"))
            #expect(deputy.id == "OF-2" && deputy.onBehalfOf == "chutich")
            #expect(try await store.officeHoldings(unit: Fixture.commune, login: nil).map(\.id) == ["OF-1", "OF-2"])
            #expect(try await store.officeHoldings(unit: nil, login: "pho").map(\.id) == ["OF-2"])
            #expect(try await store.officeHoldings(unit: Fixture.otherCommune, login: nil).isEmpty)
            try await expectRefused(.invalid, by: store) {
                try await store.endOffice(
                    id: "OF-1", through: CivilDate(year: 2025, month: 12, day: 31)!, audit: Fixture.entry("office:OF-1")
                )
            }
            let ended = try await store.endOffice(
                id: "OF-1", through: CivilDate(year: 2026, month: 6, day: 30)!, audit: Fixture.entry("office:OF-1"))
            #expect(ended.through == CivilDate(year: 2026, month: 6, day: 30))
            try await expectRefused(.invalid, by: store) {
                try await store.endOffice(id: "OF-1", through: Self.day, audit: Fixture.entry("office:OF-1"))
            }
            try await expectRefused(.notFound, by: store) {
                try await store.endOffice(id: "OF-9", through: Self.day, audit: Fixture.entry("office:OF-9"))
            }
            // After its end, the same person may hold it again.
            let back = try await store.assignOffice(
                OfficeHolding(
                    office: .communeChairman(Fixture.commune), login: "chutich",
                    from: CivilDate(year: 2026, month: 7, day: 1)!), audit: Fixture.entry("office:-"))
            #expect(back.id == "OF-3")
        }
    }

    @Test(arguments: StoreBackend.all)
    func aCampaignsDeadlineNoticeIsRaisedOnce(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, clock in
            let opened = try await store.openReviewCampaign(
                claim: nil, build: { id in Self.opening(Self.campaign(id)) })
            let notice = DeadlineNotice(
                task: opened.id, kind: .soon, due: "2026-12-14",
                event: EventDraft(
                    .reviewDeadlineSoon, province: "19", commune: Fixture.commune,
                    details: [EventDetail("campaign", opened.id)], concerns: []))
            #expect(try await store.recordDeadlines([notice], at: clock.now) == 1)
            #expect(try await store.recordDeadlines([notice], at: clock.now) == 0)
            var overdue = notice
            overdue.kind = .overdue
            #expect(try await store.recordDeadlines([overdue], at: clock.now) == 1)
            let types = try await store.events(after: 0, through: nil, limit: 10).map(\.draft.type)
            #expect(types.filter { $0 == .reviewDeadlineSoon }.count == 2)
        }
    }

    static func imported(_ key: String, fingerprint: String = "f1", idNumber: String? = nil, existing: String? = nil)
        -> HouseholdImport
    {
        HouseholdImport(
            key: "02014/\(key)", fingerprint: fingerprint, existing: existing,
            household: Fixture.household(idNumber: idNumber),
            members: [
                HouseholdMember(
                    household: "", name: "Lò Thị Mai", gender: .female, birth: "2010-05-01", relation: "con",
                    ethnicity: "Thái")
            ], lines: [2, 3])
    }

    @Test(arguments: StoreBackend.all)
    func anImportIsWrittenWholeOnceAndNeverHalfway(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            let opened = try await store.openReviewCampaign(
                claim: nil, build: { id in Self.opening(Self.campaign(id)) })
            let file = [Self.imported("NH-01", idNumber: "001080012345"), Self.imported("NH-02")]
            let batch = Fixture.entry("review:\(opened.id)", "import of sheet.csv")
            // A dry run counts and keeps nothing.
            let before = try await Footprint(store)
            let dry = try await store.importHouseholds(
                file, campaignRevision: opened.revision, dryRun: true, audit: batch, then: { _ in ImportSteps() })
            #expect(dry.created == ["02014/NH-01", "02014/NH-02"] && dry.members == 2)
            #expect(try await Footprint(store) == before)
            #expect(try await store.households(communes: nil).isEmpty)

            // The import, with the campaign step it makes from the ids the store gave.
            let campaign = opened
            let done = try await store.importHouseholds(
                file, campaignRevision: opened.revision, dryRun: false, audit: batch,
                then: { ids in
                    var next = campaign
                    next.revision += 1
                    for id in ids.values.sorted() {
                        next.households[id] = CampaignHousehold(
                            id: id, village: "Bản Nà", basis: .request(.mau01, received: Self.day))
                    }
                    return ImportSteps(
                        update: ReviewOpening(
                            step: ReviewStep(campaign: next, effects: [], events: [], audit: "imported"),
                            audit: Fixture.entry("review:\(campaign.id)", "imported")))
                })
            #expect(done.created.count == 2 && done.unchanged.isEmpty && done.members == 2)
            let ids = Set(done.ids.values)
            #expect(ids.count == 2 && ids.allSatisfy { $0.hasPrefix("HH-") })
            #expect(done.campaign?.revision == 2 && done.campaign?.households.count == 2)
            #expect(try await store.reviewCampaign(id: opened.id)?.households.count == 2)
            let households = try await store.households(communes: [Fixture.commune])
            #expect(households.count == 2 && households.allSatisfy { $0.size == 2 })
            for id in ids {
                #expect(try await store.auditRecords(entity: "household:\(id)", limit: 5, offset: 0).count == 1)
                #expect(try await store.householdMembers(household: id).first?.ethnicity == "Thái")
            }

            // Again: nothing changes, nothing is written.
            let after = try await Footprint(store)
            let again = try await store.importHouseholds(
                file, campaignRevision: 2, dryRun: false, audit: batch, then: { _ in ImportSteps() })
            #expect(again.created.isEmpty && again.unchanged.count == 2 && again.ids == done.ids)
            #expect(try await Footprint(store) == after)

            // A changed sheet, a number that is someone else's, a household that is not there, a stale
            // campaign: each refuses the whole file.
            let nh01 = try #require(done.ids["02014/NH-01"])
            try await expectRefused(.conflict, details: ["household": nh01], by: store) {
                try await store.importHouseholds(
                    [Self.imported("NH-03"), Self.imported("NH-01", fingerprint: "f2", idNumber: "001080012345")],
                    campaignRevision: 2, dryRun: false, audit: batch, then: { _ in ImportSteps() })
            }
            try await expectRefused(.alreadyExists, details: ["household": nh01], by: store) {
                try await store.importHouseholds(
                    [Self.imported("NH-04"), Self.imported("NH-05", idNumber: "001080012345")],
                    campaignRevision: 2, dryRun: false, audit: batch, then: { _ in ImportSteps() })
            }
            try await expectRefused(.notFound, by: store) {
                try await store.importHouseholds(
                    [Self.imported("NH-06"), Self.imported("HH-99", existing: "HH-99")], campaignRevision: 2,
                    dryRun: false, audit: batch, then: { _ in ImportSteps() })
            }
            try await expectRefused(.conflict, details: ["current": "2"], by: store) {
                try await store.importHouseholds(
                    [Self.imported("NH-07")], campaignRevision: 1, dryRun: false, audit: batch,
                    then: { _ in
                        var stale = campaign
                        stale.revision = 2
                        return ImportSteps(
                            update: ReviewOpening(
                                step: ReviewStep(campaign: stale, effects: [], events: [], audit: "x"),
                                audit: Fixture.entry("review:\(campaign.id)")))
                    })
            }
            #expect(try await store.households(communes: nil).count == 2, "no refused file left a household")
        }
    }

    /// An import may open campaigns too (the decided lists of past years): in the same transaction as its
    /// households, with the persons the list counted, or not at all.
    @Test(arguments: StoreBackend.all)
    func anImportOpensPastListsWithItsHouseholdsOrNothing(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            @Sendable func past(_ id: String, _ household: String) -> ReviewOpening {
                var campaign = Self.campaign(id, commune: "legacy:02017", reviewYear: 2021)
                campaign.stage = .certificates
                var assessment = Self.assessment(household, campaign: id, listYear: 2022)
                assessment.commune = "legacy:02017"
                assessment.persons = 5
                campaign.decision = assessment.decision
                return ReviewOpening(
                    step: ReviewStep(
                        campaign: campaign, effects: [.recordAssessment(assessment)], events: [], audit: "x"),
                    audit: Fixture.entry("review:-", "imported list"))
            }
            let batch = Fixture.entry("review:-", "import of lists.csv")
            let before = try await Footprint(store)
            try await expectRefused(.alreadyExists, by: store) {
                try await store.importHouseholds(
                    [Self.imported("NH-20")], campaignRevision: nil, dryRun: false, audit: batch,
                    then: { ids in
                        let id = ids["02014/NH-20"] ?? ""
                        return ImportSteps(open: [{ past($0, id) }, { past($0, id) }])
                    })
            }
            #expect(try await Footprint(store) == before)
            #expect(try await store.households(communes: nil).isEmpty, "the second list's refusal undid the household")
            let done = try await store.importHouseholds(
                [Self.imported("NH-20")], campaignRevision: nil, dryRun: false, audit: batch,
                then: { ids in ImportSteps(open: [{ past($0, ids["02014/NH-20"] ?? "") }]) })
            #expect(done.opened.count == 1 && done.opened.first?.commune == "legacy:02017")
            let household = try #require(done.ids["02014/NH-20"])
            let kept = try await store.reviewAssessments(commune: "legacy:02017", household: nil, listYear: 2022)
            #expect(kept.map(\.household) == [household])
            #expect(kept.first?.persons == 5, "the persons the list counted, not the register's")
            #expect(try await store.reviewCampaigns(communes: ["legacy:02017"], reviewYear: 2021).count == 1)
        }
    }
}
