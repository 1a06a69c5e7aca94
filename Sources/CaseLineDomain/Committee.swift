public import Foundation

/// A steering committee (ban chỉ đạo) of one 2025 province or commune, set up by a decision.
public struct Committee: Sendable, Hashable {
    public enum Position: String, Sendable, Hashable, CaseIterable {
        /// Trưởng ban.
        case chair
        /// Phó trưởng ban.
        case deputy
        /// Thường trực.
        case standing
        /// Thành viên.
        case member

        /// Seating order in COMMITTEE SHOW.
        public var rank: Int { Self.allCases.firstIndex(of: self)! }
    }

    public struct Member: Sendable, Hashable {
        public var committee: String
        public var login: String
        public var position: Position
        /// The day the seat started (YYYY-MM-DD).
        public var since: String

        public init(committee: String, login: String, position: Position, since: String) {
            self.committee = committee
            self.login = login
            self.position = position
            self.since = since
        }
    }

    /// `CM-n`.
    public var id: String
    /// A 2025 province or commune code.
    public var unit: String
    public var name: String
    public var decision: String
    /// The decision's date (YYYY-MM-DD).
    public var decided: String
    public var members: Int
    public var created: Date
    public var revision: Int64

    public init(
        id: String, unit: String, name: String, decision: String, decided: String, members: Int, created: Date,
        revision: Int64
    ) {
        self.id = id
        self.unit = unit
        self.name = name
        self.decision = decision
        self.decided = decided
        self.members = members
        self.created = created
        self.revision = revision
    }
}
