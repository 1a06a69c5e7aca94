/// One household inside a review campaign: why it is reviewed, where it stands, and its survey. Each household
/// walks listed → surveyed → agreed (or re-survey, then surveyed again) → posted → decided; an ad-hoc request
/// may instead be refused in writing.
public struct CampaignHousehold: Sendable, Hashable, Codable {
    /// `HH-n`.
    public var id: String
    public var village: String
    public var basis: ListingBasis
    public var state: HouseholdReviewState
    /// The latest survey; nil until surveyed.
    public var survey: HouseholdSurvey?
    /// How many times it was surveyed (re-surveys after a meeting or a complaint count).
    public var surveyRounds: Int
    public var refusal: RequestRefusal?
    /// The certificate's number once issued (Mẫu 03).
    public var certificate: CertificateNumber?

    public init(
        id: String, village: String, basis: ListingBasis, state: HouseholdReviewState = .listed,
        survey: HouseholdSurvey? = nil, surveyRounds: Int = 0, refusal: RequestRefusal? = nil,
        certificate: CertificateNumber? = nil
    ) {
        self.id = id
        self.village = village
        self.basis = basis
        self.state = state
        self.survey = survey
        self.surveyRounds = surveyRounds
        self.refusal = refusal
        self.certificate = certificate
    }
}

public enum HouseholdReviewState: String, Sendable, Hashable, Codable, CaseIterable {
    /// On the list, not surveyed yet.
    case listed
    /// Surveyed (or re-surveyed), waiting for its village's meeting.
    case surveyed
    /// Its village's meeting agreed (at least the threshold share of those present).
    case agreed
    /// Its village's meeting did not agree: survey it again, then meet again.
    case reSurvey = "re-survey"
    /// On the public posting.
    case posted
    /// In the commune chairman's decision: frozen.
    case decided
    /// An ad-hoc request refused in writing.
    case refused
}

/// Why a household is on the campaign's list (QĐ 24 art. 4.1 and art. 5).
public enum ListingBasis: Sendable, Hashable, Codable {
    /// On the commune's current poor or near-poor list.
    case currentList(ReviewClass)
    /// The household asked: Mẫu 01 (review me) or Mẫu 04 (recognise that we escaped), received on a date.
    case request(RequestForm, received: CivilDate)
    /// A decided list of a year before CaseLine, imported from the province's records: why each household was
    /// reviewed then is not known, only the result.
    case imported(source: String)

    public var description: String {
        switch self {
        case .currentList(let classification): "current \(classification.rawValue) list"
        case .request(let form, let received): "\(form.rawValue) received \(received)"
        case .imported(let source): "imported from \(source)"
        }
    }
}

/// The household's written requests of QĐ 24/2021/QĐ-TTg's annex.
public enum RequestForm: String, Sendable, Hashable, Codable, CaseIterable {
    /// Mẫu số 01: Giấy đề nghị rà soát hộ nghèo, hộ cận nghèo.
    case mau01 = "mau-01"
    /// Mẫu số 04: Giấy đề nghị công nhận hộ thoát nghèo, hộ thoát cận nghèo.
    case mau04 = "mau-04"
}

/// A survey as recorded: the form's figures, the area they were judged in, the class they gave, who entered it
/// and when.
public struct HouseholdSurvey: Sendable, Hashable, Codable {
    public var figures: SurveyFigures
    public var area: AreaDerivation.Derived
    public var classification: Classification
    public var by: String
    public var on: CivilDate

    public init(
        figures: SurveyFigures, area: AreaDerivation.Derived, classification: Classification, by: String,
        on: CivilDate
    ) {
        self.figures = figures
        self.area = area
        self.classification = classification
        self.by = by
        self.on = on
    }
}
