public import Foundation

/// One step of one submission round of a case.
public struct CaseStep: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        case waiting, queued, approved, rejected, returned, skipped
    }

    public var caseID: String
    public var round: Int
    public var number: Int
    public var step: ChainStep
    public var state: State
    public var waitingSince: Date?
    public var by: String?
    public var onBehalfOf: String?
    public var delegation: String?
    public var at: Date?
    public var note: String?
    public var reason: String?

    public init(
        caseID: String, round: Int, number: Int, step: ChainStep, state: State, waitingSince: Date? = nil,
        by: String? = nil, onBehalfOf: String? = nil, delegation: String? = nil, at: Date? = nil, note: String? = nil,
        reason: String? = nil
    ) {
        self.caseID = caseID
        self.round = round
        self.number = number
        self.step = step
        self.state = state
        self.waitingSince = waitingSince
        self.by = by
        self.onBehalfOf = onBehalfOf
        self.delegation = delegation
        self.at = at
        self.note = note
        self.reason = reason
    }
}
