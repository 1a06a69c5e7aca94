/// What an accepted input produces: the campaign's new state, what else the store must write in the same
/// transaction, the events to raise and the audit line — the postgres-nio shape: state + input → new state +
/// actions. The server stores `campaign`, carries out `effects`, raises `events` and audits `audit`, and
/// decides nothing itself.
public struct ReviewStep: Sendable, Hashable, Codable {
    public var campaign: ReviewCampaign
    public var effects: [ReviewEffect]
    public var events: [ReviewEvent]
    /// The change, for `AuditEntry.change`: `review RC-3 (…): household HH-7 surveyed by lan: A=132 … → poor`.
    public var audit: String

    public init(campaign: ReviewCampaign, effects: [ReviewEffect], events: [ReviewEvent], audit: String) {
        self.campaign = campaign
        self.effects = effects
        self.events = events
        self.audit = audit
    }
}

public enum ReviewEffect: Sendable, Hashable, Codable {
    /// Keep this assessment (written by a decision, never overwritten).
    case recordAssessment(ReviewAssessment)
    /// Keep this certificate; its number is unique per (commune, year of issue).
    case issueCertificate(PovertyCertificate)
    /// Arm a deadline: raise `review.deadline-soon` / `review.overdue` for it as for tasks (`notices`).
    case armDeadline(ReviewDeadline)
    /// The campaign no longer waits for any deadline (decided or refused).
    case disarmDeadlines(campaign: String)
}

/// A date the campaign must meet.
public struct ReviewDeadline: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Ad-hoc: decide or refuse within 15 days of the review's start. Periodic: by the window's end.
        case decision
        /// The posting's last day: it may close after it.
        case postingEnds = "posting-ends"
    }

    public var campaign: String
    public var kind: Kind
    public var due: CivilDate

    public init(campaign: String, kind: Kind, due: CivilDate) {
        self.campaign = campaign
        self.kind = kind
        self.due = due
    }
}

/// An event about a campaign. Like every CLP event it carries ids, states and counts only — never names,
/// free text or reasons (complaints and refusals stay in the audit trail and the campaign).
public struct ReviewEvent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case opened = "review.opened"
        case stage = "review.stage"
        case listed = "review.listed"
        case surveyed = "review.surveyed"
        case meeting = "review.meeting"
        case complaint = "review.complaint"
        case opinion = "review.opinion"
        case decided = "review.decided"
        case refused = "review.refused"
        case certificates = "review.certificates"
        case deadlineSoon = "review.deadline-soon"
        case overdue = "review.overdue"
    }

    public var kind: Kind
    public var commune: String
    /// In the order they are sent; the first is always `campaign=`.
    public var details: [EventDetail]

    public init(_ kind: Kind, commune: String, details: [EventDetail]) {
        self.kind = kind
        self.commune = commune
        self.details = details
    }

    public subscript(key: String) -> String? { details.first { $0.key == key }?.value }
}
