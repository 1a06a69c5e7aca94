import CaseLineDomain
import Testing

/// The policy table against the "Who may call" lines of CLP1.md §10, written out again here by hand: a change
/// to either must be made on purpose in both.
@Suite struct AccessPolicyTests {
    static let all = Set(Role.allCases)
    static let expected: [String: Set<Role>?] = {
        let writers: Set<Role> = [.admin, .chair, .deputy, .officer, .staff]
        let deciders: Set<Role> = [.chair, .deputy, .officer, .staff]
        var table: [String: Set<Role>?] = [:]
        for name in ["HELLO", "LOGIN", "AUTH", "LOGOUT", "PING", "HELP"] { table[name] = .some(nil) }
        for name in [
            "WHOAMI", "PASSWORD", "TOKEN CREATE", "TOKEN LIST", "TOKEN REVOKE", "USER SHOW", "UNIT LIST",
            "UNIT SEARCH", "UNIT SHOW", "COMMITTEE LIST", "COMMITTEE SHOW", "ASSIGNMENT LIST", "ASSIGNMENT MINE",
            "ASSIGNMENT VACANT", "TASK LIST", "TASK SHOW", "HOUSEHOLD LIST", "HOUSEHOLD SHOW", "CASE LIST",
            "CASE SHOW", "CHAIN LIST", "CHAIN SHOW", "DELEGATION LIST", "WATCH", "UNWATCH", "HISTORY",
        ] {
            table[name] = all
        }
        for name in [
            "USER CREATE", "USER UPDATE", "USER DISABLE", "USER ENABLE", "USER UNLOCK", "USER RESET-PASSWORD",
            "CHAIN SET", "METRICS",
        ] {
            table[name] = [.admin]
        }
        table["USER LIST"] = [.admin, .chair, .deputy, .auditor]
        // CLP1.md §10.4: "COMMITTEE CREATE — Who may call: admin" (a chair could once create one).
        table["COMMITTEE CREATE"] = [.admin]
        for name in ["COMMITTEE UPDATE", "COMMITTEE ADD-MEMBER", "COMMITTEE REMOVE-MEMBER"] {
            table[name] = [.admin, .chair]
        }
        for name in ["ASSIGNMENT CREATE", "ASSIGNMENT END", "ASSIGNMENT REASSIGN"] {
            table[name] = [.admin, .chair, .deputy]
        }
        for name in [
            "HOUSEHOLD CREATE", "HOUSEHOLD UPDATE", "HOUSEHOLD ADD-MEMBER", "HOUSEHOLD REMOVE-MEMBER",
            "HOUSEHOLD ASSESS",
        ] {
            table[name] = [.officer, .staff]
        }
        for name in [
            "TASK CREATE", "TASK UPDATE", "TASK ASSIGN", "TASK MOVE", "TASK COMMENT", "CASE CREATE", "CASE UPDATE",
            "CASE SUBMIT", "CASE APPROVE", "CASE REJECT",
            "CASE RETURN", "DELEGATION CREATE",
        ] {
            table[name] = deciders
        }
        table["DELEGATION END"] = writers
        table["PENDING"] = all
        for name in ["AUDIT VERIFY", "AUDIT LIST"] { table[name] = [.admin, .auditor] }
        return table
    }()

    @Test func everyCommandHasExactlyTheExpectedRoles() {
        let policy = AccessPolicy.v1
        #expect(Set(policy.commands) == Set(Self.expected.keys), "the policy and this table name the same commands")
        for (command, roles) in Self.expected {
            for role in Role.allCases {
                let allowed = roles.map { $0.contains(role) } ?? true
                #expect(policy.allows(role, command) == allowed, "\(role.rawValue) × \(command)")
            }
            #expect(policy.allows(nil, command) == (roles == nil), "before login × \(command)")
        }
    }

    @Test func theAuditorIsReadOnly() {
        let reads: Set<String> = [
            "WHOAMI", "PASSWORD", "TOKEN CREATE", "TOKEN LIST", "TOKEN REVOKE", "USER SHOW", "USER LIST", "UNIT LIST",
            "UNIT SEARCH", "UNIT SHOW", "COMMITTEE LIST", "COMMITTEE SHOW", "ASSIGNMENT LIST", "ASSIGNMENT MINE",
            "ASSIGNMENT VACANT", "TASK LIST", "TASK SHOW", "HOUSEHOLD LIST", "HOUSEHOLD SHOW", "CASE LIST",
            "CASE SHOW", "CHAIN LIST", "CHAIN SHOW", "DELEGATION LIST", "WATCH", "UNWATCH", "HISTORY",
            "AUDIT VERIFY", "AUDIT LIST", "HELLO", "LOGIN", "AUTH", "LOGOUT", "PING", "HELP", "PENDING",
        ]
        for command in AccessPolicy.v1.commands where AccessPolicy.v1.allows(.auditor, command) {
            #expect(reads.contains(command), "auditor may run \(command)")
        }
    }

    @Test func onlyAdminsManageOtherUsersTokens() {
        for role in Role.allCases { #expect(AccessPolicy.v1.allows(role, .manageOthersTokens) == (role == .admin)) }
    }

    @Test func unknownCommandsAreClosedToEveryone() {
        for role in Role.allCases { #expect(!AccessPolicy.v1.allows(role, "USER DELETE")) }
    }
}

/// The scope dimension of the table, written out again by hand.
@Suite struct PolicyReachTests {
    static let anywhere: Set<String> = [
        "HELLO", "LOGIN", "AUTH", "LOGOUT", "PING", "HELP", "WHOAMI", "PASSWORD", "TOKEN CREATE", "UNIT LIST",
        "UNIT SEARCH", "UNIT SHOW", "ASSIGNMENT MINE", "AUDIT VERIFY", "METRICS", "UNWATCH",
    ]

    static let units = UnitDirectory(
        units: [
            AdminUnit(
                ref: UnitRef(.current, "19"), type: "province", name: "Tỉnh A", shortName: "A", parent: nil,
                province: nil),
            AdminUnit(
                ref: UnitRef(.current, "02014"), type: "commune", name: "Xã B", shortName: "B", parent: "19",
                province: "19"),
            AdminUnit(
                ref: UnitRef(.current, "44"), type: "province", name: "Tỉnh C", shortName: "C", parent: nil,
                province: nil),
            AdminUnit(
                ref: UnitRef(.current, "18880"), type: "ward", name: "Phường D", shortName: "D", parent: "44",
                province: "44"),
        ], links: [])

    @Test func everyCommandRoleAndPlacement() {
        let policy = AccessPolicy.v1
        let targets: [(Placement, Bool)] = [
            (.unit(UnitRef(.current, "02014")), true), (.unit(UnitRef(.current, "18880")), false),
            (.scope(.commune("02014")), true), (.scope(.province("44")), false), (.scope(.national), false),
            (.everywhere, true),
        ]
        for command in policy.commands {
            #expect((policy.reach(for: command) == .anywhere) == Self.anywhere.contains(command), "\(command)")
            for role in Role.allCases {
                let user = User(login: "u", name: "U", role: role, scope: .province("19"))
                for (target, inside) in targets {
                    let expected = policy.allows(role, command) && (Self.anywhere.contains(command) || inside)
                    #expect(
                        policy.permits(user, command, on: target, units: Self.units) == expected,
                        "\(role) \(command) \(target)")
                }
            }
        }
    }
}
