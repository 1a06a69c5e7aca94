public import Foundation

/// The kinds of event CLP/1 announces (CLP1.md §11, EVENT record).
public enum EventType: String, Sendable, Hashable, CaseIterable, Codable {
    case assignmentCreated = "assignment.created"
    case assignmentEnded = "assignment.ended"
    case taskCreated = "task.created"
    case taskAssigned = "task.assigned"
    case taskState = "task.state"
    case taskCommented = "task.commented"
    case taskDeadlineSoon = "task.deadline-soon"
    case taskOverdue = "task.overdue"
    case caseSubmitted = "case.submitted"
    case caseStepApproved = "case.step-approved"
    case caseRejected = "case.rejected"
    case caseReturned = "case.returned"
    case caseApproved = "case.approved"
    case delegationStarted = "delegation.started"
    case delegationEnded = "delegation.ended"
    case accountLocked = "account.locked"
    // A commune's poverty review (CLP1.md §10.11); one type per `ReviewEvent.Kind`, spelled alike.
    case reviewOpened = "review.opened"
    case reviewStage = "review.stage"
    case reviewListed = "review.listed"
    case reviewSurveyed = "review.surveyed"
    case reviewMeeting = "review.meeting"
    case reviewComplaint = "review.complaint"
    case reviewOpinion = "review.opinion"
    case reviewDecided = "review.decided"
    case reviewRefused = "review.refused"
    case reviewCertificates = "review.certificates"
    case reviewDeadlineSoon = "review.deadline-soon"
    case reviewOverdue = "review.overdue"
}

/// One `key=value` of an event, in the order it is sent.
public struct EventDetail: Sendable, Hashable, Codable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// An event as a change describes it, before the store numbers it. It travels with the change's audit entry
/// and is written in the same transaction, so an event exists exactly when its change does.
public struct EventDraft: Sendable, Hashable {
    /// Stands for the id of the entity a change creates, which only the store knows: it fills every detail
    /// whose value is this with the new id (the key names the kind: `task`, `assignment`, `comment` …).
    public static let newID = "-"

    public var type: EventType
    public var province: String?
    public var commune: String?
    /// Ids and states only: an event never carries names, free text or reasons (CLP1.md §10.6 WATCH).
    public var details: [EventDetail]
    /// The logins this event concerns, for `WATCH mine=yes`: decided when the change is made, so a replay
    /// with `since=` matches exactly what was sent live.
    public var concerns: Set<String>

    public init(
        _ type: EventType, province: String?, commune: String?, details: [EventDetail], concerns: Set<String>
    ) {
        self.type = type
        self.province = province
        self.commune = commune
        self.details = details
        self.concerns = concerns
    }

    public subscript(key: String) -> String? { details.first { $0.key == key }?.value }

    /// The same event as another type, with only its first `count` details.
    public func retyped(_ type: EventType, keeping count: Int) -> EventDraft {
        EventDraft(
            type, province: province, commune: commune, details: Array(details.prefix(count)), concerns: concerns)
    }

    /// Fills a placeholder detail (`newID`) with the id the store gave the created entity.
    public func filling(_ key: String, with id: String) -> EventDraft {
        var copy = self
        copy.details = details.map { $0.key == key && $0.value == Self.newID ? EventDetail(key, id) : $0 }
        return copy
    }
}

/// A numbered, stored event.
public struct Event: Sendable, Hashable {
    public var sequence: Int64
    public var at: Date
    public var actor: String
    public var onBehalfOf: String?
    public var draft: EventDraft

    public init(sequence: Int64, at: Date, actor: String, onBehalfOf: String?, draft: EventDraft) {
        self.sequence = sequence
        self.at = at
        self.actor = actor
        self.onBehalfOf = onBehalfOf
        self.draft = draft
    }
}

/// What the event table holds: events after `droppedThrough` are all kept, up to `head`, the last number given.
public struct EventBounds: Sendable, Hashable {
    public var droppedThrough: Int64
    public var head: Int64

    public init(droppedThrough: Int64, head: Int64) {
        self.droppedThrough = droppedThrough
        self.head = head
    }
}
