/// What can happen to a review campaign, one case per act of QĐ 24/2021/QĐ-TTg's procedure, with the values
/// the act produces. The protocol's handlers turn a validated command into one of these; they never change a
/// campaign themselves.
public enum ReviewInput: Sendable, Hashable, Codable {
    /// The committee adopts the plan.
    case plan(ReviewPlan)
    /// A household goes on the list (current poor / near-poor, or a request).
    case listHousehold(id: String, village: String, basis: ListingBasis)
    /// Phiếu A / Phiếu B for a household; `area` as derived for its unit (or overridden).
    case recordSurvey(household: String, figures: SurveyFigures, area: AreaDerivation.Derived)
    /// A village meeting's result and minutes.
    case recordMeeting(VillageMeeting)
    /// The results go up for public posting today.
    case openPosting
    /// A complaint received about the posted results.
    case recordComplaint(household: String?, received: CivilDate, summary: String)
    /// The written answer after re-checking.
    case answerComplaint(id: String, answer: String)
    /// The posting period is over and every complaint answered.
    case closePosting
    /// The higher level's opinion.
    case recordOpinion(reference: String, date: CivilDate, agrees: Bool, note: String)
    /// The commune chairman's decision (Mẫu 02): number and date. Freezes the campaign.
    case decide(number: String, date: CivilDate)
    /// An ad-hoc request refused in writing, with reasons.
    case refuseRequest(household: String, reference: String, date: CivilDate, reasons: String)
    /// Certificates (Mẫu 03) for the decided poor and near-poor households (all outstanding ones when
    /// `households` is nil), numbered from `nextNumber` — the commune's next free number for the year of issue,
    /// which only the store knows.
    case issueCertificates(households: [String]?, nextNumber: Int)

    public var kind: ReviewInputKind {
        switch self {
        case .plan: .plan
        case .listHousehold: .listHousehold
        case .recordSurvey: .recordSurvey
        case .recordMeeting: .recordMeeting
        case .openPosting: .openPosting
        case .recordComplaint: .recordComplaint
        case .answerComplaint: .answerComplaint
        case .closePosting: .closePosting
        case .recordOpinion: .recordOpinion
        case .decide: .decide
        case .refuseRequest: .refuseRequest
        case .issueCertificates: .issueCertificates
        }
    }
}
