import CaseLineClient
import CaseLineDomain
import CaseLineProtocol
import Testing

extension ServerSuites {
    /// Every command of the table, sent by every role over TLS: the server refuses with FORBIDDEN exactly
    /// where the policy table says so, so no handler can forget to ask it.
    @Suite("Permission matrix walk", .timeLimit(.minutes(3)))
    struct PolicyWalkTests {
        static let usersByRole: [(Role, String)] = [
            (.admin, "admin"), (.chair, "lan"), (.deputy, "pho"), (.officer, "minh"), (.staff, "canbo"),
            (.auditor, "kiemtoan"),
        ]
        /// Commands that change the session itself; their rules are tested in the session suites.
        static let sessionCommands: Set<String> = ["HELLO", "LOGIN", "AUTH", "LOGOUT", "PASSWORD"]
        /// Allowed commands that still refuse some callers for finer reasons (reading another user's account).
        static let finerChecks: Set<String> = ["USER SHOW", "HISTORY"]

        /// A valid value of each kind that names nothing that exists, so allowed commands fail harmlessly.
        static func sample(_ kind: ValueKind) -> String {
            switch kind {
            case .text: "mẫu"
            case .identifier: "khong-co"
            case .integer(let range): String(max(range.lowerBound, min(range.upperBound, 1)))
            case .date: "2026-02-28"
            case .choice(let words): words[0]
            case .boolean: "no"
            case .amount: "1000"
            case .list(let inner, _): sample(inner)
            case .funding: "central:1000"
            case .unit: "99999"
            case .scope: "province:19"
            case .entity: "user:khong-co"
            case .chain: "chair@commune"
            case .fingerprint: String(repeating: "ab", count: 32)
            }
        }

        static func request(_ spec: CommandSpec) -> String {
            var parts = [spec.name]
            for parameter in spec.positionals where parameter.required {
                parts.append("\"\(sample(parameter.kind))\"")
            }
            for parameter in spec.options where parameter.required {
                parts.append("\(parameter.name)=\"\(sample(parameter.kind))\"")
            }
            return parts.joined(separator: " ")
        }

        @Test func everyRoleMeetsThePolicyTable() async throws {
            try await TestServer.run { server in
                for (role, login) in Self.usersByRole {
                    try await server.session(login) { connection async throws in
                        for spec in CommandTable.v1.commands where !Self.sessionCommands.contains(spec.name) {
                            let line = Self.request(spec)
                            let result = try await connection.request(line)
                            let allowed = AccessPolicy.v1.allows(role, spec.name)
                            #expect(
                                result.completion.status != .bad, "\(role.rawValue): \(line) → \(result.completion)")
                            if !allowed {
                                #expect(result.code == "FORBIDDEN", "\(role.rawValue) must not run \(spec.name)")
                            } else if !Self.finerChecks.contains(spec.name) {
                                #expect(result.code != "FORBIDDEN", "\(role.rawValue) may run \(spec.name): \(line)")
                            }
                        }
                    }
                }
            }
        }
    }
}
