import CaseLineClient
import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation
import Testing

extension ServerSuites {
    /// The organisation issue's acceptance walk, over real TLS: committees, members, assignments on real
    /// communes, a refused collision, history, audit chain, scope and role enforcement, idempotency, revisions.
    @Suite("Organisation: users, units, committees, assignments, audit", .timeLimit(.minutes(3)))
    struct OrganisationTests {
        /// Logs in with a one-time password and replaces it, as a new user must.
        static func firstLogin(_ connection: ClientConnection, _ login: String, _ oneTime: String) async throws {
            #expect(try await connection.request("LOGIN \(login) \(oneTime)").ok)
            #expect(try await connection.request("PASSWORD \(oneTime) \"mật khẩu mới của \(login)\"").ok)
        }

        @Test func aProvinceCommitteeAssignsRealCommunes() async throws {
            try await TestServer.run { server in
                let hungPassword = try await server.session("admin") { admin async throws -> String in
                    let created = try await admin.request(
                        "USER CREATE hung name=\"Trần Văn Hùng\" role=deputy scope=province:19 key=onboard-hung")
                    #expect(created.ok)
                    #expect(created.records.first?["must-change-password"] == "yes")
                    let password = try #require(created.records.first { $0.type == "ONE-TIME-PASSWORD" }?["password"])
                    // The same key and request replays without the secret; a different request is refused.
                    let replay = try await admin.request(
                        "USER CREATE hung name=\"Trần Văn Hùng\" role=deputy scope=province:19 key=onboard-hung")
                    #expect(replay.code == "REPLAYED")
                    #expect(replay.records.map(\.type) == ["USER"])
                    #expect(
                        try await admin.request(
                            "USER CREATE hung2 name=X role=deputy scope=province:19 key=onboard-hung"
                        )
                        .code == "IDEMPOTENCY-MISMATCH")
                    #expect(try await admin.request("USER CREATE hung name=X role=officer").code == "ALREADY-EXISTS")
                    #expect(
                        try await admin.request("USER CREATE s1 name=X role=staff scope=province:19").code == "INVALID")
                    #expect(
                        try await admin.request("USER CREATE s2 name=X role=officer scope=province:99").code
                            == "NOT-FOUND")
                    #expect(
                        try await admin.request("USER CREATE s3 name=X role=officer scope=province:02014").code
                            == "INVALID")

                    let committee = try await admin.request(
                        "COMMITTEE CREATE 19 name=\"Ban Chỉ đạo các chương trình MTQG tỉnh Thái Nguyên\" decision=1234/QĐ-UBND decided=2025-08-15 key=bcd-19"
                    )
                    #expect(committee.records.first?["id"] == "CM-1")
                    #expect(committee.records.first?["unit-name"] == "Tỉnh Thái Nguyên")
                    #expect(
                        try await admin.request("COMMITTEE CREATE 19 name=X decision=1 decided=2025-08-15").code
                            == "ALREADY-EXISTS")
                    #expect(
                        try await admin.request("COMMITTEE CREATE legacy:06 name=X decision=1 decided=2025-08-15").code
                            == "INVALID")
                    #expect(
                        try await admin.request("COMMITTEE CREATE 77 name=X decision=1 decided=2025-08-15").code
                            == "NOT-FOUND")
                    #expect(
                        try await admin.request("COMMITTEE CREATE 44 name=X decision=1 decided=2099-01-01").code
                            == "INVALID")
                    #expect(
                        try await admin.request("COMMITTEE CREATE 44 name=X decision=1 decided=2025-02-30").code
                            == "BAD-VALUE")

                    #expect(try await admin.request("COMMITTEE ADD-MEMBER CM-1 lan position=chair").ok)
                    #expect(try await admin.request("COMMITTEE ADD-MEMBER CM-1 minh position=member").ok)
                    #expect(try await admin.request("COMMITTEE ADD-MEMBER CM-1 hung position=deputy rev=3").ok)
                    #expect(
                        try await admin.request("COMMITTEE ADD-MEMBER CM-1 moi position=member").code == "INVALID",
                        "a commune-scoped user cannot sit on a province committee")
                    #expect(
                        try await admin.request("COMMITTEE ADD-MEMBER CM-1 khoa position=member").code == "DISABLED")
                    let stale = try await admin.request("COMMITTEE UPDATE CM-1 decision=1502/QĐ-UBND rev=2")
                    #expect(stale.code == "CONFLICT")
                    #expect(stale.completion.details.first { $0.key == "current" }?.value == "4")
                    let shown = try await admin.request("COMMITTEE SHOW CM-1")
                    #expect(shown.records.filter { $0.type == "MEMBER" }.map { $0["user"] } == ["lan", "hung", "minh"])
                    return password
                }
                try await server.connect { hung async throws in
                    try await Self.firstLogin(hung, "hung", hungPassword)
                    // A deputy assigns members to real communes of the province.
                    let lead = try await hung.request(
                        "ASSIGNMENT CREATE 02014 minh role=lead from=2026-11-24 decision=45/QĐ-BCĐ key=pc-02014-minh")
                    #expect(lead.records.first?["commune-name"] == "Xã Bạch Thông")
                    #expect(lead.records.first?["state"] == "active")
                    #expect(
                        try await hung.request(
                            "ASSIGNMENT CREATE 01849 lan role=lead from=2026-11-24 decision=45/QĐ-BCĐ"
                        ).ok)
                    #expect(
                        try await hung.request(
                            "ASSIGNMENT CREATE 02014 hung role=support from=2026-11-24 decision=45/QĐ-BCĐ"
                        )
                        .ok)
                    let collision = try await hung.request(
                        "ASSIGNMENT CREATE 02014 lan role=lead from=2026-12-01 decision=46/QĐ-BCĐ")
                    #expect(collision.code == "LEAD-EXISTS")
                    #expect(collision.completion.details.map(\.key) == ["lead", "assignment"])
                    #expect(collision.completion.details.first?.value == "minh")
                    #expect(
                        try await hung.request(
                            "ASSIGNMENT CREATE legacy:02017 lan role=lead from=2026-12-01 decision=1"
                        )
                        .code == "INVALID",
                        "a legacy commune is refused with its successor named")
                    #expect(
                        try await hung.request("ASSIGNMENT CREATE 18880 lan role=lead from=2026-12-01 decision=1").code
                            == "OUT-OF-SCOPE", "Đồng Hới is in Quảng Trị, outside the deputy's province")
                    #expect(
                        try await hung.request("ASSIGNMENT CREATE 01864 nobody role=lead from=2026-12-01 decision=1")
                            .code == "NOT-FOUND")
                    // The lead is handed over atomically; the old lead's assignment ends on the handover day.
                    let handover = try await hung.request(
                        "ASSIGNMENT REASSIGN 02014 hung from=2027-01-01 decision=61/QĐ-BCĐ reason=\"Điều chỉnh phân công\""
                    )
                    #expect(handover.records.map { $0["user"] } == ["minh", "hung", "hung"])
                    #expect(handover.records.first?["until"] == "2027-01-01")
                    #expect(handover.records.last?["state"] == "scheduled")
                    let history = try await hung.request("ASSIGNMENT LIST commune=02014")
                    #expect(history.records.filter { $0.type == "ASSIGNMENT" }.count == 3)
                    let audit = try await hung.request("HISTORY assignment:AS-1")
                    #expect(
                        audit.records.filter { $0.type == "AUDIT" }.map { $0["command"] } == [
                            "ASSIGNMENT CREATE", "ASSIGNMENT REASSIGN",
                        ])
                }
                // A member sees their own communes; vacancies are counted in their scope.
                try await server.session("minh") { minh async throws in
                    let mine = try await minh.request("ASSIGNMENT MINE")
                    #expect(mine.records.map { $0["commune"] } == ["02014"])
                    #expect(
                        try await minh.request("COMMITTEE CREATE 19 name=X decision=1 decided=2025-01-01").code
                            == "FORBIDDEN")
                    #expect(try await minh.request("USER LIST").code == "FORBIDDEN")
                    let vacant = try await minh.request("ASSIGNMENT VACANT province=19")
                    #expect(vacant.records.last?["total"] == "90")
                    #expect(try await minh.request("ASSIGNMENT VACANT province=44").code == "OUT-OF-SCOPE")
                }
                try await server.session("admin") { admin async throws in
                    let verify = try await admin.request("AUDIT VERIFY")
                    #expect(verify.records.first?["status"] == "ok")
                    let list = try await admin.request("AUDIT LIST actor=hung")
                    #expect(list.records.filter { $0.type == "AUDIT" }.count >= 5)
                }
            }
        }

        @Test func accountChangesReachOpenSessions() async throws {
            try await TestServer.run { server in
                try await server.session("minh") { minh async throws in
                    #expect(try await minh.request("USER LIST").code == "FORBIDDEN")
                    try await server.session("admin") { admin async throws in
                        let shown = try await admin.request("USER SHOW minh")
                        let rev = try #require(shown.records.first?["rev"])
                        #expect(try await admin.request("USER UPDATE minh role=deputy rev=\(rev)").ok)
                        let stale = try await admin.request("USER UPDATE minh phone=0912345678 rev=\(rev)")
                        #expect(stale.code == "CONFLICT")
                    }
                    // The role change applies from the open session's next command.
                    #expect(try await minh.request("USER LIST").ok)
                    try await server.session("admin") { admin async throws in
                        #expect(try await admin.request("USER DISABLE minh reason=\"Chuyển công tác\"").ok)
                        #expect(try await admin.request("USER DISABLE admin").code == "INVALID")
                    }
                    // The disabled account's open session ends at its next command.
                    do {
                        _ = try await minh.request("PING")
                        Issue.record("a disabled account's session went on")
                    } catch let bye as ClientConnection.ByeReceived {
                        guard case .bye(let code, _, _) = bye.response else { return }
                        #expect(code == "SESSION-REVOKED")
                    }
                }
                try await server.connect { again async throws in
                    #expect(try await again.request("LOGIN minh \"\(TestServer.password)\"").code == "AUTH-FAILED")
                }
                try await server.session("admin") { admin async throws in
                    #expect(try await admin.request("USER ENABLE minh").ok)
                    let reset = try await admin.request("USER RESET-PASSWORD minh")
                    #expect(reset.records.contains { $0.type == "ONE-TIME-PASSWORD" })
                    let users = try await admin.request("USER LIST q=\"hoang van\"")
                    #expect(users.records.filter { $0.type == "USER" }.map { $0["login"] } == ["minh"])
                }
            }
        }

        @Test func unitsAreSearchableByEveryRole() async throws {
            try await TestServer.run { server in
                try await server.session("moi") { _ async throws in }
                try await server.session("minh") { minh async throws in
                    let found = try await minh.request("UNIT SEARCH \"quang thuan\"")
                    #expect(found.records.first?["name"] == "Xã Quang Thuận")
                    #expect(found.records.first?["match"] == "exact")
                    let hoi = try await minh.request("UNIT SEARCH \"dong hoi\" edition=2025")
                    #expect(hoi.records.first?["code"] == "18880")
                    #expect(try await minh.request("UNIT SEARCH x").code == "INVALID")
                    let shown = try await minh.request("UNIT SHOW 02014")
                    #expect(shown.records.filter { $0.type == "LINEAGE" }.count == 3)
                    #expect(shown.records.contains { $0.type == "WORK-COUNT" })
                    let outside = try await minh.request("UNIT SHOW 18880")
                    #expect(!outside.records.contains { $0.type == "WORK-COUNT" }, "no work figures outside the scope")
                    let listed = try await minh.request("UNIT LIST province=19 type=ward limit=2")
                    #expect(listed.records.last?["total"] == "15")
                    #expect(try await minh.request("UNIT SHOW 99999").code == "NOT-FOUND")
                    #expect(try await minh.request("UNIT LIST province=02014").code == "INVALID")
                }
            }
        }
    }
}
