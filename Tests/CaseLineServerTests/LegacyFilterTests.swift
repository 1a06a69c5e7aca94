import CaseLineClient
import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import CaseLineStoreSQLite
import Foundation
import Testing

extension ServerSuites {
    /// Records made before July 2025 keep their legacy commune; lists find them by the legacy province or
    /// district that contained it (CLP1.md "Legacy filters"), within the caller's scope.
    @Suite("Legacy unit filters over TLS", .timeLimit(.minutes(2)))
    struct LegacyFilterTests {
        @Test func aLegacyProvinceOrDistrictFindsTheRecordsFiledUnderItsCommunes() async throws {
            try await TestServer.run { server in
                let audit = AuditEntry(actor: .system("test"), command: "test", entity: "household:-", change: "setup")
                // Xã Quang Thuận (legacy:02017) of Huyện Bạch Thông (legacy:063), Bắc Kạn (legacy:06): now 02014.
                let old = try await server.store.createHousehold(
                    Household(
                        commune: "legacy:02017", village: "Thôn Nà Hin", area: .rural, head: "Hoàng Văn Páo",
                        gender: .male, birth: "1968-04-12"), claim: nil, audit: audit)
                let new = try await server.store.createHousehold(
                    Household(
                        commune: "02014", village: "Thôn Nà Hin", area: .rural, head: "Lò Văn Sình", gender: .male,
                        birth: "1970-01-01"), claim: nil, audit: audit)
                let oldCase = try await server.store.createCase(
                    CaseFile(kind: .inspection, commune: "legacy:02017", title: "Kiểm tra 2023", creator: "canbo"),
                    claim: nil, audit: audit)
                _ = try await server.store.createCase(
                    CaseFile(kind: .inspection, commune: "02014", title: "Kiểm tra 2026", creator: "canbo"),
                    claim: nil, audit: audit)
                try await server.session("lan") { chair async throws in
                    let byDistrict = try await chair.request("HOUSEHOLD LIST district=legacy:063")
                    #expect(byDistrict.ok, "\(byDistrict.completion)")
                    #expect(byDistrict.records.filter { $0.type == "HOUSEHOLD" }.map { $0["id"] } == [old.id])
                    let byProvince = try await chair.request("CASE LIST province=legacy:06 state=draft")
                    #expect(byProvince.records.filter { $0.type == "CASE" }.map { $0["id"] } == [oldCase.id])
                    let current = try await chair.request("HOUSEHOLD LIST commune=02014")
                    #expect(
                        Set(current.records.filter { $0.type == "HOUSEHOLD" }.compactMap { $0["id"] }) == [
                            old.id, new.id,
                        ],
                        "a current commune still matches its predecessors")
                    #expect(try await chair.request("TASK LIST district=legacy:063").ok)
                    #expect(try await chair.request("REVIEW LIST district=legacy:063").ok)
                    #expect(
                        try await chair.request("HOUSEHOLD LIST district=legacy:02017").code == "INVALID",
                        "a commune is no district")
                    #expect(try await chair.request("HOUSEHOLD LIST district=02014").code == "INVALID")
                    #expect(
                        try await chair.request("CASE LIST province=legacy:44").code == "OUT-OF-SCOPE",
                        "legacy Quảng Bình is in today's Quảng Trị, not Thái Nguyên")
                }
                // Commune staff of 02014 reach Quang Thuận only, of all Huyện Bạch Thông's communes.
                try await server.session("canbo") { staff async throws in
                    let mine = try await staff.request("HOUSEHOLD LIST district=legacy:063")
                    #expect(mine.records.filter { $0.type == "HOUSEHOLD" }.map { $0["id"] } == [old.id])
                    #expect(try await staff.request("HOUSEHOLD LIST district=legacy:164").code == "OUT-OF-SCOPE")
                }
            }
        }
    }
}
