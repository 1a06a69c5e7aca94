/// The inputs of the campaign machine by kind, as the description's permission table names them.
public enum ReviewInputKind: String, Sendable, Hashable, Codable, CaseIterable {
    case plan
    case listHousehold = "list-household"
    case recordSurvey = "record-survey"
    case recordMeeting = "record-meeting"
    case openPosting = "open-posting"
    case recordComplaint = "record-complaint"
    case answerComplaint = "answer-complaint"
    case closePosting = "close-posting"
    case recordOpinion = "record-opinion"
    case decide
    case refuseRequest = "refuse-request"
    case issueCertificates = "issue-certificates"

    /// The stage an accepted input of this kind leaves the campaign in, when it moves it: recording the plan
    /// ends planning, listing a household opens the listing, a survey the survey, and so on. Nil: the input
    /// works inside its stage. `closePosting`, `recordOpinion` and `decide` move to the stage after theirs in
    /// the campaign's sequence, whatever it is.
    public var opens: CampaignStage? {
        switch self {
        case .listHousehold: .listing
        case .recordSurvey: .survey
        case .recordMeeting: .meetings
        case .openPosting: .posting
        case .plan, .recordComplaint, .answerComplaint, .closePosting, .recordOpinion, .decide, .refuseRequest,
            .issueCertificates:
            nil
        }
    }
}
