import CaseLineClient
import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import CaseLineStoreSQLite
import Foundation
import Testing

extension ServerSuites {
    @Suite("Cases, approval chains and delegation over TLS", .timeLimit(.minutes(3)))
    struct CaseTests {
        static func today(offset: Int = 0) -> String {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
            let date = calendar.date(byAdding: .day, value: offset, to: Date())!
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        }

        @Test func aCaseIsApprovedStepByStepWithADelegation() async throws {
            try await TestServer.run { server in
                try await TaskTests.organise(server.store)
                try await server.session("admin") { admin async throws in
                    let chains = try await admin.request("CHAIN LIST")
                    #expect(chains.records.count == 8)
                    #expect(chains.records.allSatisfy { $0["steps"] == "chair@commune" })
                    #expect(
                        try await admin.request("CHAIN SET vocational steps=staff@province").code == "INVALID")
                    #expect(
                        try await admin.request("CHAIN SET vocational steps=officer@province,officer@province").code
                            == "BAD-VALUE", "the codec refuses a repeated step")
                    let set = try await admin.request(
                        "CHAIN SET vocational steps=officer@province,chair@province rev=1")
                    #expect(set.records.first?["rev"] == "2")
                    #expect(
                        try await admin.request("CHAIN SET vocational steps=chair@province rev=1").code == "CONFLICT")
                }
                let id = try await server.session("canbo") { staff async throws -> String in
                    let request =
                        "CASE CREATE vocational 02014 title=\"Lớp may công nghiệp cho 25 lao động\" amount=30000000 funding=central:20000000,commune:10000000 documents=12/KH-UBND,3/QĐ-UBND key=lop-may"
                    let created = try await staff.request(request)
                    #expect(created.ok, "\(created.completion)")
                    #expect(created.records.first?["state"] == "draft")
                    #expect(try await staff.request(request).code == "REPLAYED")
                    #expect(
                        try await staff.request(
                            "CASE CREATE vocational 02014 title=x amount=30000000 funding=central:20000000"
                        ).code == "INVALID", "funding must add up")
                    #expect(
                        try await staff.request("CASE CREATE livelihood 02014 title=x households=HH-9").code
                            == "NOT-FOUND")
                    #expect(try await staff.request("CASE CREATE vocational 18880 title=x").code == "OUT-OF-SCOPE")
                    let id = try #require(created.records.first?["id"])
                    let submitted = try await staff.request("CASE SUBMIT \(id) rev=1")
                    #expect(submitted.ok, "\(submitted.completion)")
                    #expect(submitted.records.first?["chain"] == "officer@province,chair@province")
                    #expect(
                        submitted.records.filter { $0.type == "STEP" }.map { $0["state"] } == ["waiting", "queued"])
                    #expect(try await staff.request("CASE APPROVE \(id)").code == "SELF-APPROVAL")
                    #expect(try await staff.request("CASE SUBMIT \(id)").code == "INVALID-TRANSITION")
                    return id
                }
                // A later chain change never touches a submitted case.
                try await server.session("admin") { admin async throws in
                    #expect(try await admin.request("CHAIN SET vocational steps=chair@province").ok)
                    #expect(try await admin.request("CASE APPROVE \(id)").code == "FORBIDDEN")
                    #expect(try await admin.request("PENDING").records.isEmpty)
                }
                try await server.session("lan") { chair async throws in
                    #expect(
                        try await chair.request("CASE APPROVE \(id)").code == "FORBIDDEN", "step 1 is the officer's")
                    let delegated = try await chair.request(
                        "DELEGATION CREATE pho from=\(Self.today()) until=\(Self.today(offset: 3)) note=\"Nghỉ phép\" key=dl-lan"
                    )
                    #expect(delegated.records.first?["state"] == "active")
                    #expect(
                        try await chair.request(
                            "DELEGATION CREATE minh from=\(Self.today(offset: 1)) until=\(Self.today(offset: 5))"
                        ).code == "INVALID", "windows of one delegator may not overlap")
                    #expect(
                        try await chair.request("DELEGATION CREATE canbo from=\(Self.today()) until=\(Self.today())")
                            .code == "INVALID", "a commune-scoped delegate cannot stand in for a province chair")
                }
                try await server.session("minh") { officer async throws in
                    let pending = try await officer.request("PENDING")
                    #expect(pending.records.first { $0.type == "PENDING" }?["via"] == "direct")
                    #expect(pending.records.first { $0.type == "PENDING-COUNT" }?["count"] == "1")
                    let approved = try await officer.request(
                        "CASE APPROVE \(id) note=\"Đã kiểm tra danh sách học viên\"")
                    #expect(approved.ok, "\(approved.completion)")
                    #expect(approved.records.first?["step"] == "2/2")
                    #expect(try await officer.request("CASE APPROVE \(id)").code == "FORBIDDEN")
                }
                try await server.session("pho") { deputy async throws in
                    let pending = try await deputy.request("PENDING")
                    #expect(pending.records.first { $0.type == "PENDING" }?["via"] == "delegation:DL-1")
                    let approved = try await deputy.request("CASE APPROVE \(id)")
                    #expect(approved.completion.text.contains("pho on behalf of lan"))
                    #expect(approved.records.first?["state"] == "approved")
                    let step = try #require(approved.records.last)
                    #expect(step["by"] == "pho")
                    #expect(step["on-behalf-of"] == "lan")
                    #expect(step["delegation"] == "DL-1")
                    let history = try await deputy.request("HISTORY case:\(id)")
                    #expect(history.records.contains { $0["on-behalf-of"] == "lan" })
                }
                try await server.session("admin") { admin async throws in
                    #expect(try await admin.request("DELEGATION END DL-1").records.first?["state"] == "ended")
                    #expect(try await admin.request("DELEGATION END DL-1").code == "INVALID")
                    #expect(try await admin.request("AUDIT VERIFY").records.first?["status"] == "ok")
                }
            }
        }

        @Test func aReturnedCaseIsRevisedAndResubmittedThenRejected() async throws {
            try await TestServer.run { server in
                try await TaskTests.organise(server.store)
                try await server.session("admin") { admin async throws in
                    #expect(try await admin.request("CHAIN SET inspection steps=deputy@province,chair@province").ok)
                }
                let id = try await server.session("minh") { officer async throws -> String in
                    let created = try await officer.request(
                        "CASE CREATE inspection 02014 title=\"Kiểm tra công tác giảm nghèo tại xã Bạch Thông\"")
                    let id = try #require(created.records.first?["id"])
                    #expect(try await officer.request("CASE SUBMIT \(id)").ok)
                    return id
                }
                try await server.session("pho") { deputy async throws in
                    #expect(try await deputy.request("CASE RETURN \(id) reason=\"   \"").code == "INVALID")
                    let returned = try await deputy.request("CASE RETURN \(id) reason=\"Thiếu kế hoạch kiểm tra\"")
                    #expect(
                        returned.records.filter { $0.type == "STEP" }.map { $0["state"] } == ["returned", "skipped"])
                }
                try await server.session("minh") { officer async throws in
                    let shown = try await officer.request("CASE SHOW \(id)")
                    let rev = try #require(shown.records.first?["rev"])
                    #expect(try await officer.request("CASE UPDATE \(id) documents=05/KH-BCĐ rev=1").code == "CONFLICT")
                    #expect(try await officer.request("CASE UPDATE \(id) documents=05/KH-BCĐ rev=\(rev)").ok)
                    let again = try await officer.request("CASE SUBMIT \(id)")
                    #expect(again.records.first?["round"] == "2")
                }
                try await server.session("pho") { deputy async throws in
                    #expect(try await deputy.request("CASE APPROVE \(id)").ok, "round 2 starts again at step 1")
                    #expect(try await deputy.request("CASE REJECT \(id) reason=x").code == "FORBIDDEN")
                }
                try await server.session("lan") { chair async throws in
                    #expect(try await chair.request("CASE REJECT \(id) reason=\"Trùng kế hoạch của tỉnh\"").ok)
                    let shown = try await chair.request("CASE SHOW \(id)")
                    #expect(shown.records.first?["state"] == "rejected")
                    #expect(shown.records.filter { $0.type == "STEP" }.count == 4, "both rounds are kept")
                    #expect(
                        try await chair.request("CASE UPDATE \(id) title=y rev=\(shown.records.first!["rev"]!)").code
                            == "INVALID-TRANSITION")
                }
                try await server.session("kiemtoan") { auditor async throws in
                    let listed = try await auditor.request("CASE LIST state=rejected")
                    #expect(listed.records.last?["total"] == "1")
                    #expect(try await auditor.request("CASE CREATE inspection 02014 title=x").code == "FORBIDDEN")
                }
            }
        }

        @Test func aHousingCaseNamesHouseholdsOfItsCommune() async throws {
            try await TestServer.run { server in
                try await TaskTests.organise(server.store)
                let audit = AuditEntry(actor: .system("test"), command: "test", entity: "household:-", change: "setup")
                let here = try await server.store.createHousehold(
                    Household(
                        commune: "02014", village: "Thôn Nà Hin", area: .rural, head: "Hoàng Văn Páo", gender: .male,
                        birth: "1968-04-12"), claim: nil, audit: audit)
                let elsewhere = try await server.store.createHousehold(
                    Household(
                        commune: "01849", village: "Thôn Khuổi Lặng", area: .rural, head: "Triệu Thị Mây",
                        gender: .female, birth: "1975-02-01"), claim: nil, audit: audit)
                try await server.session("canbo") { staff async throws in
                    #expect(
                        try await staff.request(
                            "CASE CREATE housing-repair 02014 title=x households=\(elsewhere.id)"
                        ).code == "INVALID", "a household of another commune")
                    let draft = try await staff.request(
                        "CASE CREATE housing-repair 02014 title=\"Sửa nhà hộ ông Páo\" documents=45/TTr-UBND")
                    let id = try #require(draft.records.first?["id"])
                    let incomplete = try await staff.request("CASE SUBMIT \(id)")
                    #expect(incomplete.code == "INVALID")
                    #expect(incomplete.completion.text.contains("household"))
                    let rev = try #require(draft.records.first?["rev"])
                    let completed = try await staff.request(
                        "CASE UPDATE \(id) amount=20000000 funding=central:15000000,socialised:5000000 households=\(here.id) rev=\(rev)"
                    )
                    #expect(completed.records.first?["households"] == here.id)
                    #expect(try await staff.request("CASE SUBMIT \(id)").ok)
                }
            }
        }
    }
}
