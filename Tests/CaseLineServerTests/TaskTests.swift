import CaseLineClient
import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import CaseLineStoreSQLite
import Foundation
import Testing

extension ServerSuites {
    @Suite("Tasks over TLS", .timeLimit(.minutes(3)))
    struct TaskTests {
        /// minh (officer) leads Xã Bạch Thông (02014) under its commune committee.
        static func organise(_ store: any Store) async throws {
            let audit = AuditEntry(actor: .system("test"), command: "test", entity: "-", change: "setup")
            let committee = try await store.createCommittee(
                unit: "02014", name: "Ban Chỉ đạo xã Bạch Thông", decision: "88/QĐ-UBND", decided: "2025-09-02",
                claim: nil, audit: audit)
            _ = try await store.addMember(
                Committee.Member(committee: committee.id, login: "minh", position: .member, since: "2025-09-02"),
                expectedRevision: nil, audit: audit)
            _ = try await store.createAssignment(
                Assignment(
                    id: "", commune: "02014", login: "minh", role: .lead, from: "2025-09-15", decision: "12/QĐ-BCĐ",
                    committee: committee.id), claim: nil, audit: audit)
        }

        // Also on PostgreSQL: the end-to-end paths that matter run once on each store.
        @Test(arguments: TestServer.Backend.allCases)
        func aTaskGoesFromCreationToDone(_ backend: TestServer.Backend) async throws {
            try await TestServer.run(backend: backend) { server in
                try await Self.organise(server.store)
                let description = "Rà soát theo QĐ 24/2021/QĐ-TTg.\nHọp thôn xong trước ngày 05/12/2026."
                let id = try await server.session("pho") { deputy async throws -> String in
                    var command = Command(tag: "c1", name: "TASK CREATE", arguments: ["02014"])
                    command.options = [
                        "title": "Rà soát hộ nghèo, hộ cận nghèo năm 2026", "assignee": "canbo", "due": "2099-12-14",
                        "priority": "high", "component": "other", "key": "rs-02014", "description": description,
                    ]
                    let created = try await deputy.request(command)
                    #expect(created.ok, "\(created.completion)")
                    let task = try #require(created.records.first)
                    #expect(task["state"] == "assigned")
                    #expect(task["description"] == description)
                    #expect(task["overdue"] == "no")
                    command.tag = "c2"
                    #expect(try await deputy.request(command).code == "REPLAYED")
                    #expect(
                        try await deputy.request("TASK CREATE 02014 title=\"   \"").code == "INVALID", "a blank title")
                    #expect(
                        try await deputy.request("TASK CREATE 02014 title=x due=2020-01-01").code == "INVALID",
                        "a due date in the past")
                    #expect(
                        try await deputy.request("TASK CREATE 02014 title=x assignee=kiemtoan").code == "INVALID",
                        "an auditor is given no tasks")
                    #expect(try await deputy.request("TASK CREATE 02014 title=x assignee=khoa").code == "DISABLED")
                    #expect(try await deputy.request("TASK CREATE 18880 title=x").code == "OUT-OF-SCOPE")
                    #expect(try await deputy.request("TASK CREATE legacy:02017 title=x").code == "INVALID")
                    #expect(try await deputy.request("TASK CREATE 19 title=x").code == "INVALID")
                    return try #require(task["id"])
                }
                try await server.session("admin") { admin async throws in
                    #expect(try await admin.request("TASK CREATE 02014 title=x").code == "FORBIDDEN")
                    #expect(try await admin.request("TASK SHOW \(id)").ok, "admins read tasks")
                }
                try await server.session("lan") { chair async throws in
                    // Only the assignee starts the work.
                    let early = try await chair.request("TASK MOVE \(id) inprogress")
                    #expect(early.code == "FORBIDDEN")
                    let wrong = try await chair.request("TASK MOVE \(id) done")
                    #expect(wrong.code == "INVALID-TRANSITION")
                    #expect(wrong.completion.details.map(\.value) == ["assigned", "done"])
                }
                try await server.session("canbo") { staff async throws in
                    #expect(try await staff.request("TASK MOVE \(id) inprogress").ok)
                    #expect(
                        try await staff.request("TASK MOVE \(id) blocked").code == "INVALID", "a reason is required")
                    let blocked = try await staff.request("TASK MOVE \(id) blocked reason=\"Chờ thôn họp bình xét\"")
                    #expect(blocked.records.first?["reason"] == "Chờ thôn họp bình xét")
                    #expect(try await staff.request("TASK MOVE \(id) inprogress").ok)
                    let before = try #require(try await staff.request("TASK SHOW \(id)").records.first?["rev"])
                    let comment = try await staff.request("TASK COMMENT \(id) \"Đã họp thôn Nà Hin: 52/60 hộ đồng ý.\"")
                    #expect(comment.records.first?["id"]?.hasPrefix("TC-") == true)
                    let after = try await staff.request("TASK SHOW \(id)")
                    #expect(after.records.first?["rev"] == before, "a comment does not change the revision")
                    #expect(after.records.first?["comments"] == "1")
                    #expect(try await staff.request("TASK MOVE \(id) submitted").ok)
                    #expect(
                        try await staff.request("TASK MOVE \(id) done").code == "FORBIDDEN",
                        "no approving your own work")
                }
                try await server.session("minh") { lead async throws in
                    // The commune's lead reviews: returns it once, then accepts it.
                    #expect(
                        try await lead.request("TASK MOVE \(id) returned reason=\"Thiếu biên bản thôn Khuổi Lặng\"").ok)
                    let stale = try await lead.request("TASK UPDATE \(id) priority=urgent rev=1")
                    #expect(stale.code == "CONFLICT")
                }
                try await server.session("canbo") { staff async throws in
                    #expect(try await staff.request("TASK MOVE \(id) inprogress").ok)
                    #expect(try await staff.request("TASK MOVE \(id) submitted").ok)
                }
                try await server.session("minh") { lead async throws in
                    #expect(try await lead.request("TASK MOVE \(id) done").ok)
                    let closed = try await lead.request("TASK UPDATE \(id) priority=low rev=99")
                    #expect(closed.code == "CONFLICT", "the revision is checked before the state")
                    let rev = try #require(try await lead.request("TASK SHOW \(id)").records.first?["rev"])
                    let update = try await lead.request("TASK UPDATE \(id) priority=low rev=\(rev)")
                    #expect(update.code == "INVALID-TRANSITION")
                    let shown = try await lead.request("TASK SHOW \(id)")
                    let path = shown.records.filter { $0.type == "TRANSITION" }.map { "\($0["from"]!)→\($0["to"]!)" }
                    #expect(
                        path == [
                            "new→assigned", "assigned→inprogress", "inprogress→blocked", "blocked→inprogress",
                            "inprogress→submitted", "submitted→returned", "returned→inprogress", "inprogress→submitted",
                            "submitted→done",
                        ])
                    let history = try await lead.request("HISTORY task:\(id)")
                    #expect(history.records.filter { $0.type == "AUDIT" }.count == 10)
                }
            }
        }

        @Test func listsPutOverdueWorkFirstAndRespectScope() async throws {
            try await TestServer.run { server in
                try await Self.organise(server.store)
                let audit = AuditEntry(actor: .system("test"), command: "test", entity: "task:-", change: "setup")
                for (title, due, commune) in [
                    ("không hạn", nil, "02014"), ("quá hạn lâu", "2020-01-10", "02014"),
                    ("sắp tới", "2099-01-01", "02014"),
                    ("quá hạn gần", "2024-06-01", "02014"), ("tỉnh khác", "2020-01-01", "18880"),
                ] as [(String, String?, String)] {
                    _ = try await server.store.createTask(
                        WorkTask(commune: commune, title: title, state: .new, due: due, creator: "lan"),
                        transition: nil,
                        claim: nil, audit: audit)
                }
                try await server.session("minh") { minh async throws in
                    let listed = try await minh.request("TASK LIST")
                    #expect(
                        listed.records.filter { $0.type == "TASK" }.map { $0["title"] } == [
                            "quá hạn lâu", "quá hạn gần", "sắp tới", "không hạn",
                        ])
                    let overdue = try await minh.request("TASK LIST overdue=yes commune=02014")
                    #expect(overdue.records.last?["total"] == "2")
                    #expect(try await minh.request("TASK LIST commune=18880").code == "OUT-OF-SCOPE")
                    #expect(try await minh.request("TASK SHOW T-5").code == "OUT-OF-SCOPE")
                    let unit = try await minh.request("UNIT SHOW 02014")
                    let counts = try #require(unit.records.first { $0.type == "WORK-COUNT" })
                    #expect(counts["open-tasks"] == "4")
                    #expect(counts["overdue-tasks"] == "2")
                    // An officer who leads the commune creates tasks there; elsewhere in the province they may not.
                    #expect(try await minh.request("TASK CREATE 02014 title=\"Họp thôn\"").ok)
                    #expect(try await minh.request("TASK CREATE 01849 title=\"Họp thôn\"").code == "FORBIDDEN")
                }
            }
        }
    }
}
