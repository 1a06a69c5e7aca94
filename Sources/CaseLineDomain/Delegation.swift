public import Foundation

/// An approver lets another user decide on their behalf for a window of days (both included).
public struct Delegation: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        case scheduled, active, expired, ended
    }

    /// `DL-n`.
    public var id: String
    public var delegator: String
    public var delegate: String
    public var from: String
    public var until: String
    public var note: String?
    public var createdAt: Date
    public var endedAt: Date?
    public var endedBy: String?
    public var revision: Int64

    public init(
        id: String = "", delegator: String, delegate: String, from: String, until: String, note: String? = nil,
        createdAt: Date = Date(), endedAt: Date? = nil, endedBy: String? = nil, revision: Int64 = 1
    ) {
        self.id = id
        self.delegator = delegator
        self.delegate = delegate
        self.from = from
        self.until = until
        self.note = note
        self.createdAt = createdAt
        self.endedAt = endedAt
        self.endedBy = endedBy
        self.revision = revision
    }

    /// Derived from the day: never stored, so a window opens and closes without anyone writing.
    public func state(on day: String) -> State {
        if endedAt != nil { return .ended }
        if day < from { return .scheduled }
        if day > until { return .expired }
        return .active
    }
}
