/// Who may run which command: the one table the dispatcher consults for every request (nothing else
/// decides access). Scope rules — which units and entities a user may touch — are applied by the commands
/// against the user's `Scope`; this table decides by role.
public struct AccessPolicy: Sendable {
    public enum Rule: Sendable, Hashable {
        /// Allowed before authentication (and after).
        case anyone
        /// Any authenticated user, any role.
        case authenticated
        /// Authenticated users with one of these roles.
        case roles(Set<Role>)
    }

    /// Actions that are finer than a command: the same command, but acting on someone else.
    public enum Action: String, Sendable, Hashable, CaseIterable {
        /// TOKEN LIST user=… / TOKEN REVOKE of another user's token.
        case manageOthersTokens = "TOKEN (other users)"
    }

    /// The scope dimension: whether what a command names must lie in the caller's scope.
    public enum Reach: Sendable, Hashable {
        /// Reference data and the caller's own session: no scope applies.
        case anywhere
        /// The unit or entity named (and every record listed) must lie in the caller's scope.
        case inScope
    }

    private let rules: [String: Rule]
    private let actions: [Action: Set<Role>]
    private let reaches: [String: Reach]

    public init(rules: [String: Rule], actions: [Action: Set<Role>], reaches: [String: Reach] = [:]) {
        self.rules = rules
        self.actions = actions
        self.reaches = reaches
    }

    /// Commands not listed as reaching anywhere are held to the caller's scope.
    public func reach(for command: String) -> Reach { reaches[command] ?? .inScope }

    /// Whether `user` may run `command` on something placed at `target` (role first, then scope).
    public func permits(_ user: User, _ command: String, on target: Placement, units: UnitDirectory) -> Bool {
        guard allows(user.role, command) else { return false }
        switch reach(for: command) {
        case .anywhere: return true
        case .inScope: return units.scope(user.scope, reaches: target)
        }
    }

    /// Commands absent from the table are refused to everyone: a new command is closed until a rule is written.
    public func rule(for command: String) -> Rule? { rules[command] }

    public var commands: [String] { rules.keys.sorted() }

    public func allows(_ role: Role?, _ command: String) -> Bool {
        switch rules[command] {
        case .anyone?: return true
        case .authenticated?: return role != nil
        case .roles(let roles)?: return role.map(roles.contains) ?? false
        case nil: return false
        }
    }

    public func allows(_ role: Role, _ action: Action) -> Bool { actions[action]?.contains(role) ?? false }

    public static let v1: AccessPolicy = {
        let everyone: Set<Role> = Set(Role.allCases)
        let writers: Set<Role> = [.admin, .chair, .deputy, .officer, .staff]
        let leaders: Set<Role> = [.admin, .chair, .deputy]
        let deciders: Set<Role> = [.chair, .deputy, .officer, .staff]
        var rules: [String: Rule] = [:]
        for name in ["HELLO", "LOGIN", "AUTH", "LOGOUT", "PING", "HELP"] { rules[name] = .anyone }
        for name in ["WHOAMI", "PASSWORD", "TOKEN CREATE", "TOKEN LIST", "TOKEN REVOKE"] {
            rules[name] = .authenticated
        }
        for name in ["USER CREATE", "USER UPDATE", "USER DISABLE", "USER ENABLE", "USER UNLOCK", "USER RESET-PASSWORD"]
        {
            rules[name] = .roles([.admin])
        }
        rules["USER LIST"] = .roles([.admin, .chair, .deputy, .auditor])
        rules["USER SHOW"] = .authenticated
        for name in ["UNIT LIST", "UNIT SEARCH", "UNIT SHOW", "COMMITTEE LIST", "COMMITTEE SHOW"] {
            rules[name] = .authenticated
        }
        // Setting a committee up is the administrator's (CLP1.md §10.4); its chair then keeps it.
        rules["COMMITTEE CREATE"] = .roles([.admin])
        for name in ["COMMITTEE UPDATE", "COMMITTEE ADD-MEMBER", "COMMITTEE REMOVE-MEMBER"] {
            rules[name] = .roles([.admin, .chair])
        }
        for name in ["ASSIGNMENT CREATE", "ASSIGNMENT END", "ASSIGNMENT REASSIGN"] { rules[name] = .roles(leaders) }
        for name in ["ASSIGNMENT LIST", "ASSIGNMENT MINE", "ASSIGNMENT VACANT"] { rules[name] = .authenticated }
        // Admins and auditors read tasks and never change them (CLP1.md §10.7); finer rules are in TaskRules.
        for name in ["TASK CREATE", "TASK MOVE", "TASK COMMENT"] { rules[name] = .roles(deciders) }
        for name in ["TASK LIST", "TASK SHOW"] { rules[name] = .authenticated }
        for name in ["TASK UPDATE", "TASK ASSIGN"] { rules[name] = .roles([.chair, .deputy, .officer, .staff]) }
        // Households are written by the commune's staff and the officers responsible for it (CLP1.md §10.8);
        // chairs, deputies, admins and auditors read them. Finer rules are in HouseholdRules.
        for name in [
            "HOUSEHOLD CREATE", "HOUSEHOLD UPDATE", "HOUSEHOLD ADD-MEMBER", "HOUSEHOLD REMOVE-MEMBER",
            "HOUSEHOLD ASSESS",
        ] {
            rules[name] = .roles([.officer, .staff])
        }
        for name in ["HOUSEHOLD LIST", "HOUSEHOLD SHOW"] { rules[name] = .authenticated }
        for name in ["CASE CREATE", "CASE UPDATE", "CASE SUBMIT"] { rules[name] = .roles(deciders) }
        for name in ["CASE LIST", "CASE SHOW", "CHAIN LIST", "CHAIN SHOW", "DELEGATION LIST"] {
            rules[name] = .authenticated
        }
        for name in ["CASE APPROVE", "CASE REJECT", "CASE RETURN", "DELEGATION CREATE"] {
            rules[name] = .roles(deciders)
        }
        // An admin may end anyone's delegation (a delegate who left, a window set by mistake).
        rules["DELEGATION END"] = .roles(writers)
        rules["PENDING"] = .authenticated
        rules["CHAIN SET"] = .roles([.admin])
        for name in ["WATCH", "UNWATCH", "HISTORY"] { rules[name] = .roles(everyone) }
        for name in ["AUDIT VERIFY", "AUDIT LIST"] { rules[name] = .roles([.admin, .auditor]) }
        rules["METRICS"] = .roles([.admin])
        var reaches: [String: Reach] = [:]
        for name in [
            "HELLO", "LOGIN", "AUTH", "LOGOUT", "PING", "HELP", "WHOAMI", "PASSWORD", "TOKEN CREATE", "UNIT LIST",
            "UNIT SEARCH", "UNIT SHOW", "ASSIGNMENT MINE", "AUDIT VERIFY", "METRICS", "UNWATCH",
        ] {
            reaches[name] = .anywhere
        }
        return AccessPolicy(rules: rules, actions: [.manageOthersTokens: [.admin]], reaches: reaches)
    }()
}
