/// A household's assessment as a decided campaign leaves it: kept per (household, review year, review kind,
/// campaign) with the standard's id and revision, the raw form figures, the area and the resulting class — all
/// a later reader needs to reproduce the year's list exactly, or to explain it, without recomputing under a
/// later rule. Written only by a decision (`ReviewEffect.recordAssessment`); never overwritten: a correction is
/// a later ad-hoc campaign's assessment, and the list in force is the latest decided one (`EffectiveList`).
public struct ReviewAssessment: Sendable, Hashable, Codable {
    public var household: String
    public var campaign: String
    public var kind: CampaignKind
    /// The year the review was held.
    public var reviewYear: Int
    /// The year whose list it sets.
    public var listYear: Int
    public var commune: String
    public var village: String
    public var basis: ListingBasis
    public var survey: HouseholdSurvey
    public var decision: ReviewDecision
    /// Persons in the household (head included) when the decision was recorded, as the store counted them:
    /// the lists report people as well as households. Nil until stored.
    public var persons: Int?

    public init(
        household: String, campaign: String, kind: CampaignKind, reviewYear: Int, listYear: Int, commune: String,
        village: String, basis: ListingBasis, survey: HouseholdSurvey, decision: ReviewDecision, persons: Int? = nil
    ) {
        self.persons = persons
        self.household = household
        self.campaign = campaign
        self.kind = kind
        self.reviewYear = reviewYear
        self.listYear = listYear
        self.commune = commune
        self.village = village
        self.basis = basis
        self.survey = survey
        self.decision = decision
    }

    public var classification: ReviewClass { survey.classification.result }
}

/// The list in force for a year, from the assessments decided for it.
public enum EffectiveList {
    /// Each household's class for `listYear`: the assessment with the latest decision (date, then campaign id
    /// in creation order: `RC-9` before `RC-10`) wins, so an ad-hoc correction replaces the periodic result
    /// without either being changed.
    public static func resolve(_ assessments: [ReviewAssessment], listYear: Int) -> [String: ReviewAssessment] {
        var latest: [String: ReviewAssessment] = [:]
        for assessment in assessments where assessment.listYear == listYear {
            if let current = latest[assessment.household], !isLater(assessment, than: current) { continue }
            latest[assessment.household] = assessment
        }
        return latest
    }

    static func isLater(_ a: ReviewAssessment, than b: ReviewAssessment) -> Bool {
        if a.decision.date != b.decision.date { return a.decision.date > b.decision.date }
        return (a.campaign.count, a.campaign) > (b.campaign.count, b.campaign)
    }
}
