import CaseLineClient
import CaseLineDomain
import CaseLineProtocol
import CaseLineServer
import CaseLineStore
import CaseLineStoreSQLite
import Foundation
import Testing

extension ServerSuites {
    /// A province's decided cases and tasks of past years come in under the units they were made in (issue 18),
    /// from the sample files of Tools/samples: decided without a chain or events, marked as imported, counted by
    /// the reports under the 2025 units and found by the legacy filters.
    @Suite("Case and task import", .timeLimit(.minutes(3)))
    struct CaseTaskImportTests {
        static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tools/samples")

        static func sample(_ name: String) throws -> String {
            try String(contentsOf: samples.appendingPathComponent(name), encoding: .utf8)
        }

        static func cases(_ csv: String, _ server: TestServer, dryRun: Bool = false) async throws
            -> CaseImporter.Report
        {
            try await CaseImporter.run(
                Array(csv.utf8), source: "history-cases.csv", dryRun: dryRun, creator: "admin",
                actor: .system("import"), command: "import cases", store: server.store, units: server.units,
                today: SurveyImporter.today())
        }

        static func tasks(_ csv: String, _ server: TestServer, dryRun: Bool = false) async throws
            -> TaskImporter.Report
        {
            try await TaskImporter.run(
                Array(csv.utf8), source: "history-tasks.csv", dryRun: dryRun, creator: "admin",
                actor: .system("import"), command: "import tasks", store: server.store, units: server.units,
                today: SurveyImporter.today())
        }

        /// The households of the lists sample, which the cases sample names.
        static func lists(_ server: TestServer) async throws {
            _ = try await HistoryImporter.run(
                Array(try sample("history-lists.csv").utf8), source: "history-lists.csv", dryRun: false,
                actor: .system("import"), command: "import lists", store: server.store, units: server.units,
                review: server.configuration.review, today: SurveyImporter.today())
        }

        /// The message of the refusal a run throws.
        static func refusal(_ run: () async throws -> Void) async -> DomainError? {
            do {
                try await run()
                Issue.record("a bad file was accepted")
                return nil
            } catch let error as DomainError {
                return error
            } catch {
                Issue.record("\(error)")
                return nil
            }
        }

        @Test func theSampleCasesComeInDecidedAndCountUnderTheirSuccessors() async throws {
            try await TestServer.run { server async throws in
                try await Self.lists(server)
                let csv = try Self.sample("history-cases.csv")
                let events = try await server.store.eventBounds().head
                let dry = try await Self.cases(csv, server, dryRun: true)
                #expect(dry.created == 6 && dry.dryRun)
                #expect(try await server.store.cases(communes: nil).isEmpty, "a dry run keeps nothing")

                let audit = try await server.store.verifyAudit().records
                let report = try await Self.cases(csv, server)
                #expect(report.created == 6 && report.unchanged == 0 && report.importID.hasPrefix("IMP-"))
                #expect(try await server.store.verifyAudit().records == audit + 7, "one per case and the batch")
                #expect(try await server.store.eventBounds().head == events, "history raises no events")
                let stored = try await server.store.cases(communes: nil)
                let repair = try #require(stored.first { $0.imported?.key == "legacy:05431/HT-2022-01" })
                #expect(repair.commune == "legacy:05431" && repair.households.count == 1)
                let split = try #require(stored.first { $0.imported?.key == "legacy:05461/DN-2023-04" })
                #expect(split.imported?.successor == "05467")

                try await server.session("lan") { chair async throws in
                    let shown = try await chair.request("CASE SHOW \(repair.id)")
                    #expect(shown.records.count == 1, "no approval steps: \(shown.records)")
                    let record = try #require(shown.records.first)
                    #expect(record["state"] == "approved" && record["decision"] == "415/QĐ-UBND")
                    #expect(record["decided-at"] == "2022-06-14T17:00:00Z", "the decision day, in Vietnam")
                    #expect(record["imported-from"] == "history-cases.csv" && record["imported-line"] == "2")
                    #expect(record["import-id"] == report.importID && record["import-key"] == "legacy:05431/HT-2022-01")
                    #expect(record["chain"] == nil && record["amount"] == "45000000")
                    #expect(record["funding"] == "central:30000000,provincial:10000000,household:5000000")
                    #expect(record["started"] == "2022-07-01" && record["handed-over"] == "2022-10-05")
                    // The legacy filters: Thái Nguyên city's 4 cases, Bắc Kạn's one.
                    let city = try await chair.request("CASE LIST district=legacy:164 limit=1")
                    #expect(city.records.last?["total"] == "4", "\(city.records)")
                    let bacKan = try await chair.request("CASE LIST province=legacy:06")
                    #expect(bacKan.records.first?["import-key"] == "legacy:02017/SK-2024-02")
                    #expect(bacKan.records.last?["total"] == "1")
                    // Under the 2025 commune the legacy wards went into.
                    let quanTrieu = try await chair.request("CASE LIST commune=05482 limit=1")
                    #expect(quanTrieu.records.last?["total"] == "4", "\(quanTrieu.records)")
                    // Phường Gia Sàng's class went to 05467 (the row's successor), not to its primary successor.
                    let named = try await chair.request("CASE LIST commune=05467")
                    #expect(named.records.contains { $0["import-key"] == "legacy:05461/DN-2023-04" })
                    let primary = try await chair.request("CASE LIST commune=05443")
                    #expect(!primary.records.contains { $0["import-key"] == "legacy:05461/DN-2023-04" })
                    // REPORT OUTPUTS counts the approved ones in their programme years, the rejected one not.
                    let outputs = try await chair.request(
                        "REPORT OUTPUTS province=19 from=2022-01-01 through=2025-12-31")
                    let all = try #require(outputs.records.first { $0.type == "OUTPUT" && $0["kind"] == "all" })
                    #expect(all["cases"] == "5" && all["amount"] == "228700000", "\(outputs.records)")
                    let y2023 = try await chair.request("REPORT OUTPUTS province=19 period=2023")
                    let vocational = y2023.records.first { $0["kind"] == "vocational" }
                    #expect(vocational?["cases"] == "1" && vocational?["persons"] == "20")
                    let byCommune = try await chair.request("REPORT OUTPUTS district=legacy:164 period=2022 by=commune")
                    // By the legacy district, rows are its legacy communes; by the 2025 province, their successors.
                    #expect(
                        byCommune.records.contains { $0["commune"] == "legacy:05431" && $0["kind"] == "housing-repair" }
                    )
                    let province = try await chair.request("REPORT OUTPUTS province=19 period=2022 by=commune")
                    #expect(
                        province.records.contains { $0["commune"] == "05482" && $0["kind"] == "housing-repair" },
                        "\(province.records)")
                }

                // The same file again: nothing created, nothing written (the reads above were audited).
                let before = try await server.store.verifyAudit().records
                let again = try await Self.cases(csv, server)
                #expect(again.created == 0 && again.unchanged == 6)
                #expect(try await server.store.verifyAudit().records == before)
                // The same key with other content refuses the whole file, naming the line.
                let changed = csv.replacingOccurrences(of: "Sửa chữa nhà ở hộ Dương Văn Hải", with: "Sửa nhà")
                let error = await Self.refusal { _ = try await Self.cases(changed, server) }
                #expect(
                    error?.code == .conflict && error?.message.contains("line 2:") == true,
                    "\(String(describing: error))")
                #expect(try await server.store.verifyAudit().records == before)
            }
        }

        @Test func badCaseRowsAreNamedByLineAndColumnAndNothingIsKept() async throws {
            try await TestServer.run { server async throws in
                let header = "unit,successor,key,kind,title,year,state,decision,decision_date,fund_central,households"
                let rows = [
                    header,
                    "legacy:05434,,A-1,housing-palace,Nhà,2023,approved,1/QĐ,2023-01-05,100,HH-1",
                    "legacy:05434,,A-2,livelihood,Bò,2023,approved,1/QĐ,2999-01-05,100,HH-1",
                    "legacy:05461,,A-3,vocational,Lớp nghề,2023,approved,1/QĐ,2023-01-05,100,",
                    "legacy:05434,,A-4,livelihood,Bò,2023,submitted,1/QĐ,2023-01-05,100,HH-1",
                    "legacy:05434,,A-5,housing-new,Nhà,2023,approved,1/QĐ,2023-01-05,,HH-1",
                    "legacy:05434,,A-5,health-insurance,Thẻ,2020,approved,1/QĐ,2023-01-05,100,",
                ]
                let error = await Self.refusal { _ = try await Self.cases(rows.joined(separator: "\n"), server) }
                let message = error?.message ?? ""
                #expect(error?.code == .invalid)
                #expect(message.contains("line 2, column 4 (kind): housing-palace is not a case kind"), "\(message)")
                #expect(message.contains("line 3, column 9 (decision_date): decision_date 2999-01-05 is in the future"))
                #expect(message.contains("line 4, column 2 (successor): Phường Gia Sàng (legacy:05461) was split"))
                #expect(message.contains("line 5, column 7 (state): submitted: history holds decided cases only"))
                #expect(message.contains("line 6, column 10 (fund_central): an approved housing-new case needs"))
                #expect(message.contains("line 7, column 6 (year)"))
                #expect(message.contains("line 7, column 11 (households): a health-insurance case names at least"))
                #expect(error?.details.first?.1 == "7")
                #expect(try await server.store.cases(communes: nil).isEmpty)

                // Households the store does not know, by key or id: found in the transaction, named by line.
                let unknown = [
                    header,
                    "legacy:05434,,B-1,livelihood,Bò,2023,approved,1/QĐ,2023-01-05,100,legacy:05434/QV-999",
                    "legacy:05434,,B-2,livelihood,Bò,2023,approved,1/QĐ,2023-01-05,100,HH-77",
                    "legacy:05434,,B-1,livelihood,Bò,2023,approved,1/QĐ,2023-01-05,100,HH-77",
                ]
                let duplicate = await Self.refusal {
                    _ = try await Self.cases(unknown.joined(separator: "\n"), server)
                }
                #expect(duplicate?.message.contains("line 4, column 3 (key): legacy:05434/B-1 is on line 2") == true)
                let missing = await Self.refusal {
                    _ = try await Self.cases(unknown.dropLast().joined(separator: "\n"), server, dryRun: true)
                }
                let text = missing?.message ?? ""
                #expect(
                    text.contains("line 2, column 11 (households): no household was imported under the key"), "\(text)")
                #expect(text.contains("line 3, column 11 (households): no household HH-77"))
                #expect(try await server.store.cases(communes: nil).isEmpty)
            }
        }

        @Test func theSampleTasksComeInAndADoneOneCountsOnItsDay() async throws {
            try await TestServer.run { server async throws in
                let csv = try Self.sample("history-tasks.csv")
                let events = try await server.store.eventBounds().head
                #expect(try await Self.tasks(csv, server, dryRun: true).created == 4)
                #expect(try await server.store.tasks(communes: nil).isEmpty)
                let report = try await Self.tasks(csv, server)
                #expect(report.created == 4)
                #expect(try await server.store.eventBounds().head == events)
                let stored = try await server.store.tasks(communes: nil)
                let sewing = try #require(stored.first { $0.imported?.key == "legacy:05461/CV-2023-12" })
                try await server.session("lan") { chair async throws in
                    let shown = try await chair.request("TASK SHOW \(sewing.id)")
                    let task = try #require(shown.records.first)
                    #expect(task["state"] == "done" && task["successor"] == "05467" && task["imported-line"] == "3")
                    let move = try #require(shown.records.first { $0.type == "TRANSITION" })
                    #expect(move["to"] == "done" && move["at"] == "2023-06-27T17:00:00Z")
                    let city = try await chair.request("TASK LIST district=legacy:164 state=done limit=1")
                    #expect(city.records.last?["total"] == "2")
                    let named = try await chair.request("TASK LIST commune=05467 state=done")
                    #expect(named.records.contains { $0["id"] == sewing.id })
                    let primary = try await chair.request("TASK LIST commune=05443 state=done")
                    #expect(!primary.records.contains { $0["id"] == sewing.id })
                    // REPORT WORK: done in 2023-H1 under the split commune's primary successor, not in 2023-H2.
                    let h1 = try await chair.request("REPORT WORK province=19 period=2023-H1")
                    let row = h1.records.first { $0.type == "WORK-TASKS" && $0["component"] == "4.1" }
                    #expect(row?["done"] == "1" && row?["commune"] == "05443", "\(h1.records)")
                    let h2 = try await chair.request("REPORT WORK province=19 period=2023-H2")
                    #expect(!h2.records.contains { $0.type == "WORK-TASKS" && $0["component"] == "4.1" })
                }
                let again = try await Self.tasks(csv, server)
                #expect(again.created == 0 && again.unchanged == 4)

                // Bad rows: every one named.
                let rows = [
                    "unit,key,title,state,done_date,assignee,component",
                    "05482,X-1,Việc,done,,,5",
                    "05482,X-2,Việc,assigned,,,9.9",
                    "05482,X-3,Việc,new,2023-01-01,,",
                    "05482,X-4,Việc,inprogress,,ai-do,",
                ]
                let error = await Self.refusal { _ = try await Self.tasks(rows.joined(separator: "\n"), server) }
                let message = error?.message ?? ""
                #expect(message.contains("line 2, column 5 (done_date): done_date is required"), "\(message)")
                #expect(message.contains("line 3, column 6 (assignee): an assigned task names its assignee"))
                #expect(message.contains("line 3, column 7 (component): 9.9 is not a programme component"))
                #expect(message.contains("line 4, column 5 (done_date): done_date is for done or cancelled tasks"))
                let unknown = await Self.refusal {
                    _ = try await Self.tasks([rows[0], rows[4]].joined(separator: "\n"), server)
                }
                #expect(unknown?.message.contains("line 2, column 6 (assignee): no user ai-do") == true)
                #expect(try await server.store.tasks(communes: nil).count == 4)
            }
        }

        /// `caseline-server import cases` and `import tasks` on a data directory, with the sample files.
        @Test func theSampleFilesImportOnceWithTheSubcommands() async throws {
            let data = ServerSuites.ServerProcessTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: data) }
            _ = try await ServerProcess.initialise(data)
            let executable = ServerSuites.ServerProcessTests.executable.path
            func run(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
                let result = try await Peers.run(executable, arguments + ["--data", data.path], timeout: 120)
                return (result.status, result.stdout, result.stderr)
            }
            let lists = try await run([
                "import", "lists", Self.samples.appendingPathComponent("history-lists.csv").path,
            ])
            #expect(lists.status == 0, "\(lists.stderr)")
            let cases = ["import", "cases", Self.samples.appendingPathComponent("history-cases.csv").path]
            let dry = try await run(cases + ["--dry-run"])
            #expect(dry.status == 0 && dry.stdout.contains("Would import 6 cases"), "\(dry.stdout)\(dry.stderr)")
            let first = try await run(cases)
            #expect(first.stdout.contains("Imported 6 cases (0 already imported, 6 rows) as IMP-"), "\(first.stderr)")
            let second = try await run(cases)
            #expect(second.stdout.contains("Imported 0 cases (6 already imported"), "\(second.stdout)")
            let tasks = ["import", "tasks", Self.samples.appendingPathComponent("history-tasks.csv").path]
            let task = try await run(tasks + ["--by", "nobody"])
            #expect(task.status != 0 && task.stderr.contains("--by nobody: no such user"), "\(task.stderr)")
            #expect(try await run(tasks).stdout.contains("Imported 4 tasks"))
            let store = try SQLiteStore(path: data.appendingPathComponent("caseline.sqlite").path)
            #expect(try await store.cases(communes: ["legacy:05431"]).count == 2)
            #expect(try await store.tasks(communes: nil).count == 4)
            #expect(try await store.verifyAudit().firstBroken == nil)
            try await store.close()
        }
    }
}
