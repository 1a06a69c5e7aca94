import CaseLineClient
import CaseLineDomain
import CaseLineProtocol
import CaseLineServer
import CaseLineStore
import Foundation
import Testing

extension ServerSuites {
    /// A household of a legacy commune split in 2025 keeps the successor its import row names, and counts
    /// under it: HOUSEHOLD SHOW gives it, HOUSEHOLD LIST commune= and the scope of household commands follow
    /// it (issue 18). Phường Gia Sàng (legacy:05461) went partly to 05443 (its primary successor) and partly
    /// to 05467.
    @Suite("History import: successors of split communes", .timeLimit(.minutes(3)))
    struct HistorySuccessorTests {
        static let (legacy, primary, other) = ("legacy:05461", "05443", "05467")

        static let lists = """
            unit,successor,household,village,head,gender,birth,ethnicity,list_year,class,decision,decision_date
            legacy:05461,05467,GS-1,Tổ 2,Lê Văn Tách,nam,1971-04-04,Kinh,2023,poor,77/QĐ-UBND,2022-12-20
            legacy:05461,05443,GS-2,Tổ 9,Lê Thị Ở,nữ,1980-08-08,Kinh,2023,near-poor,77/QĐ-UBND,2022-12-20
            legacy:05431,,QT-1,Tổ 3,Dương Văn Hải,nam,1966-02-11,Kinh,2023,poor,198/QĐ-UBND,2022-12-19

            """

        static func run(_ csv: String, _ server: TestServer) async throws -> HistoryImporter.Report {
            try await HistoryImporter.run(
                Array(csv.utf8), source: "lists.csv", members: nil, dryRun: false, actor: .system("import"),
                command: "import lists", store: server.store, units: server.units,
                review: server.configuration.review, today: SurveyImporter.today())
        }

        @Test func aSplitCommunesHouseholdCountsUnderItsStoredSuccessor() async throws {
            try await TestServer.run { server async throws in
                let lineage = server.units.lineage(UnitRef(.legacy, "05461"))
                #expect(lineage.first(where: \.primary)?.currentCode == Self.primary)
                #expect(lineage.map(\.currentCode).contains(Self.other))

                let report = try await Self.run(Self.lists, server)
                #expect(report.created == 3)
                let households = try await server.store.households(communes: nil)
                let moved = try #require(households.first { $0.head == "Lê Văn Tách" })
                let stayed = try #require(households.first { $0.head == "Lê Thị Ở" })
                let whole = try #require(households.first { $0.head == "Dương Văn Hải" })
                // The store keeps the successor of a split commune's household only.
                #expect(moved.commune == Self.legacy && moved.successor == Self.other)
                #expect(stayed.successor == Self.primary)
                #expect(whole.successor == nil, "a commune that went whole to one successor needs none")
                #expect(try await server.store.household(id: moved.id)?.successor == Self.other)

                // Users of each successor commune.
                try await server.addUser(
                    User(login: "giasang", name: "Cán bộ Gia Sàng", role: .staff, scope: .commune(Self.primary)))
                try await server.addUser(
                    User(login: "camgia", name: "Cán bộ Cam Giá", role: .staff, scope: .commune(Self.other)))

                try await server.session("lan") { chair async throws in
                    let show = try await chair.request("HOUSEHOLD SHOW \(moved.id)")
                    #expect(show.records.first?["successor"] == Self.other, "\(show.completion)")
                    #expect(show.records.first?["commune"] == Self.legacy)
                    let wholeShown = try await chair.request("HOUSEHOLD SHOW \(whole.id)")
                    #expect(wholeShown.ok && wholeShown.records.first?["successor"] == nil)
                    let underOther = try await chair.request("HOUSEHOLD LIST commune=\(Self.other)")
                    #expect(underOther.records.compactMap { $0["id"] }.contains(moved.id))
                    #expect(!underOther.records.compactMap { $0["id"] }.contains(stayed.id))
                    let underPrimary = try await chair.request("HOUSEHOLD LIST commune=\(Self.primary)")
                    #expect(!underPrimary.records.compactMap { $0["id"] }.contains(moved.id))
                    #expect(underPrimary.records.compactMap { $0["id"] }.contains(stayed.id))
                    // The legacy filters still find it by where it was filed.
                    let district = try await chair.request("HOUSEHOLD LIST district=legacy:164")
                    #expect(district.records.compactMap { $0["id"] }.contains(moved.id))
                }
                // Scope: the non-primary successor's staff reach it, the primary's do not.
                try await server.session("camgia") { staff async throws in
                    let show = try await staff.request("HOUSEHOLD SHOW \(moved.id)")
                    #expect(show.ok && show.records.first?["head"] == "Lê Văn Tách", "\(show.completion)")
                    #expect(try await staff.request("HOUSEHOLD SHOW \(stayed.id)").code == "OUT-OF-SCOPE")
                    let listed = try await staff.request("HOUSEHOLD LIST")
                    #expect(listed.records.compactMap { $0["id"] }.contains(moved.id))
                    // A writer of the successor keeps its register: a member added.
                    let added = try await staff.request(
                        "HOUSEHOLD ADD-MEMBER \(moved.id) name=\"Lê Văn Con\" gender=male birth=2001-01-01 relation=con"
                    )
                    #expect(added.ok, "\(added.completion)")
                }
                try await server.session("giasang") { staff async throws in
                    #expect(try await staff.request("HOUSEHOLD SHOW \(moved.id)").code == "OUT-OF-SCOPE")
                    #expect(try await staff.request("HOUSEHOLD SHOW \(stayed.id)").ok)
                    let listed = try await staff.request("HOUSEHOLD LIST")
                    #expect(!listed.records.compactMap { $0["id"] }.contains(moved.id))
                }
                // A change to the household (the member added) keeps the successor.
                #expect(try await server.store.household(id: moved.id)?.successor == Self.other)

                // A re-run naming another successor for the same household is refused.
                let changed = Self.lists.replacingOccurrences(of: "05461,05467,GS-1", with: "05461,05443,GS-1")
                await #expect(throws: DomainError.self) { try await Self.run(changed, server) }
            }
        }
    }
}
