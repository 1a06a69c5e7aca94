import CaseLineDomain
import Testing

/// The access policy's own logic, on a small policy made here: roles first, then the scope of the target.
/// (The server's policy is derived from its command registry; the permission matrix walks it over TLS.)
@Suite struct AccessPolicyTests {
    static let policy = AccessPolicy(
        rules: [
            "PING": .anyone, "WHOAMI": .authenticated, "TASK CREATE": .roles([.chair, .staff]),
            "METRICS": .roles([.admin]),
        ],
        actions: [.manageOthersTokens: [.admin]],
        reaches: ["PING": .anywhere, "WHOAMI": .anywhere, "METRICS": .anywhere])

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

    @Test func rulesDecideByRoleAndBeforeLogin() {
        #expect(Self.policy.allows(nil, "PING"))
        #expect(!Self.policy.allows(nil, "WHOAMI"))
        for role in Role.allCases {
            #expect(Self.policy.allows(role, "WHOAMI"))
            #expect(Self.policy.allows(role, "TASK CREATE") == [.chair, .staff].contains(role))
            #expect(Self.policy.allows(role, "METRICS") == (role == .admin))
        }
    }

    @Test func commandsWithoutARuleAreClosedToEveryone() {
        for role in Role.allCases { #expect(!Self.policy.allows(role, "USER DELETE")) }
        #expect(!Self.policy.allows(nil, "USER DELETE"))
    }

    @Test func onlyTheNamedRolesMakeFinerActions() {
        for role in Role.allCases {
            #expect(Self.policy.allows(role, .manageOthersTokens) == (role == .admin))
        }
    }

    @Test func scopeDecidesWhereTheCommandIsHeldToIt() {
        let chair = User(login: "u", name: "U", role: .chair, scope: .province("19"))
        let inside = Placement.unit(UnitRef(.current, "02014"))
        let outside = Placement.unit(UnitRef(.current, "18880"))
        #expect(Self.policy.permits(chair, "TASK CREATE", on: inside, units: Self.units))
        #expect(!Self.policy.permits(chair, "TASK CREATE", on: outside, units: Self.units))
        #expect(!Self.policy.permits(chair, "TASK CREATE", on: .scope(.national), units: Self.units))
        #expect(Self.policy.permits(chair, "WHOAMI", on: outside, units: Self.units), "reaches anywhere")
        let admin = User(login: "a", name: "A", role: .admin, scope: .province("19"))
        #expect(!Self.policy.permits(admin, "TASK CREATE", on: inside, units: Self.units), "the role comes first")
        #expect(Self.policy.permits(admin, "METRICS", on: outside, units: Self.units))
    }
}
