/// What a user may do, independent of where (that is `Scope`).
public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
    case admin
    /// Chair of a steering committee (Trưởng ban).
    case chair
    /// Deputy chair (Phó trưởng ban).
    case deputy
    /// Committee member or officer (thành viên / cán bộ).
    case officer
    /// Commune staff (cán bộ xã).
    case staff
    /// Read-only, for inspection and audit.
    case auditor
}
