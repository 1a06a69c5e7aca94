import CaseLineDomain
import CaseLineServer
import CaseLineStore
import CaseLineStoreSQLite
import Foundation
import Testing

extension ServerSuites {
    /// Resident households per commune and list year from a sheet, and the generated province the demo and the
    /// benchmark load: checked whole, idempotent, and through the real executable.
    @Suite("Totals import and the province generator", .timeLimit(.minutes(3)))
    struct TotalsImportTests {
        static func run(_ csv: String, _ server: TestServer, dryRun: Bool = false) async throws
            -> TotalsImporter.Report
        {
            try await TotalsImporter.run(
                Array(csv.utf8), source: "totals.csv", dryRun: dryRun, actor: .system("import"),
                store: server.store, units: server.units)
        }

        @Test func aBadSheetIsRefusedWholeByLineAndColumn() async throws {
            try await TestServer.run { server in
                let before = try await server.store.verifyAudit().records
                let bad = """
                    unit;year;households;persons;source
                    legacy:05443;2023;2744;10976;Chi cục Thống kê
                    02014;2024;1200;;UBND xã
                    legacy:05443;2026;1200;;x
                    legacy:164;2023;100;;x
                    legacy:05446;2023;1.200;;x
                    legacy:05446;2024;100;90;x
                    legacy:05443;2023;2744;;again
                    legacy:99999999;2023;1;;x
                    legacy:05449;2023;10;;

                    """
                do {
                    _ = try await Self.run(bad, server)
                    Issue.record("a bad sheet was accepted")
                } catch let error as DomainError {
                    #expect(error.code == .invalid)
                    for expected in [
                        "line 3, column 1 (unit): the 2024 lists were made by the communes before 1 July 2025",
                        "line 4, column 1 (unit): the 2026 lists are made by the 2025 communes",
                        "line 5, column 1 (unit): Thành phố Thái Nguyên is not a commune",
                        "line 6, column 3 (households)", "line 7, column 1 (unit): persons= (90) is fewer",
                        "line 8, column 2 (year): legacy:05443 2023 is given twice (first on line 2)",
                        "line 9, column 1 (unit): no such unit", "line 10, column 1 (unit): the source",
                    ] {
                        #expect(error.message.contains(expected), "\(expected) — \(error.message)")
                    }
                }
                #expect(try await server.store.householdTotals(units: nil, year: nil).isEmpty)
                #expect(try await server.store.verifyAudit().records == before, "nothing was written")
            }
        }

        @Test func theSampleAndTheGeneratedProvinceImportOnceWithTheSubcommands() async throws {
            let data = ServerSuites.ServerProcessTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: data) }
            _ = try await ServerProcess.initialise(data)
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            let executable = ServerSuites.ServerProcessTests.executable.path
            let sample = root.appendingPathComponent("Tools/samples/totals.csv").path
            let dry = try await Peers.run(executable, ["import", "totals", "--data", data.path, sample, "--dry-run"])
            #expect(dry.status == 0 && dry.stdout.contains("Would record 4 totals"), "\(dry.stdout)\(dry.stderr)")
            let first = try await Peers.run(executable, ["import", "totals", "--data", data.path, sample])
            #expect(first.stdout.contains("Recorded 4 totals; 0 unchanged"), "\(first.stdout)\(first.stderr)")
            let second = try await Peers.run(executable, ["import", "totals", "--data", data.path, sample])
            #expect(second.stdout.contains("Recorded 0 totals; 4 unchanged"), "\(second.stdout)")

            // A small generated province: the same options give the same files, which import as a province
            // would bring them.
            let lists = data.appendingPathComponent("lists.csv").path
            let totals = data.appendingPathComponent("totals.csv").path
            let generate = [
                "generate", "province", "--households", "3000", "--from", "2023", "--to", "2024", "--lists", lists,
                "--totals", totals,
            ]
            let made = try await Peers.run(executable, generate)
            #expect(made.status == 0, "\(made.stderr)")
            let firstLists = try String(contentsOfFile: lists, encoding: .utf8)
            _ = try await Peers.run(executable, generate)
            #expect(try String(contentsOfFile: lists, encoding: .utf8) == firstLists, "deterministic")
            #expect(firstLists.hasPrefix("unit,successor,household,") && firstLists.contains(",2024,poor,"))
            let imported = try await Peers.run(
                executable, ["import", "lists", "--data", data.path, lists], timeout: 120)
            #expect(
                imported.status == 0 && imported.stdout.contains("Imported"), "\(imported.stdout)\(imported.stderr)")
            let loaded = try await Peers.run(executable, ["import", "totals", "--data", data.path, totals])
            #expect(loaded.status == 0, "\(loaded.stdout)\(loaded.stderr)")
            let refused = try await Peers.run(
                executable, ["generate", "province", "--from", "2021", "--lists", lists, "--totals", totals])
            #expect(refused.status != 0)
            let store = try SQLiteStore(path: data.appendingPathComponent("caseline.sqlite").path)
            let recorded = try await store.householdTotals(units: nil, year: 2024)
            #expect(recorded.count > 200 && recorded.allSatisfy { $0.unit.hasPrefix("legacy:") || $0.unit == "02014" })
            #expect(try await store.verifyAudit().firstBroken == nil)
            try await store.close()
        }
    }
}
