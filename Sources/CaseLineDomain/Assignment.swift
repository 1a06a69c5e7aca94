/// A committee member made responsible for a 2025 commune (phân công phụ trách), as lead or support, from a
/// day until (excluded) the day it was ended.
public struct Assignment: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable, CaseIterable {
        /// Phụ trách chính.
        case lead
        /// Phối hợp.
        case support
    }

    public enum State: String, Sendable, Hashable {
        case scheduled, active, ended
    }

    /// `AS-n`.
    public var id: String
    public var commune: String
    public var login: String
    public var role: Role
    /// First day of responsibility (YYYY-MM-DD).
    public var from: String
    /// First day no longer responsible, once ended.
    public var until: String?
    public var decision: String
    /// The committee under which the member was assigned (`CM-n`).
    public var committee: String
    public var endReason: String?
    public var revision: Int64

    public init(
        id: String, commune: String, login: String, role: Role, from: String, until: String? = nil,
        decision: String, committee: String, endReason: String? = nil, revision: Int64 = 1
    ) {
        self.id = id
        self.commune = commune
        self.login = login
        self.role = role
        self.from = from
        self.until = until
        self.decision = decision
        self.committee = committee
        self.endReason = endReason
        self.revision = revision
    }

    /// Derived, never stored: dates compare as text because they are all YYYY-MM-DD.
    public func state(on day: String) -> State {
        if day < from { return .scheduled }
        if let until, day >= until { return .ended }
        return .active
    }
}
