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

        /// The request with every unit it names placed outside Thái Nguyên (province 19): Quảng Trị (44) and its
        /// ward Đồng Hới (18880); nil when the command names no unit.
        static func outsideRequest(_ spec: CommandSpec) -> String? {
            var names = false
            var parts = [spec.name]
            for parameter in spec.positionals where parameter.required {
                if parameter.kind == .unit {
                    names = true
                    parts.append("18880")
                } else {
                    parts.append("\"\(sample(parameter.kind))\"")
                }
            }
            for parameter in spec.options {
                if parameter.kind == .unit {
                    names = true
                    parts.append("\(parameter.name)=\(parameter.name == "province" ? "44" : "18880")")
                } else if parameter.kind == .scope {
                    names = true
                    parts.append("\(parameter.name)=province:44")
                } else if parameter.required {
                    parts.append("\(parameter.name)=\"\(sample(parameter.kind))\"")
                }
            }
            return names ? parts.joined(separator: " ") : nil
        }

        /// The scope dimension of the table: a province chair naming a unit of another province is refused by
        /// every command held to scope, and served by every command that reaches anywhere.
        @Test func unitsOutsideTheCallersScopeAreRefused() async throws {
            try await TestServer.run { server in
                try await server.session("lan") { connection async throws in
                    var checked = 0
                    for spec in CommandTable.v1.commands where AccessPolicy.v1.allows(.chair, spec.name) {
                        guard let line = Self.outsideRequest(spec) else { continue }
                        let result = try await connection.request(line)
                        if result.code == "UNAVAILABLE" { continue }  // not implemented in this build yet
                        checked += 1
                        if AccessPolicy.v1.reach(for: spec.name) == .inScope {
                            #expect(result.code == "OUT-OF-SCOPE", "\(line) → \(result.completion)")
                        } else {
                            #expect(result.code != "OUT-OF-SCOPE", "\(line) → \(result.completion)")
                        }
                    }
                    #expect(checked >= 10)
                }
            }
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
