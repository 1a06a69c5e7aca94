public import CaseLineDomain
public import CaseLineStore
import Foundation

/// `caseline-server import totals FILE.csv`: the communes' resident households per list year from a sheet
/// (the statistics office's, or the generator's), checked whole before anything is kept: every bad row is
/// named by line and column and nothing is loaded. A row equal to what is recorded is left alone, so the same
/// file imported twice changes nothing; a changed figure replaces the recorded one (audited, as `TOTAL SET`).
///
/// Columns (a header naming them, any order and case): `unit` (a commune, `legacy:CODE` for list years up to
/// 2025), `year`, `households`, `persons` (optional), `source`.
public enum TotalsImporter {
    public struct Report: Sendable {
        public var rows: Int
        public var written: Int
        public var unchanged: Int
        public var dryRun: Bool
    }

    public static func run(
        _ bytes: [UInt8], source file: String, dryRun: Bool, actor: Actor, store: any Store, units: UnitDirectory
    ) async throws -> Report {
        let records: [CSVReader.Record]
        switch CSVReader.read(bytes) {
        case .success(let read): records = read
        case .failure(let failure):
            throw DomainError(.invalid, failure.problems.prefix(20).map(\.description).joined(separator: "; "))
        }
        guard let header = records.first else { throw DomainError(.invalid, "the file is empty") }
        let names = header.values.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var issues: [String] = []
        for required in ["unit", "year", "households", "source"] where !names.contains(required) {
            issues.append("line \(header.line): the header has no column \(required)")
        }
        guard issues.isEmpty else { throw DomainError(.invalid, issues.joined(separator: "; ")) }
        func column(_ name: String) -> Int? { names.firstIndex(of: name) }
        var totals: [HouseholdTotal] = []
        var seen: [String: Int] = [:]
        for record in records.dropFirst() {
            func value(_ name: String) -> (text: String, column: Int)? {
                guard let index = column(name), index < record.fields.count else { return nil }
                return (record.fields[index].value.trimmingCharacters(in: .whitespaces), index + 1)
            }
            func issue(_ name: String, _ message: String) {
                issues.append("line \(record.line), column \(value(name)?.column ?? 0) (\(name)): \(message)")
            }
            if record.values.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard let unitText = value("unit")?.text, let ref = UnitRef(wire: unitText), let unit = units.unit(ref)
            else {
                issue("unit", "no such unit \(value("unit")?.text ?? "")")
                continue
            }
            guard let year = value("year").flatMap({ Int($0.text) }) else {
                issue("year", "not a year")
                continue
            }
            guard let households = value("households").flatMap({ Int($0.text) }), households <= 10_000_000 else {
                issue("households", "not a whole number up to 10,000,000 (no separators)")
                continue
            }
            var persons: Int?
            if let text = value("persons")?.text, !text.isEmpty {
                guard let number = Int(text), number <= 100_000_000 else {
                    issue("persons", "not a whole number up to 100,000,000")
                    continue
                }
                persons = number
            }
            let sourceText = value("source")?.text ?? ""
            if let problem = TotalCommands.problem(
                unit, year: year, households: households, persons: persons, source: sourceText)
            {
                issue("unit", problem)
                continue
            }
            let key = "\(unit.ref.description) \(year)"
            if let first = seen[key] {
                issue("year", "\(unit.ref) \(year) is given twice (first on line \(first))")
                continue
            }
            seen[key] = record.line
            totals.append(
                HouseholdTotal(
                    unit: unit.ref.description, year: year, households: households, persons: persons,
                    source: sourceText, by: actor.login, at: ""))
        }
        if !issues.isEmpty {
            let shown = issues.prefix(20).joined(separator: "; ")
            throw DomainError(
                .invalid, issues.count > 20 ? "\(shown); and \(issues.count - 20) more problems" : shown)
        }
        let recorded = Dictionary(
            try await store.householdTotals(units: Set(totals.map(\.unit)), year: nil).map {
                ("\($0.unit) \($0.year)", $0)
            }, uniquingKeysWith: { a, _ in a })
        var report = Report(rows: totals.count, written: 0, unchanged: 0, dryRun: dryRun)
        for total in totals {
            if let kept = recorded["\(total.unit) \(total.year)"], kept.households == total.households,
                kept.persons == total.persons, kept.source == total.source
            {
                report.unchanged += 1
                continue
            }
            report.written += 1
            if dryRun { continue }
            var change = "total \(total.unit) \(total.year): \(total.households) households"
            if let persons = total.persons { change += ", \(persons) persons" }
            change += " (\(total.source); \(file))"
            _ = try await store.setHouseholdTotal(
                total,
                audit: AuditEntry(actor: actor, command: "import totals", entity: "unit:\(total.unit)", change: change))
        }
        return report
    }
}
