import CaseLineClient
import CaseLineProtocol
import CaseLineStore
import CaseLineStoreSQLite
import Testing

extension ServerSuites {
    /// Bad input to the organisation commands gets its documented code and changes nothing: every change
    /// appends an audit record, so an unchanged audit count proves nothing was written.
    @Suite("Bad input to the organisation commands", .timeLimit(.minutes(2)))
    struct BadInputTests {
        static let longName = String(repeating: "Nguyễn ", count: 30)

        /// (who, request, expected code)
        static let cases: [(String, String, String)] = [
            ("admin", "USER CREATE tuan name=X role=officer scope=province:99", "NOT-FOUND"),
            ("admin", "USER CREATE tuan name=\"\(longName)\" role=officer", "BAD-VALUE"),
            ("admin", "USER CREATE tuan name=\"\" role=officer", "INVALID"),
            ("admin", "USER CREATE tuan name=X role=mayor", "BAD-VALUE"),
            ("admin", "USER CREATE lan name=X role=officer", "ALREADY-EXISTS"),
            ("admin", "USER UPDATE khong-co name=X", "NOT-FOUND"),
            ("admin", "USER UPDATE lan", "INVALID"),
            ("admin", "USER UPDATE lan name=Y rev=99", "CONFLICT"),
            ("admin", "USER DISABLE admin", "INVALID"),
            ("admin", "USER RESET-PASSWORD admin", "INVALID"),
            ("admin", "COMMITTEE CREATE 99999 name=X decision=1 decided=2025-01-01", "NOT-FOUND"),
            ("admin", "COMMITTEE CREATE legacy:02017 name=X decision=1 decided=2025-01-01", "INVALID"),
            ("admin", "COMMITTEE CREATE 19 name=X decision=1 decided=2025-13-01", "BAD-VALUE"),
            ("admin", "COMMITTEE CREATE 19 name=X decision=1 decided=2999-01-01", "INVALID"),
            ("admin", "COMMITTEE CREATE 19 name=\"\(longName)\(longName)\" decision=1 decided=2025-01-01", "BAD-VALUE"),
            ("admin", "COMMITTEE SHOW CM-42", "NOT-FOUND"),
            ("admin", "COMMITTEE ADD-MEMBER CM-42 lan position=chair", "NOT-FOUND"),
            ("admin", "ASSIGNMENT CREATE 02014 khong-co role=lead from=2026-11-24 decision=1", "NOT-FOUND"),
            ("admin", "ASSIGNMENT CREATE 19 lan role=lead from=2026-11-24 decision=1", "INVALID"),
            ("admin", "ASSIGNMENT CREATE 02014 lan role=lead from=2026-11-24 decision=1", "INVALID"),
            ("admin", "ASSIGNMENT CREATE 02014 lan role=boss from=2026-11-24 decision=1", "BAD-VALUE"),
            ("admin", "ASSIGNMENT END AS-42", "NOT-FOUND"),
            ("admin", "ASSIGNMENT REASSIGN 02014 lan from=2026-11-24 decision=1", "NOT-FOUND"),
            ("admin", "HISTORY user:khong-co", "NOT-FOUND"),
            ("admin", "AUDIT LIST after=2026-12-01 before=2026-11-01", "INVALID"),
            // Setting a committee up is the administrator's alone (CLP1.md §10.4), wherever it is.
            ("lan", "COMMITTEE CREATE 44 name=X decision=1 decided=2025-01-01", "FORBIDDEN"),
            ("lan", "COMMITTEE CREATE 19 name=X decision=1 decided=2025-01-01", "FORBIDDEN"),
            ("lan", "USER CREATE tuan name=X role=officer", "FORBIDDEN"),
            ("lan", "ASSIGNMENT CREATE 18880 lan role=lead from=2026-11-24 decision=1", "OUT-OF-SCOPE"),
            ("minh", "ASSIGNMENT CREATE 02014 lan role=lead from=2026-11-24 decision=1", "FORBIDDEN"),
            ("minh", "USER SHOW lan", "FORBIDDEN"),
            ("minh", "HISTORY user:lan", "FORBIDDEN"),
            ("kiemtoan", "COMMITTEE CREATE 19 name=X decision=1 decided=2025-01-01", "FORBIDDEN"),
            ("canbo", "UNIT LIST province=02014", "INVALID"),
            ("canbo", "ASSIGNMENT VACANT province=19", "OUT-OF-SCOPE"),
        ]

        @Test func everyBadRequestGetsItsCodeAndWritesNothing() async throws {
            try await TestServer.run { server in
                for (login, _, _) in Self.cases {
                    // Log every user in once first: a login itself is recorded (last-login), not audited.
                    try await server.session(login) { _ async throws in }
                }
                let before = try await server.store.auditRecords(entity: nil, limit: 100_000, offset: 0).count
                for (login, request, code) in Self.cases {
                    try await server.session(login) { connection async throws in
                        let result = try await connection.request(request)
                        #expect(result.code == code, "\(login): \(request) → \(result.completion)")
                    }
                }
                let after = try await server.store.auditRecords(entity: nil, limit: 100_000, offset: 0).count
                #expect(after == before, "a refused request wrote to the store")
                #expect(try await server.store.committees().isEmpty)
                #expect(try await server.store.user(login: "tuan") == nil)
            }
        }
    }
}
