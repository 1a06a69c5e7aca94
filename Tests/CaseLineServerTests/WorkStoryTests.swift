import CaseLineClient
import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation
import Testing

extension ServerSuites {
    /// The work issue's story over real TLS, close to the seeds: a poor household in Xã Bạch Thông (Thái
    /// Nguyên), a house-repair grant of 20,000,000 VND approved by the commune chair and then, while the
    /// province chair is on leave, by her deputy on her behalf; a second case rejected, a third returned and
    /// resubmitted; a stale update, a retried create, a submitter trying to approve; the audit chain intact.
    @Suite("The work story", .timeLimit(.minutes(3)))
    struct WorkStoryTests {
        // Also on PostgreSQL: the end-to-end paths that matter run once on each store.
        @Test(arguments: TestServer.Backend.allCases)
        func aHousingGrantFromHouseholdToApproval(_ backend: TestServer.Backend) async throws {
            try await TestServer.run(backend: backend) { server in
                try await TaskTests.organise(server.store)  // minh (officer) leads 02014
                try await server.session("admin") { admin async throws in
                    #expect(try await admin.request("CHAIN SET housing-repair steps=chair@commune,chair@province").ok)
                }
                try await server.session("lan") { chair async throws in
                    let today = CaseTests.today()
                    #expect(
                        try await chair.request(
                            "DELEGATION CREATE pho from=\(today) until=\(CaseTests.today(offset: 10)) note=\"Nghỉ phép\""
                        ).ok)
                }
                // The member responsible for the commune records a poor household and opens the case.
                let (grant, second, third) = try await server.session("minh") {
                    minh async throws -> (String, String, String) in
                    let household = try await minh.request(
                        "HOUSEHOLD CREATE 02014 head=\"Hoàng Văn Páo\" gender=male birth=1968-04-12 ethnicity=Tày id-number=006068001234 village=\"Thôn Nà Hin\" area=rural key=hh-pao"
                    )
                    let hh = try #require(household.records.first?["id"], "\(household.completion)")
                    let rev = try #require(household.records.first?["rev"])
                    let assessed = try await minh.request(
                        "HOUSEHOLD ASSESS \(hh) year=2025 income=1200000 deprived=housing-quality,housing-area,latrine,information-access rev=\(rev)"
                    )
                    #expect(assessed.ok, "\(assessed.completion)")
                    #expect(assessed.records.contains { $0["class"] == "poor" }, "\(assessed.records)")
                    let create =
                        "CASE CREATE housing-repair 02014 title=\"Hỗ trợ sửa chữa nhà ở cho hộ ông Hoàng Văn Páo\" amount=20000000 funding=central:15000000,socialised:5000000 households=\(hh) documents=45/TTr-UBND key=nha-pao"
                    let created = try await minh.request(create)
                    let id = try #require(created.records.first?["id"], "\(created.completion)")
                    let retried = try await minh.request(create)
                    #expect(retried.code == "REPLAYED")
                    #expect(retried.records.first?["id"] == id, "a retried create makes nothing new")
                    #expect(try await minh.request("CASE LIST commune=02014").records.last?["total"] == "1")
                    #expect(try await minh.request("CASE UPDATE \(id) documents=45/TTr-UBND,12/BB-HDBX rev=1").ok)
                    let stale = try await minh.request("CASE UPDATE \(id) title=\"Sửa nhà\" rev=1")
                    #expect(stale.code == "CONFLICT")
                    #expect(stale.completion.details.first { $0.key == "current" }?.value == "2")
                    #expect(try await minh.request("CASE SUBMIT \(id) rev=2").ok)
                    #expect(try await minh.request("CASE APPROVE \(id)").code == "SELF-APPROVAL")
                    var others: [String] = []
                    for title in ["Hỗ trợ sửa nhà lần hai", "Hỗ trợ sửa nhà lần ba"] {
                        let other = try await minh.request(
                            "CASE CREATE housing-repair 02014 title=\"\(title)\" amount=10000000 funding=central:10000000 households=\(hh)"
                        )
                        let otherID = try #require(other.records.first?["id"])
                        #expect(try await minh.request("CASE SUBMIT \(otherID)").ok)
                        others.append(otherID)
                    }
                    return (id, others[0], others[1])
                }
                try await server.session("chutich") { communeChair async throws in
                    let pending = try await communeChair.request("PENDING")
                    #expect(pending.records.filter { $0.type == "PENDING" }.count == 3)
                    #expect(try await communeChair.request("CASE APPROVE \(grant) note=\"Đã kiểm tra thực tế\"").ok)
                    #expect(
                        try await communeChair.request(
                            "CASE REJECT \(second) reason=\"Hộ đã được hỗ trợ nhà ở năm 2024\""
                        ).ok)
                    #expect(
                        try await communeChair.request("CASE RETURN \(third) reason=\"Thiếu biên bản họp thôn\"").ok)
                }
                try await server.session("minh") { minh async throws in
                    let shown = try await minh.request("CASE SHOW \(third)")
                    let rev = try #require(shown.records.first?["rev"])
                    #expect(try await minh.request("CASE UPDATE \(third) documents=12/BB-HDBX rev=\(rev)").ok)
                    #expect(try await minh.request("CASE SUBMIT \(third)").records.first?["round"] == "2")
                }
                // The province chair is on leave: her deputy decides step 2 on her behalf.
                try await server.session("pho") { deputy async throws in
                    let approved = try await deputy.request("CASE APPROVE \(grant)")
                    #expect(approved.records.first?["state"] == "approved", "\(approved.completion)")
                    let step = try #require(approved.records.last)
                    #expect(step["by"] == "pho")
                    #expect(step["on-behalf-of"] == "lan")
                }
                try await server.session("kiemtoan") { auditor async throws in
                    let verify = try await auditor.request("AUDIT VERIFY")
                    #expect(verify.records.first?["status"] == "ok")
                    let states = try await auditor.request("CASE LIST")
                    let byID = Dictionary(
                        uniqueKeysWithValues: states.records.filter { $0.type == "CASE" }.map {
                            ($0["id"]!, $0["state"]!)
                        })
                    #expect(byID[grant] == "approved")
                    #expect(byID[second] == "rejected")
                    #expect(byID[third] == "submitted")
                    let trail = try await auditor.request("HISTORY case:\(grant)")
                    #expect(trail.records.contains { $0["actor"] == "pho" && $0["on-behalf-of"] == "lan" })
                }
            }
        }
    }
}
