/// Who may write households and who sees their identity fields (CLP1.md §10.8 and "Personal data" in §10),
/// beyond the role check of `AccessPolicy`. Pure; the caller supplies the facts about the commune.
public enum HouseholdRules {
    public struct Facts: Sendable {
        public var user: User
        /// The household's commune, current edition (a legacy commune's primary successor).
        public var commune: String
        /// The caller holds an active assignment (lead or support) for the commune.
        public var responsible: Bool
        /// The caller's scope contains the commune.
        public var inScope: Bool

        public init(user: User, commune: String, responsible: Bool, inScope: Bool) {
            self.user = user
            self.commune = commune
            self.responsible = responsible
            self.inScope = inScope
        }
    }

    /// Household writers: staff of the commune itself, and officers responsible for it. Chairs and deputies
    /// direct the work but do not keep the register; admins and auditors never change it.
    public static func mayWrite(_ facts: Facts) -> Bool {
        guard facts.inScope else { return false }
        switch facts.user.role {
        case .staff: return facts.user.scope == .commune(facts.commune)
        case .officer: return facts.responsible
        case .chair, .deputy, .admin, .auditor: return false
        }
    }

    /// Who sees identity fields in full: the commune's staff, officers responsible for it, and chairs and
    /// deputies whose scope contains it. Everyone else who may read the household gets it masked.
    public static func seesIdentity(_ facts: Facts) -> Bool {
        guard facts.inScope else { return false }
        switch facts.user.role {
        case .staff: return facts.user.scope == .commune(facts.commune)
        case .officer: return facts.responsible
        case .chair, .deputy: return true
        case .admin, .auditor: return false
        }
    }

    /// The keys of audit changes and records that carry identity values.
    public static let identityKeys: Set<String> = ["head", "birth", "id-number", "name"]
}
