import CaseLineClient
import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import CaseLineStoreSQLite
import Foundation
import Testing

extension ServerSuites {
    @Suite("Households over TLS", .timeLimit(.minutes(3)))
    struct HouseholdTests {
        static let create =
            "HOUSEHOLD CREATE 02014 head=\"Hoàng Văn Páo\" gender=male birth=1968-04-12 ethnicity=Tày"
            + " id-number=006068001234 village=\"Thôn Nà Hin\" area=rural"
        static let identityKeys = ["head", "birth", "id-number", "name"]

        /// The household's read records in the audit chain.
        static func reads(_ store: any Store, _ id: String) async throws -> [AuditRecord] {
            try await store.auditRecords(entity: "household:\(id)", limit: 1000, offset: 0)
                .filter { $0.entry.change == "read: identity fields sent" }
        }

        /// A member's profile (ID number, ethnic group, disability, allowances) goes in as the forms give it and
        /// comes out typed; the ID number is an identity field, masked for readers who may not see it.
        @Test func aMembersProfileIsRecordedAndTheirIDNumberMasked() async throws {
            try await TestServer.run { server in
                try await TaskTests.organise(server.store)
                try await server.session("canbo") { staff async throws in
                    let created = try await staff.request(
                        "HOUSEHOLD CREATE 02014 head=\"Hoàng Văn Páo\" gender=male birth=1968-04-12 ethnicity=tay"
                            + " id-number=006068001234 village=\"Thôn Nà Hin\" area=rural")
                    #expect(created.records.first?["ethnicity"] == "Tày", "the list's own spelling")
                    let id = try #require(created.records.first?["id"])
                    #expect(
                        try await staff.request(
                            "HOUSEHOLD CREATE 02014 head=X gender=male birth=1990-01-01 village=Y area=rural ethnicity=Klingon"
                        ).code == "INVALID")
                    let added = try await staff.request(
                        "HOUSEHOLD ADD-MEMBER \(id) name=\"Nông Thị Lan\" gender=female birth=1971-09-03 relation=vợ"
                            + " id-number=006171002345 ethnicity=02 disability=mild social-allowance=yes merit=no")
                    #expect(added.ok, "\(added.completion)")
                    let person = try #require(added.records.first)
                    #expect(person["id-number"] == "006171002345" && person["relation-code"] == "spouse")
                    #expect(
                        person["ethnicity"] == "Tày" && person["ethnicity-code"] == "02" && person["minority"] == "yes")
                    #expect(
                        person["disability"] == "mild" && person["social-allowance"] == "yes" && person["merit"] == nil)
                    let same = try await staff.request(
                        "HOUSEHOLD ADD-MEMBER \(id) name=Y gender=male birth=2000-01-01 relation=con id-number=006171002345"
                    )
                    #expect(same.code == "ALREADY-EXISTS")
                    #expect(same.completion.details.map(\.value) == [id])
                    #expect(
                        try await staff.request(
                            "HOUSEHOLD ADD-MEMBER \(id) name=Y gender=male birth=2000-01-01 relation=\"hàng xóm\""
                        ).code
                            == "INVALID", "not a relation the forms know")
                    #expect(
                        try await staff.request(
                            "HOUSEHOLD ADD-MEMBER \(id) name=Y gender=male birth=2000-01-01 relation=con id-number=12345"
                        ).code
                            == "INVALID")
                }
                // The auditor sees the household masked: no ID number, but the facts the reports count.
                try await server.session("kiemtoan") { auditor async throws in
                    let shown = try await auditor.request("HOUSEHOLD SHOW HH-1")
                    let person = try #require(shown.records.first { $0.type == "PERSON" })
                    #expect(person["id-number"] == nil && person["masked"] == "yes" && person["ethnicity"] == "Tày")
                }
            }
        }

        @Test func aHouseholdIsRecordedCorrectedAndAssessed() async throws {
            try await TestServer.run { server in
                try await TaskTests.organise(server.store)
                let id = try await server.session("canbo") { staff async throws -> String in
                    let created = try await staff.request(Self.create + " key=hh-0001")
                    #expect(created.ok, "\(created.completion)")
                    let household = try #require(created.records.first)
                    #expect(household["head"] == "Hoàng Văn Páo")
                    #expect(household["id-number"] == "006068001234")
                    #expect(household["size"] == "1")
                    #expect(household["rev"] == "1")
                    #expect(household["masked"] == nil)
                    let id = try #require(household["id"])
                    let replay = try await staff.request(Self.create + " key=hh-0001")
                    #expect(replay.code == "REPLAYED")
                    #expect(replay.records.first?["id"] == id)
                    #expect(
                        try await staff.request(Self.create + " village=x key=hh-0001").code == "DUPLICATE-OPTION")
                    #expect(try await staff.request(Self.create + " key=hh-0002").code == "ALREADY-EXISTS")
                    let mismatch = try await staff.request(
                        "HOUSEHOLD CREATE 02014 head=X gender=male birth=1990-01-01 village=Y area=rural key=hh-0001")
                    #expect(mismatch.code == "IDEMPOTENCY-MISMATCH")
                    let duplicate = try await staff.request(Self.create)
                    #expect(duplicate.code == "ALREADY-EXISTS")
                    #expect(duplicate.completion.details.map(\.value) == [id], "the caller may read it: named")
                    return id
                }
                try await server.session("minh") { officer async throws in
                    // minh is responsible for 02014, so writes there; elsewhere in the province he may not.
                    let member = try await officer.request(
                        "HOUSEHOLD ADD-MEMBER \(id) name=\"Nông Thị Lan\" gender=female birth=1971-09-03 relation=vợ rev=1 key=m-1"
                    )
                    #expect(member.ok, "\(member.completion)")
                    #expect(member.records.map(\.type) == ["PERSON", "HOUSEHOLD"])
                    #expect(member.records.first?["name"] == "Nông Thị Lan")
                    #expect(member.records.last?["size"] == "2")
                    #expect(member.records.last?["rev"] == "2")
                    let replay = try await officer.request(
                        "HOUSEHOLD ADD-MEMBER \(id) name=\"Nông Thị Lan\" gender=female birth=1971-09-03 relation=vợ rev=1 key=m-1"
                    )
                    #expect(replay.code == "REPLAYED", "a retried request adds nobody twice")
                    let child = try await officer.request(
                        "HOUSEHOLD ADD-MEMBER \(id) name=\"Hoàng Văn Tú\" gender=male birth=1995-02-20 relation=con")
                    let person = try #require(child.records.first?["id"])
                    #expect(
                        try await officer.request(
                            "HOUSEHOLD CREATE 01849 head=X gender=male birth=1990-01-01 village=Y area=rural"
                        ).code == "FORBIDDEN")
                    let stale = try await officer.request("HOUSEHOLD UPDATE \(id) village=\"Thôn Khuổi Chủ\" rev=1")
                    #expect(stale.code == "CONFLICT")
                    #expect(stale.completion.details.map(\.value) == ["3"])
                    let updated = try await officer.request(
                        "HOUSEHOLD UPDATE \(id) village=\"Thôn Khuổi Chủ\" ethnicity=\"\" rev=3")
                    #expect(updated.ok, "\(updated.completion)")
                    #expect(updated.records.first?["village"] == "Thôn Khuổi Chủ")
                    #expect(updated.records.first?["ethnicity"] == nil, "ethnicity=\"\" clears it")
                    let removed = try await officer.request(
                        "HOUSEHOLD REMOVE-MEMBER \(id) \(person) reason=\"Chuyển đi làm việc tại Bắc Ninh\" rev=4")
                    #expect(removed.ok, "\(removed.completion)")
                    #expect(removed.records.first?["size"] == "2")
                    #expect(
                        try await officer.request("HOUSEHOLD REMOVE-MEMBER \(id) \(person)").code == "NOT-FOUND",
                        "no longer a member")
                    let poor = try await officer.request(
                        "HOUSEHOLD ASSESS \(id) year=2024 income=1200000 deprived=latrine,housing-quality,information-access rev=5"
                    )
                    #expect(poor.ok, "\(poor.completion)")
                    let assessment = try #require(poor.records.first)
                    #expect(assessment.type == "ASSESSMENT")
                    #expect(assessment["class"] == "poor")
                    #expect(assessment["standard"] == "2022-2025")
                    #expect(assessment["income-line"] == "1500000")
                    #expect(assessment["deprived"] == "housing-quality,latrine,information-access")
                    #expect(assessment["deprivations"] == "3")
                    #expect(assessment["by"] == "minh")
                    #expect(poor.records.last?["class"] == "poor")
                    #expect(poor.records.last?["class-year"] == "2024")
                    #expect(poor.completion.text == "\(id) is poor in 2024 (standard 2022-2025)")
                    let escaped = try await officer.request("HOUSEHOLD ASSESS \(id) year=2025 income=1500001")
                    #expect(escaped.records.first?["class"] == "escaped")
                    #expect(escaped.records.first?["previous-class"] == "poor")
                    #expect(escaped.records.first?["deprived"] == nil)
                    #expect(escaped.records.first?["deprivations"] == "0")
                    // Re-assessing 2024 replaces it, and does not recompute 2025.
                    let again = try await officer.request("HOUSEHOLD ASSESS \(id) year=2024 income=1600000")
                    #expect(again.records.first?["class"] == "average")
                    #expect(again.records.last?["class-year"] == "2025", "the latest year is still 2025")
                    // This year's review (2026) is recorded under NĐ 07, which NĐ 351 keeps in force through 2026.
                    let current = try await officer.request(
                        "HOUSEHOLD ASSESS \(id) year=2026 income=1500000 deprived=latrine,housing-quality,telecom")
                    #expect(current.ok, "\(current.completion)")
                    #expect(current.records.first?["standard"] == "2022-2025")
                    #expect(current.records.first?["class"] == "poor")
                    let shown = try await officer.request("HOUSEHOLD SHOW \(id)")
                    #expect(
                        shown.records.map(\.type) == ["HOUSEHOLD", "PERSON", "ASSESSMENT", "ASSESSMENT", "ASSESSMENT"])
                    let years = shown.records.filter { $0.type == "ASSESSMENT" }.map {
                        "\($0["year"]!):\($0["class"]!)"
                    }
                    #expect(years == ["2024:average", "2025:escaped", "2026:poor"])
                    #expect(shown.records.first?["rev"] == "9")
                    let history = try await officer.request("HISTORY household:\(id)")
                    #expect(history.ok)
                    #expect(history.records.contains { $0["change"]?.contains("replaces: income=1200000") == true })
                }
                try await server.session("lan") { chair async throws in
                    // Chairs and deputies read households (identity included) but do not keep the register.
                    #expect(try await chair.request("HOUSEHOLD UPDATE \(id) village=x rev=8").code == "FORBIDDEN")
                    #expect(try await chair.request(Self.create).code == "FORBIDDEN")
                    #expect(try await chair.request("HOUSEHOLD SHOW \(id)").records.first?["head"] == "Hoàng Văn Páo")
                }
                for login in ["admin", "kiemtoan", "pho"] {
                    try await server.session(login) { reader async throws in
                        #expect(
                            try await reader.request("HOUSEHOLD ASSESS \(id) year=2025 income=1").code == "FORBIDDEN")
                    }
                }
            }
        }

        @Test func identityFieldsGoOnlyToTheCommunesPeopleAndEveryReadIsAudited() async throws {
            try await TestServer.run { server in
                try await TaskTests.organise(server.store)
                let id = try await server.session("canbo") { staff async throws -> String in
                    let created = try await staff.request(Self.create)
                    let id = try #require(created.records.first?["id"])
                    #expect(
                        try await staff.request(
                            "HOUSEHOLD ADD-MEMBER \(id) name=\"Nông Thị Lan\" gender=female birth=1971-09-03 relation=vợ"
                        ).ok)
                    #expect(
                        try await staff.request("HOUSEHOLD ASSESS \(id) year=2025 income=1200000 deprived=latrine").ok)
                    return id
                }
                #expect(try await Self.reads(server.store, id).isEmpty, "a writer's own answers are not reads")
                // The province's officer who is not responsible for the commune sees it masked.
                let audit = AuditEntry(actor: .system("test"), command: "test", entity: "-", change: "setup")
                _ = try await server.store.createUser(
                    User(login: "tuan", name: "Vi Văn Tuấn", role: .officer, scope: .province("19")),
                    passwordHash: try await server.store.credentials(login: "minh")!.passwordHash, audit: audit)
                for login in ["kiemtoan", "admin", "tuan"] {
                    try await server.session(login) { reader async throws in
                        let shown = try await reader.request("HOUSEHOLD SHOW \(id)")
                        #expect(shown.ok, "\(login): \(shown.completion)")
                        for record in shown.records where record.type != "ASSESSMENT" {
                            #expect(record["masked"] == "yes", "\(login): \(record.type)")
                            for key in Self.identityKeys { #expect(record[key] == nil, "\(login) got \(key)") }
                        }
                        #expect(shown.records.first?["gender"] == "male")
                        #expect(shown.records.first?["class"] == "near-poor")
                        let listed = try await reader.request("HOUSEHOLD LIST commune=02014")
                        #expect(listed.records.first?["masked"] == "yes")
                        #expect(listed.records.first?["head"] == nil)
                        #expect(
                            try await reader.request("HOUSEHOLD LIST q=\"hoang van\"").code == "FORBIDDEN",
                            "a name search would reveal names")
                        let history = try await reader.request("HISTORY household:\(id)")
                        let changes = history.records.compactMap { $0["change"] }.joined(separator: "\n")
                        #expect(
                            !changes.contains("Páo") && !changes.contains("006068001234") && !changes.contains("Lan"))
                        #expect(changes.contains("head: <redacted>"))
                    }
                }
                try await server.session("kiemtoan") { auditor async throws in
                    let all = try await auditor.request("AUDIT LIST entity=household:\(id)")
                    #expect(!all.records.compactMap { $0["change"] }.joined().contains("Páo"))
                }
                #expect(try await Self.reads(server.store, id).isEmpty, "masked answers send nothing to audit")
                for (login, count) in [("lan", 1), ("pho", 2), ("minh", 3), ("canbo", 4)] {
                    try await server.session(login) { reader async throws in
                        let shown = try await reader.request("HOUSEHOLD SHOW \(id)")
                        #expect(shown.records.first?["head"] == "Hoàng Văn Páo", "\(login)")
                        #expect(shown.records.first?["masked"] == nil)
                        #expect(shown.records[1]["name"] == "Nông Thị Lan")
                        let reads = try await Self.reads(server.store, id)
                        #expect(reads.count == count)
                        #expect(reads.last?.entry.actor.login == login)
                        #expect(reads.last?.entry.command == "HOUSEHOLD SHOW")
                    }
                }
                try await server.session("minh") { officer async throws in
                    let found = try await officer.request("HOUSEHOLD LIST q=\"hoang van pao\"")
                    #expect(found.records.first?["id"] == id)
                    #expect(found.completion.text == "1 household")
                    #expect(try await Self.reads(server.store, id).last?.entry.command == "HOUSEHOLD LIST")
                    let none = try await officer.request("HOUSEHOLD LIST q=\"tran\"")
                    #expect(none.records.map(\.type) == ["PAGE"])
                    #expect(try await Self.reads(server.store, id).count == 5, "nothing sent, nothing read")
                }
                #expect(try await server.store.verifyAudit().firstBroken == nil)
            }
        }

        @Test func listsFilterByYearClassVillageAndScope() async throws {
            try await TestServer.run { server in
                let seeds: [(String, String, Int64, String?)] = [
                    ("Thôn Nà Hin", "Triệu Thị Mây", 1_300_000, "latrine"),
                    ("Thôn Khuổi Chủ", "Lương Văn Khánh", 1_400_000, "employment,latrine,telecom"),
                    ("thôn nà hin", "Hoàng Văn Páo", 2_000_000, nil),
                ]
                try await server.session("canbo") { staff async throws in
                    for (village, head, income, deprived) in seeds {
                        let created = try await staff.request(
                            "HOUSEHOLD CREATE 02014 head=\"\(head)\" gender=male birth=1970-01-01 village=\"\(village)\" area=rural"
                        )
                        let id = try #require(created.records.first?["id"])
                        let options = deprived.map { " deprived=\($0)" } ?? ""
                        #expect(
                            try await staff.request("HOUSEHOLD ASSESS \(id) year=2025 income=\(income)\(options)").ok)
                    }
                    let unassessed = try await staff.request(
                        "HOUSEHOLD CREATE 02014 head=\"Nguyễn Văn Sơn\" gender=male birth=1988-08-18 village=\"Thôn Bản Chiêng\" area=urban"
                    )
                    #expect(unassessed.records.first?["class"] == nil)
                    let all = try await staff.request("HOUSEHOLD LIST")
                    #expect(
                        all.records.filter { $0.type == "HOUSEHOLD" }.map { $0["head"] } == [
                            "Nguyễn Văn Sơn", "Lương Văn Khánh", "Triệu Thị Mây", "Hoàng Văn Páo",
                        ], "by commune, then village, then id")
                    let poor = try await staff.request("HOUSEHOLD LIST class=poor year=2025")
                    #expect(poor.records.first?["head"] == "Lương Văn Khánh")
                    #expect(poor.records.last?["total"] == "1")
                    #expect(
                        try await staff.request("HOUSEHOLD LIST class=near-poor").records.first?["head"]
                            == "Triệu Thị Mây")
                    #expect(try await staff.request("HOUSEHOLD LIST year=2024").records.map(\.type) == ["PAGE"])
                    let village = try await staff.request("HOUSEHOLD LIST village=\"THON NA HIN\"")
                    #expect(village.records.last?["total"] == "2", "village compared ignoring case and diacritics")
                    let paged = try await staff.request("HOUSEHOLD LIST limit=1 offset=1")
                    #expect(paged.completion.text == "1 of 4 households")
                    #expect(try await staff.request("HOUSEHOLD LIST commune=18880").code == "OUT-OF-SCOPE")
                    #expect(try await staff.request("HOUSEHOLD LIST commune=19").code == "INVALID")
                    #expect(try await staff.request("HOUSEHOLD LIST commune=99999").code == "NOT-FOUND")
                }
                try await server.session("lan") { chair async throws in
                    #expect(try await chair.request("HOUSEHOLD LIST province=19").records.last?["total"] == "4")
                    #expect(try await chair.request("HOUSEHOLD LIST province=44").code == "OUT-OF-SCOPE")
                }
            }
        }

        /// (who, request, expected code): each refused, and nothing written (the audit count is unchanged).
        static let badInput: [(String, String, String)] = [
            (
                "canbo", "HOUSEHOLD CREATE 02014 head=\"  \" gender=male birth=1970-01-01 village=x area=rural",
                "INVALID"
            ),
            ("canbo", "HOUSEHOLD CREATE 02014 head=X gender=male birth=1970-01-01 village=\" \" area=rural", "INVALID"),
            ("canbo", "HOUSEHOLD CREATE 02014 head=X gender=male birth=2999-01-01 village=x area=rural", "INVALID"),
            (
                "canbo",
                "HOUSEHOLD CREATE 02014 head=X gender=male birth=1970-01-01 village=x area=rural id-number=12345",
                "INVALID"
            ),
            (
                "canbo",
                "HOUSEHOLD CREATE 02014 head=X gender=male birth=1970-01-01 village=x area=rural id-number=00606800123x",
                "INVALID"
            ),
            ("canbo", "HOUSEHOLD CREATE 02014 head=X gender=other birth=1970-01-01 village=x area=rural", "BAD-VALUE"),
            ("canbo", "HOUSEHOLD CREATE 02014 head=X gender=male birth=1970-01-01 village=x", "MISSING-ARGUMENT"),
            (
                "canbo", "HOUSEHOLD CREATE legacy:02017 head=X gender=male birth=1970-01-01 village=x area=rural",
                "INVALID"
            ),
            (
                "canbo", "HOUSEHOLD CREATE 01849 head=X gender=male birth=1970-01-01 village=x area=rural",
                "OUT-OF-SCOPE"
            ),
            ("canbo", "HOUSEHOLD CREATE 99999 head=X gender=male birth=1970-01-01 village=x area=rural", "NOT-FOUND"),
            (
                "canbo",
                "HOUSEHOLD CREATE 02014 head=X gender=male birth=1970-01-01 village=x area=rural id-number=006068001234",
                "ALREADY-EXISTS"
            ),
            ("lan", "HOUSEHOLD CREATE 02014 head=X gender=male birth=1970-01-01 village=x area=rural", "FORBIDDEN"),
            (
                "kiemtoan", "HOUSEHOLD CREATE 02014 head=X gender=male birth=1970-01-01 village=x area=rural",
                "FORBIDDEN"
            ),
            ("minh", "HOUSEHOLD CREATE 02014 head=X gender=male birth=1970-01-01 village=x area=rural", "FORBIDDEN"),
            ("canbo", "HOUSEHOLD SHOW HH-99", "NOT-FOUND"),
            ("canbo", "HOUSEHOLD UPDATE HH-99 village=x rev=1", "NOT-FOUND"),
            ("canbo", "HOUSEHOLD UPDATE HH-1 rev=1", "INVALID"),
            ("canbo", "HOUSEHOLD UPDATE HH-1 village=x", "MISSING-ARGUMENT"),
            ("canbo", "HOUSEHOLD UPDATE HH-1 village=x rev=7", "CONFLICT"),
            ("canbo", "HOUSEHOLD UPDATE HH-1 head=\"\" rev=1", "INVALID"),
            ("canbo", "HOUSEHOLD UPDATE HH-1 id-number=006068009999 rev=1", "ALREADY-EXISTS"),
            ("canbo", "HOUSEHOLD ADD-MEMBER HH-1 name=\" \" gender=male birth=1970-01-01 relation=con", "INVALID"),
            ("canbo", "HOUSEHOLD ADD-MEMBER HH-1 name=X gender=male birth=2999-01-01 relation=con", "INVALID"),
            ("canbo", "HOUSEHOLD ADD-MEMBER HH-1 name=X gender=male birth=1970-01-01 relation=\" \"", "INVALID"),
            ("canbo", "HOUSEHOLD ADD-MEMBER HH-1 name=X gender=male birth=1970-01-01 relation=con rev=9", "CONFLICT"),
            ("canbo", "HOUSEHOLD REMOVE-MEMBER HH-1 P-42", "NOT-FOUND"),
            ("canbo", "HOUSEHOLD ASSESS HH-1 year=2021 income=1000000", "INVALID"),
            ("canbo", "HOUSEHOLD ASSESS HH-1 year=2026 income=1000000 deprived=latrine,digital-services", "INVALID"),
            ("canbo", "HOUSEHOLD ASSESS HH-1 year=2026 income=1000000 standard=2027-2030", "INVALID"),
            ("canbo", "HOUSEHOLD ASSESS HH-1 year=2100 income=1000000", "INVALID"),
            ("canbo", "HOUSEHOLD ASSESS HH-1 year=2021 income=1000000 standard=2022-2025", "INVALID"),
            ("canbo", "HOUSEHOLD ASSESS HH-1 year=2025 income=1000000 deprived=latrine,latrine", "BAD-VALUE"),
            ("canbo", "HOUSEHOLD ASSESS HH-1 year=2025 income=1000000 deprived=wealth", "BAD-VALUE"),
            ("canbo", "HOUSEHOLD ASSESS HH-1 year=2025 income=-5", "BAD-VALUE"),
            ("canbo", "HOUSEHOLD ASSESS HH-1 year=2025 income=1000000 rev=3", "CONFLICT"),
            ("minh", "HOUSEHOLD ASSESS HH-1 year=2025 income=1000000", "FORBIDDEN"),
            ("pho", "HOUSEHOLD LIST commune=18880", "OUT-OF-SCOPE"),
            ("canbo", "HISTORY household:HH-99", "NOT-FOUND"),
        ]

        /// STANDARD LIST gives what HOUSEHOLD ASSESS applies: a script learns the year's standard from it.
        @Test func theStandardsAreListedAsTheyClassify() async throws {
            try await TestServer.run { server in
                try await server.session("canbo") { staff async throws in
                    let all = try await staff.request("STANDARD LIST")
                    #expect(all.ok, "\(all.completion)")
                    #expect(all.records.map { $0["name"] } == ["2022-2025", "2027-2030"])
                    #expect(all.records.first?["through"] == "2026", "NĐ 351 keeps NĐ 07 in force through 2026")
                    #expect(all.records.first?["indicators"]?.contains("information-access") == true)
                    let next = try await staff.request("STANDARD LIST year=2027")
                    #expect(next.completion.text == "2027 falls under standard 2027-2030")
                    let nd351 = try #require(next.records.first)
                    #expect(nd351["rural-line"] == "2200000" && nd351["urban-line"] == "2800000")
                    #expect(nd351["indicators"]?.contains("information-access") == false)
                    #expect(nd351["indicators"]?.contains("digital-services") == true)
                    #expect(try await staff.request("STANDARD LIST year=2031").code == "NOT-FOUND")
                    #expect(try await staff.request("STANDARD LIST year=1999").code == "BAD-VALUE")
                }
            }
        }

        @Test func everyBadRequestGetsItsCodeAndWritesNothing() async throws {
            try await TestServer.run { server in
                // minh is not organised here: an officer responsible for nothing.
                try await server.session("canbo") { staff async throws in
                    #expect(try await staff.request(Self.create).ok)
                    #expect(
                        try await staff.request(
                            "HOUSEHOLD CREATE 02014 head=Y gender=female birth=1970-01-01 village=x area=urban id-number=006068009999"
                        ).ok)
                }
                let before = try await server.store.auditRecords(entity: nil, limit: 100_000, offset: 0).count
                for (login, request, code) in Self.badInput {
                    try await server.session(login) { connection async throws in
                        let result = try await connection.request(request)
                        #expect(result.code == code, "\(login): \(request) → \(result.completion)")
                    }
                }
                let after = try await server.store.auditRecords(entity: nil, limit: 100_000, offset: 0).count
                #expect(after == before, "a refused request wrote to the store")
                #expect(try await server.store.household(id: "HH-1")?.revision == 1)
                #expect(try await server.store.households(communes: nil).count == 2)
            }
        }
    }
}
