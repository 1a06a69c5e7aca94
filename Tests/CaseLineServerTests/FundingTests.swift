import CaseLineClient
import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation
import Testing

extension ServerSuites {
    /// The funding ledger and the reports of money and outputs (CLP1.md §10.13) over TLS, with the issue's
    /// acceptance examples: housing 2023 (3 new houses at 50,000,000 + 8 repairs at 25,000,000 = 350,000,000
    /// VND) and health insurance (896 poor + 1,148 near-poor persons = 2,044 persons, 1,837,272,000 VND).
    @Suite("Funding ledger and reports over TLS", .timeLimit(.minutes(3)))
    struct FundingTests {
        static let audit = AuditEntry(actor: .system("test"), command: "test", entity: "case:-", change: "setup")

        /// An approved case of 2023, made in the store (the approval round is CaseTests').
        static func approved(
            _ store: any Store, kind: CaseFile.Kind, amount: Int64, beneficiaries: Beneficiaries = Beneficiaries(),
            commune: String = "02014", decided: String = "2023-04-10T03:00:00Z"
        ) async throws -> CaseFile {
            var file = try await store.createCase(
                CaseFile(
                    kind: kind, commune: commune, title: "\(kind.rawValue) 2023", amount: amount,
                    funding: [.init(source: "central", amount: amount)], creator: "canbo", year: 2023,
                    beneficiaries: beneficiaries),
                claim: nil, audit: audit)
            file.state = .approved
            file.decidedAt = Timestamp.parse(decided)
            return try await store.saveCase(file, expectedRevision: 1, steps: [], audit: audit)
        }

        static func money(_ records: [Record], project: String, source: String = "all") -> Record? {
            // The grand total is the last row (per-commune totals come before it).
            records.last { $0.type == "MONEY" && $0["project"] == project && $0["source"] == source }
        }

        @Test(arguments: TestServer.Backend.allCases)
        func theLedgerIsWrittenByWhomItShouldAndAlwaysBalances(_ backend: TestServer.Backend) async throws {
            try await TestServer.run(backend: backend) { server in
                try await TaskTests.organise(server.store)
                let paid = try await Self.approved(server.store, kind: .housingNew, amount: 50_000_000)
                let other = try await Self.approved(
                    server.store, kind: .housingNew, amount: 50_000_000, commune: "18880")
                let allocate =
                    "FUND ALLOCATE unit=02014 year=2023 project=5 source=central nature=recurrent amount=350000000 "
                    + "document=\"1234/QĐ-UBND\" key=nha-2023"
                for login in ["canbo", "minh", "kiemtoan"] {
                    try await server.session(login) { connection async throws in
                        #expect(try await connection.request(allocate).code == "FORBIDDEN", "\(login)")
                    }
                }
                try await server.session("lan") { chair async throws in
                    let created = try await chair.request(allocate)
                    #expect(created.ok, "\(created.completion)")
                    let record = try #require(created.records.first)
                    #expect(record.type == "ALLOCATION" && record["id"] == "AL-1" && record["available"] == "350000000")
                    #expect(record["unit-name"] == "Xã Bạch Thông")
                    #expect(try await chair.request(allocate).code == "REPLAYED")
                    #expect(
                        try await chair.request(
                            "FUND ALLOCATE unit=02014 year=2023 project=5 source=central amount=1 document=x"
                        ).code == "INVALID", "central money names its nature")
                    #expect(
                        try await chair.request(
                            "FUND ALLOCATE unit=18880 year=2023 project=5 source=provincial amount=1 document=x"
                        ).code == "OUT-OF-SCOPE")
                    #expect(
                        try await chair.request(
                            "FUND ALLOCATE unit=legacy:164 year=2023 project=5 source=provincial amount=1 document=x"
                        ).code == "INVALID", "a district receives no allocation")
                }
                try await server.session("minh") { officer async throws in
                    let payment = try await officer.request(
                        "FUND DISBURSE AL-1 amount=50000000 date=2023-06-15 case=\(paid.id) document=\"UNC 15\" key=p1")
                    #expect(payment.ok, "\(payment.completion)")
                    #expect(payment.records.first?["case"] == paid.id && payment.records.first?["id"] == "DB-1")
                    #expect(
                        try await officer.request("FUND DISBURSE AL-1 amount=1 date=2023-06-15 case=\(paid.id)").code
                            == "INVALID", "the case is paid in full")
                    #expect(
                        try await officer.request("FUND DISBURSE AL-1 amount=1 date=2023-06-15 case=\(other.id)").code
                            == "NOT-FOUND", "a case outside the officer's scope")
                    let beyond = try await officer.request("FUND DISBURSE AL-1 amount=300000001 date=2023-07-01")
                    #expect(beyond.code == "INVALID" && beyond.completion.text.contains("300000000 VND left"))
                    #expect(
                        try await officer.request("FUND DISBURSE AL-1 amount=300000001 date=2023-07-01 override=x").code
                            == "FORBIDDEN", "only the chair or an admin overrides")
                    #expect(
                        try await officer.request("FUND DISBURSE AL-1 amount=1 date=2099-07-01").code == "INVALID")
                    #expect(try await officer.request("FUND DISBURSE AL-1 amount=200000000 date=2024-01-20").ok)
                }
                try await server.session("pho") { deputy async throws in
                    let carried = try await deputy.request(
                        "FUND CARRY AL-1 year=2024 amount=100000000 document=\"56/QĐ-UBND\"")
                    #expect(carried.ok, "\(carried.completion)")
                    #expect(carried.records.first?["carried-from"] == "AL-1" && carried.records.first?["id"] == "AL-2")
                    #expect(
                        try await deputy.request("FUND CARRY AL-1 year=2024 amount=1 document=x").code == "INVALID",
                        "nothing is left to carry")
                }
                try await server.session("lan") { chair async throws in
                    let over = try await chair.request(
                        "FUND DISBURSE AL-1 amount=5000000 date=2024-01-25 override=\"QĐ bổ sung 88/QĐ-UBND\"")
                    #expect(over.ok, "\(over.completion)")
                    #expect(
                        try await chair.request("FUND DISBURSE AL-2 amount=1 date=2024-01-25 override=x").code
                            == "INVALID", "an override that overrides nothing")
                    let shown = try await chair.request("FUND SHOW AL-1")
                    #expect(
                        shown.records.map(\.type) == [
                            "ALLOCATION", "DISBURSEMENT", "DISBURSEMENT", "DISBURSEMENT", "ALLOCATION",
                        ])
                    #expect(shown.records.first?["available"] == "-5000000" && shown.records.first?["overrides"] == "1")
                    let list = try await chair.request("FUND LIST province=19 year=2024")
                    #expect(list.records.filter { $0.type == "ALLOCATION" }.map { $0["id"] } == ["AL-2"])
                    #expect(list.records.last?["total"] == "1")
                    let history = try await chair.request("HISTORY allocation:AL-1")
                    #expect(history.records.filter { $0.type == "AUDIT" }.count == 4, "allocated, then 3 payments")
                    let carry = try await chair.request("HISTORY allocation:AL-2")
                    #expect(carry.records.first?["change"]?.contains("of AL-1 (2023) over to 2024 as AL-2") == true)

                    // 2023: allocated 350 M; paid 50 M in 2023; the 200 M and 5 M of January 2024 are not 2023's.
                    let year = try await chair.request("REPORT MONEY commune=02014 period=2023")
                    #expect(year.ok, "\(year.completion)")
                    let header = try #require(year.records.first)
                    #expect(header.type == "REPORT" && header["report"] == "money" && header["unit"] == "02014")
                    #expect(header["from"] == "2023-01-01" && header["to"] == "2023-12-31" && header["communes"] == "1")
                    let row = try #require(Self.money(year.records, project: "5", source: "central"))
                    #expect(row["nature"] == "recurrent" && row["allocated"] == "350000000")
                    #expect(row["disbursed"] == "50000000" && row["carried-out"] == "100000000")
                    #expect(row["remaining"] == "200000000" && row["rate"] == "14.29" && row["overrides"] == "0")
                    let total = try #require(Self.money(year.records, project: "all"))
                    #expect(total["allocated"] == "350000000" && total["disbursed"] == "50000000")
                    // From 2023 to January 2024: both years' money, the carry-over counted in and out.
                    let span = try await chair.request("REPORT MONEY province=19 from=2023-01-01 through=2024-01-31")
                    let both = try #require(Self.money(span.records, project: "all"))
                    #expect(both["allocated"] == "350000000" && both["carried-in"] == "100000000")
                    #expect(both["disbursed"] == "255000000" && both["carried-out"] == "100000000")
                    #expect(
                        both["remaining"] == "95000000" && both["overrides"] == "1", "AL-1 is 5 M over, AL-2 untouched")
                    #expect(both["rate"] == "56.67", "255 of 450: 56.666… rounds half up")
                    // As of 2023-12-31 nothing recorded since counts: the ledger was written in 2026.
                    let early = try await chair.request("REPORT MONEY commune=02014 period=2023 as-of=2023-12-31")
                    #expect(early.records.filter { $0.type == "MONEY" }.count == 1)
                    #expect(Self.money(early.records, project: "all")?["allocated"] == "0")
                    let byCommune = try await chair.request("REPORT MONEY province=19 period=2023 by=commune")
                    #expect(
                        byCommune.records.contains {
                            $0["commune"] == "02014" && $0["commune-name"] == "Xã Bạch Thông" && $0["project"] == "all"
                        })
                    #expect(Self.money(byCommune.records, project: "all")?["commune"] == "all")
                    #expect(
                        try await chair.request("REPORT MONEY commune=02014").code == "INVALID", "a period is needed")
                    #expect(
                        try await chair.request("REPORT MONEY commune=02014 period=2023-Q1").code == "INVALID")
                    #expect(
                        try await chair.request("REPORT MONEY commune=18880 period=2023").code == "OUT-OF-SCOPE")
                }
                try await server.session("kiemtoan") { auditor async throws in
                    #expect(
                        try await auditor.request("FUND LIST").records.filter { $0.type == "ALLOCATION" }.count == 2)
                    let national = try await auditor.request("REPORT MONEY period=2023")
                    #expect(national.records.first?["unit"] == "national")
                    #expect(Self.money(national.records, project: "all")?["allocated"] == "350000000")
                    #expect(
                        try await auditor.request("FUND DISBURSE AL-1 amount=1 date=2023-06-15").code == "FORBIDDEN")
                }
            }
        }

        /// Money of the legacy edition rolls up through the lineage: a legacy commune's allocation counts under its
        /// 2025 successor, and a legacy district's or province's report rebuilds the old unit from its communes.
        @Test func legacyMoneyRollsUpThroughTheLineage() async throws {
            try await TestServer.run { server in
                try await server.session("lan") { chair async throws in
                    // Xã Quang Thuận (legacy:02017) of Huyện Bạch Thông (legacy:063), Bắc Kạn (legacy:06): now 02014.
                    for request in [
                        "FUND ALLOCATE unit=legacy:02017 year=2024 project=5 source=district amount=100000000 document=a",
                        "FUND ALLOCATE unit=legacy:06 year=2024 project=7.2 source=provincial amount=50000000 document=b",
                        "FUND ALLOCATE unit=02014 year=2024 project=5 source=central nature=investment amount=30000000 document=c",
                    ] {
                        let answer = try await chair.request(request)
                        #expect(answer.ok, "\(request): \(answer.completion)")
                    }
                    #expect(try await chair.request("FUND DISBURSE AL-1 amount=40000000 date=2024-08-01").ok)
                    let district = try await chair.request("REPORT MONEY district=legacy:063 period=2024 by=commune")
                    #expect(district.records.first?["unit"] == "legacy:063")
                    let rows = district.records.filter { $0.type == "MONEY" && $0["project"] != "all" }
                    #expect(rows.map { $0["commune"] } == ["legacy:02017"])
                    #expect(rows.first?["disbursed"] == "40000000" && rows.first?["rate"] == "40.00")
                    let commune = try await chair.request("REPORT MONEY commune=02014 period=2024 by=commune")
                    let successor = commune.records.filter { $0.type == "MONEY" && $0["project"] == "5" }
                    #expect(successor.map { $0["commune"] } == ["02014", "02014"])
                    #expect(successor.map { $0["source"] } == ["central", "district"])
                    #expect(Self.money(commune.records, project: "all")?["allocated"] == "130000000")
                    let province = try await chair.request("REPORT MONEY province=19 period=2024")
                    #expect(Self.money(province.records, project: "all")?["allocated"] == "180000000")
                    let old = try await chair.request("REPORT MONEY province=legacy:06 period=2024")
                    #expect(Self.money(old.records, project: "all")?["allocated"] == "150000000")
                    #expect(Self.money(old.records, project: "7.2", source: "provincial")?["allocated"] == "50000000")
                    let list = try await chair.request("FUND LIST commune=02014")
                    #expect(list.records.filter { $0.type == "ALLOCATION" }.map { $0["id"] } == ["AL-1", "AL-3"])
                    // Phường Gia Sàng (legacy:05461) was split in 2025 between 05443 (its primary successor) and
                    // 05467: its money counts whole under 05443, as its lists do in REPORT POVERTY, and once in the
                    // province.
                    #expect(
                        try await chair.request(
                            "FUND ALLOCATE unit=legacy:05461 year=2024 project=5 source=district amount=20000000 document=d"
                        ).ok)
                    let primary = try await chair.request("REPORT MONEY commune=05443 period=2024")
                    #expect(Self.money(primary.records, project: "all")?["allocated"] == "20000000")
                    let other = try await chair.request("REPORT MONEY commune=05467 period=2024")
                    #expect(Self.money(other.records, project: "all")?["allocated"] == "0")
                    let whole = try await chair.request("REPORT MONEY province=19 period=2024")
                    #expect(Self.money(whole.records, project: "all")?["allocated"] == "200000000")
                }
            }
        }

        /// Two officers pay the last of an allocation at the same moment over two connections: one payment
        /// is kept, the other refused, and the ledger shows exactly the allocation.
        @Test func racingPaymentsOverTwoConnectionsNeverOverdraw() async throws {
            try await TestServer.run { server in
                _ = try await server.store.createAllocation(
                    Allocation(
                        year: 2023, unit: "02014", project: .housing, source: .provincial, amount: 60_000_000,
                        document: "1/QĐ", by: "lan"), claim: nil, audit: Self.audit)
                let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for login in ["minh", "pho", "lan", "minh"] {
                        group.addTask {
                            try await server.session(login) { connection async throws -> Bool in
                                try await connection.request("FUND DISBURSE AL-1 amount=40000000 date=2023-06-15").ok
                            }
                        }
                    }
                    var kept: [Bool] = []
                    for try await result in group { kept.append(result) }
                    return kept
                }
                #expect(results.filter { $0 }.count == 1)
                try await server.session("lan") { chair async throws in
                    let shown = try await chair.request("FUND SHOW AL-1")
                    #expect(shown.records.first?["disbursed"] == "40000000")
                    #expect(shown.records.first?["available"] == "20000000")
                }
            }
        }

        @Test func outputsCountHousesAndBeneficiariesAsTheSourceArticlesDo() async throws {
            try await TestServer.run { server in
                for _ in 0..<3 { _ = try await Self.approved(server.store, kind: .housingNew, amount: 50_000_000) }
                for _ in 0..<8 { _ = try await Self.approved(server.store, kind: .housingRepair, amount: 25_000_000) }
                // Approved after the first half: counts in the year, not in H1.
                _ = try await Self.approved(
                    server.store, kind: .housingRepair, amount: 25_000_000, decided: "2024-01-05T03:00:00Z")
                try await server.session("canbo") { staff async throws in
                    let housing = try await staff.request("REPORT OUTPUTS commune=02014 period=2023")
                    #expect(housing.ok, "\(housing.completion)")
                    let new = try #require(housing.records.first { $0["kind"] == "housing-new" })
                    #expect(new["commune"] == "all" && new["cases"] == "3" && new["amount"] == "150000000")
                    let repair = try #require(housing.records.first { $0["kind"] == "housing-repair" })
                    #expect(repair["cases"] == "8" && repair["amount"] == "200000000")
                    let all = try #require(housing.records.first { $0["kind"] == "all" })
                    #expect(all["cases"] == "11" && all["amount"] == "350000000", "3 × 50 M + 8 × 25 M = 350 M")
                    // A house's stages, in order, once approved.
                    #expect(
                        try await staff.request("CASE PROGRESS C-1 stage=finished date=2023-05-01 rev=2").code
                            == "INVALID-TRANSITION")
                    #expect(try await staff.request("CASE PROGRESS C-1 stage=started date=2023-05-01 rev=2").ok)
                    #expect(try await staff.request("CASE PROGRESS C-1 stage=finished date=2023-09-01 rev=3").ok)
                    #expect(try await staff.request("CASE PROGRESS C-1 stage=handed-over date=2024-02-01 rev=4").ok)
                    #expect(
                        try await staff.request("CASE PROGRESS C-2 stage=started date=2023-04-01 rev=1").code
                            == "CONFLICT")
                    #expect(
                        try await staff.request("CASE PROGRESS C-2 stage=started date=2023-04-01 rev=2").code
                            == "INVALID", "before the approval")
                    let shown = try await staff.request("CASE SHOW C-1")
                    #expect(
                        shown.records.first?["handed-over"] == "2024-02-01" && shown.records.first?["year"] == "2023")
                    let stages = try await staff.request("REPORT OUTPUTS commune=02014 period=2023")
                    let counted = try #require(stages.records.first { $0["kind"] == "housing-new" })
                    #expect(counted["started"] == "1" && counted["finished"] == "1" && counted["handed-over"] == "0")
                    let half = try await staff.request("REPORT OUTPUTS commune=02014 period=2023-H1 by=commune")
                    let rows = half.records.filter { $0.type == "OUTPUT" && $0["commune"] == "02014" }
                    #expect(rows.map { $0["kind"] } == ["housing-new", "housing-repair"])
                    #expect(rows.first?["commune-name"] == "Xã Bạch Thông" && rows.first?["finished"] == "0")

                    // Health insurance: the persons by category, created over the wire.
                    let created = try await staff.request(
                        "CASE CREATE health-insurance 02014 title=\"Mua thẻ BHYT năm 2023\" amount=1837272000 "
                            + "funding=central:1837272000 year=2023 beneficiaries=poor:896,near-poor:1148")
                    #expect(created.ok, "\(created.completion)")
                    let card = try #require(created.records.first)
                    #expect(card["year"] == "2023" && card["persons"] == "2044")
                    #expect(card["beneficiaries"] == "poor:896,near-poor:1148")
                    #expect(
                        try await staff.request(
                            "CASE CREATE inspection 02014 title=x beneficiaries=poor:1"
                        ).code == "INVALID")
                    #expect(
                        try await staff.request(
                            "CASE CREATE vocational 02014 title=x beneficiaries=poor:1,minority:2"
                        ).code == "INVALID")
                    #expect(
                        try await staff.request(
                            "CASE CREATE vocational 02014 title=x beneficiaries=rich:1"
                        ).code == "INVALID")
                    #expect(
                        try await staff.request("CASE PROGRESS \(card["id"]!) stage=started date=2023-05-01 rev=1")
                            .code == "INVALID", "a health-insurance case builds no house")
                }
                var card = try #require(try await server.store.caseFile(id: "C-13"))
                card.state = .approved
                card.decidedAt = Timestamp.parse("2023-03-01T03:00:00Z")
                _ = try await server.store.saveCase(card, expectedRevision: 1, steps: [], audit: Self.audit)
                try await server.session("lan") { chair async throws in
                    let report = try await chair.request("REPORT OUTPUTS province=19 period=2023")
                    let health = try #require(report.records.first { $0["kind"] == "health-insurance" })
                    #expect(health["persons"] == "2044" && health["poor"] == "896" && health["near-poor"] == "1148")
                    #expect(health["amount"] == "1837272000" && health["cases"] == "1")
                    #expect(health["started"] == nil, "no house to count")
                    #expect(report.records.first?["communes"] != "1")
                }
            }
        }
    }
}
