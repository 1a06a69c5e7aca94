import ArgumentParser
import CaseLineDomain
import CaseLineServer
import CaseLineStore
import Foundation

/// `caseline-server generate province`: a deterministic, invented province history in the import formats —
/// for benchmarks and trials, never for production data.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write generated (invented) data in the import formats, for trials and benchmarks.",
        subcommands: [GenerateProvince.self])
}

struct GenerateProvince: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "province",
        abstract: "Generate the lists and household totals of a province's legacy communes over list years.",
        discussion: """
            Writes LISTS (for `import lists`) and TOTALS (for `import totals`). The same options give the same
            files. The households, names and paths are invented; the shape (poorer highlands, falling rates,
            households escaping to near-poor, a few falling back) follows the programme's reports.
            """)

    @Option(help: "The 2025 province whose legacy communes are generated.") var province = "19"
    @Option(help: "About how many resident households in all.") var households = 100_000
    @Option(help: "The first list year.") var from = 2022
    @Option(
        help: """
            The last list year. Legacy communes made the lists up to 2025; a later year is still filed under them \
            (volume for benchmarks, not a faithful 2026).
            """)
    var to = 2025
    @Flag(help: "A row every year for every household, not only for those ever on a list.") var everyone = false
    @Option(help: "The generator's seed.") var seed: UInt64 = 2025
    @Option(help: "Where the lists go.") var lists: String
    @Option(help: "Where the totals go.") var totals: String

    func validate() throws {
        guard from <= to, from >= 2022, to <= 2030 else {
            throw ValidationError("--from and --to: list years 2022–2030, from before to")
        }
        guard (1_000...10_000_000).contains(households) else {
            throw ValidationError("--households: 1,000 to 10,000,000")
        }
    }

    func run() async throws {
        let bundled = try UnitResource.bundled()
        let units = UnitDirectory(units: bundled.units, links: bundled.links)
        let output = ProvinceGenerator.generate(
            ProvinceGenerator.Options(
                province: province, households: households, years: from...to, everyone: everyone, seed: seed),
            units: units)
        try output.csv.write(toFile: lists, atomically: true, encoding: .utf8)
        var lines = ["unit,year,households,persons,source"]
        for total in output.totals {
            lines.append(
                "\(total.unit),\(total.year),\(total.households),\(total.persons.map(String.init) ?? ""),\(total.source)"
            )
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: totals, atomically: true, encoding: .utf8)
        print(
            "\(output.rows) list rows (\(output.listedHouseholds) households on a list) → \(lists); "
                + "\(output.totals.count) totals → \(totals)")
    }
}
