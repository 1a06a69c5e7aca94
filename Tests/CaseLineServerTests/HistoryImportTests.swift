import CaseLineClient
import CaseLineDomain
import CaseLineProtocol
import CaseLineServer
import CaseLineStore
import CaseLineStoreSQLite
import Foundation
import Testing

extension ServerSuites {
    /// A province's past lists come in under the units they were made in (issue 18): a generated history of
    /// Thái Nguyên city before 2025 — its 32 legacy communes, the end-2022 and end-2023 lists with the
    /// article's 539 → 414 poor and 602 → 513 near-poor households — and the figures come back over the
    /// protocol by the legacy district and under the 2025 province.
    @Suite("History import", .timeLimit(.minutes(3)))
    struct HistoryImportTests {
        static let header =
            "unit,successor,household,village,head,gender,birth,id_number,ethnicity,persons,list_year,class,decision,decision_date"

        /// 1,141 households: 539 poor and 602 near-poor on the 2022 list; on the 2023 list 414 still poor,
        /// 125 escaped to near-poor, 388 still near-poor and 214 escaped altogether (513 near-poor).
        static func thaiNguyenCity(_ units: UnitDirectory, years: (Int, Int) = (2022, 2023))
            -> (csv: String, communes: [AdminUnit])
        {
            let communes = units.list(UnitDirectory.Filter(edition: .legacy, province: UnitRef(.legacy, "19")))
                .filter { $0.level == .commune && $0.parent == "164" }
            var rows = [header]
            for i in 0..<1141 {
                let commune = communes[i % communes.count]
                let successor = units.lineage(commune.ref).first(where: \.primary)?.currentCode ?? ""
                let before = i < 539 ? "poor" : "near-poor"
                let after = i < 414 ? "poor" : i < 927 ? "near-poor" : "none"
                let index = communes.firstIndex { $0.ref == commune.ref }!
                for (year, klass) in [(years.0, before), (years.1, after)] {
                    rows.append(
                        [
                            commune.ref.description, successor, "TN-\(i)", "Tổ \(i % 12 + 1)", "Chủ hộ \(i)",
                            i % 3 == 0 ? "nữ" : "nam", "1970-01-01", "", i % 4 == 0 ? "Tày" : "Kinh", "\(i % 5 + 1)",
                            "\(year)", klass, "\(100 + index)/QĐ-UBND", "\(year - 1)-12-20",
                        ].joined(separator: ","))
                }
            }
            return (rows.joined(separator: "\n") + "\n", communes)
        }

        static func run(_ csv: String, _ server: TestServer, dryRun: Bool = false) async throws
            -> HistoryImporter.Report
        {
            try await HistoryImporter.run(
                Array(csv.utf8), source: "thai-nguyen-city.csv", dryRun: dryRun, actor: .system("import"),
                command: "import lists", store: server.store, units: server.units,
                review: server.configuration.review, today: SurveyImporter.today())
        }

        @Test func thaiNguyenCitysListsComeBackByLegacyDistrictAndUnderThe2025Province() async throws {
            try await TestServer.run { server in
                let (csv, communes) = Self.thaiNguyenCity(server.units)
                #expect(communes.count == 32)
                let dry = try await Self.run(csv, server, dryRun: true)
                #expect(dry.created == 1141 && dry.listsOpened == 64 && dry.assessments == 2282)
                #expect(try await server.store.households(communes: nil).isEmpty, "a dry run keeps nothing")

                let report = try await Self.run(csv, server)
                #expect(report.created == 1141 && report.listsOpened == 64 && report.assessments == 2282)
                let trail = try await server.store.verifyAudit()
                #expect(trail.firstBroken == nil)
                // Imported households keep their legacy commune.
                let households = try await server.store.households(communes: nil)
                #expect(households.count == 1141 && households.allSatisfy { $0.commune.hasPrefix("legacy:") })

                try await server.session("lan") { chair async throws in
                    let district = try await chair.request("REVIEW FLOWS district=legacy:164 from=2022 to=2023")
                    let flows = try #require(district.records.first, "\(district.completion)")
                    #expect(flows["poor-start"] == "539" && flows["poor-end"] == "414")
                    #expect(flows["near-poor-start"] == "602" && flows["near-poor-end"] == "513")
                    #expect(flows["escaped-poor"] == "125" && flows["escaped-poor-to-near-poor"] == "125")
                    #expect(flows["escaped-near-poor"] == "214" && flows["balanced"] == "yes")
                    // The persons the lists counted: household i has i % 5 + 1.
                    let poorPersons = (0..<539).reduce(0) { $0 + $1 % 5 + 1 }
                    #expect(flows["poor-start-persons"] == "\(poorPersons)")
                    // The same figures under the 2025 province the city's communes went into.
                    let province = try await chair.request("REVIEW FLOWS province=19 from=2022 to=2023")
                    #expect(province.records.first?["poor-start"] == "539")
                    #expect(province.records.first?["near-poor-end"] == "513")
                    // And by the legacy province.
                    let legacyProvince = try await chair.request("REVIEW FLOWS province=legacy:19 from=2022 to=2023")
                    #expect(legacyProvince.records.first?["poor-end"] == "414")
                    let listed = try await chair.request("REVIEW ASSESSMENTS district=legacy:164 year=2022 limit=1")
                    #expect(listed.records.last?["total"] == "1141")
                    #expect(listed.records.first?["kind"] == "periodic" && listed.records.first?["in-force"] == "yes")
                    let page = try await chair.request("HOUSEHOLD LIST district=legacy:164 limit=1")
                    #expect(page.records.last?["total"] == "1141")
                    // Each household shows where it came from: the file, its first line, the run, its key.
                    let first = try #require(page.records.first?["id"])
                    let shown = try #require(try await chair.request("HOUSEHOLD SHOW \(first)").records.first)
                    #expect(shown["imported-from"] == "thai-nguyen-city.csv" && shown["import-id"] == report.importID)
                    #expect(shown["imported-line"].flatMap(Int.init).map { $0 >= 2 } == true)
                    #expect(shown["import-key"]?.hasPrefix("legacy:") == true)
                }

                // The same file again changes nothing (the reads above were audited: count from here).
                let before = try await server.store.verifyAudit()
                let again = try await Self.run(csv, server)
                #expect(
                    again.created == 0 && again.unchanged == 1141 && again.listsOpened == 0
                        && again.listsUnchanged == 64)
                #expect(try await server.store.verifyAudit().records == before.records)

                // A list already imported, with other content: the whole file is refused.
                let changed = csv.replacingOccurrences(
                    of: ",TN-0,Tổ 1,Chủ hộ 0,nữ,1970-01-01,,Tày,1,2022,poor,",
                    with: ",TN-0,Tổ 1,Chủ hộ 0,nữ,1970-01-01,,Tày,1,2022,near-poor,")
                #expect(changed != csv)
                await #expect(throws: DomainError.self) { try await Self.run(changed, server) }
                #expect(try await server.store.verifyAudit().records == before.records)
            }
        }

        @Test func badRowsAreNamedByLineAndColumnAndNothingIsKept() async throws {
            try await TestServer.run { server in
                // A legacy commune split between 2025 communes must name the household's successor.
                let split = server.units.list(UnitDirectory.Filter(edition: .legacy)).first {
                    $0.level == .commune && server.units.lineage($0.ref).count > 1
                }
                let unit = try #require(split, "the units have split communes")
                let rows = [
                    Self.header,
                    "legacy:05431,,TN-1,Tổ 1,Chủ hộ,nam,1970-01-01,,Kinh,3,2022,poor,1/QĐ-UBND,2021-12-20",
                    "\(unit.ref),,TN-2,Tổ 1,Chủ hộ,nam,1970-01-01,,Kinh,3,2022,poor,1/QĐ-UBND,2021-12-20",
                    "legacy:05431,,TN-3,Tổ 1,Chủ hộ,nam,1970-01-01,,Klingon,3,2022,rich,1/QĐ-UBND,2021-12-20",
                    "legacy:05431,,TN-4,Tổ 1,Chủ hộ,nam,1970-01-01,,Kinh,3,2019,poor,1/QĐ-UBND,2018-12-20",
                ]
                do {
                    _ = try await Self.run(rows.joined(separator: "\n"), server)
                    Issue.record("a bad file was accepted")
                } catch let error as DomainError {
                    #expect(error.code == .invalid)
                    #expect(error.message.contains("line 3, column 2 (successor)"), "\(error.message)")
                    #expect(error.message.contains("was split in 2025"))
                    #expect(error.message.contains("line 4, column 9 (ethnicity)"))
                    #expect(error.message.contains("line 4, column 12 (class)"))
                    #expect(error.message.contains("line 5, column 11 (list_year)"))
                    #expect(error.details.first?.1 == "4")
                }
                #expect(try await server.store.households(communes: nil).isEmpty)
            }
        }

        /// `caseline-server import lists` on a data directory, with the sample file of Tools/samples.
        @Test func theSampleFileImportsOnceWithTheSubcommand() async throws {
            let data = ServerSuites.ServerProcessTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: data) }
            _ = try await ServerProcess.initialise(data)
            let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Tools/samples/history-lists.csv").path
            let executable = ServerSuites.ServerProcessTests.executable.path
            let arguments = ["import", "lists", "--data", data.path, sample]
            let dry = try await Peers.run(executable, arguments + ["--dry-run"], timeout: 120)
            #expect(
                dry.status == 0 && dry.stdout.contains("Would import 4 households (4 new"), "\(dry.stdout)\(dry.stderr)"
            )
            let first = try await Peers.run(executable, arguments, timeout: 120)
            #expect(
                first.stdout.contains("Imported 4 households (4 new, 0 unchanged) and 5 lists (7 assessments"),
                "\(first.stdout)\(first.stderr)")
            let second = try await Peers.run(executable, arguments, timeout: 120)
            #expect(
                second.stdout.contains("(0 new, 4 unchanged) and 0 lists (0 assessments; 5 lists already imported)"),
                "\(second.stdout)")
            let store = try SQLiteStore(path: data.appendingPathComponent("caseline.sqlite").path)
            #expect(
                try await store.reviewAssessments(commune: "legacy:05431", household: nil, listYear: 2023).count == 2)
            #expect(try await store.verifyAudit().firstBroken == nil)
            try await store.close()
        }
    }
}
