import CaseLineDomain
import Crypto
import Foundation

/// What the case and task imports (`import cases`, `import tasks`) share in reading a province's file: the
/// CSV (comma, semicolon or tab, read from the header), a header naming known columns in any order and case,
/// each row's cells by column name, and every problem named by line and column (`SurveyImport.Issue`). The
/// unit column is read as the lists import reads it (`HistoryImporter`): a commune-level unit of either
/// edition, a split legacy commune naming its successor.
struct ImportSheet {
    var records: [CSVReader.Record]
    var columns: [String: Int]
    var width: Int

    /// Reads the file and its header; refuses unknown, repeated and missing required columns.
    static func read(_ bytes: [UInt8], known: [String], required: [String]) throws -> ImportSheet {
        let records: [CSVReader.Record]
        switch CSVReader.read(bytes) {
        case .success(let read): records = read
        case .failure(let failure):
            throw SurveyImport.Failure(
                issues: failure.problems.map {
                    SurveyImport.Issue(line: $0.line, column: $0.column, field: nil, message: $0.message)
                }
            ).domainError
        }
        guard let header = records.first else { throw DomainError(.invalid, "line 1: the file is empty") }
        var issues: [SurveyImport.Issue] = []
        var columns: [String: Int] = [:]
        for (index, field) in header.fields.enumerated() {
            let name = field.value.trimmingCharacters(in: .whitespaces).lowercased()
            guard known.contains(name) else {
                issues.append(
                    SurveyImport.Issue(
                        line: field.line, column: field.column, field: nil,
                        message: "unknown column \"\(field.value)\"; known: " + known.joined(separator: ", ")))
                continue
            }
            if columns[name] != nil {
                issues.append(
                    SurveyImport.Issue(line: field.line, column: field.column, field: name, message: "column repeated"))
            }
            columns[name] = index
        }
        for name in required where columns[name] == nil {
            issues.append(
                SurveyImport.Issue(line: header.line, column: 1, field: name, message: "required column is missing"))
        }
        guard issues.isEmpty else { throw SurveyImport.Failure(issues: issues).domainError }
        return ImportSheet(records: Array(records.dropFirst()), columns: columns, width: header.fields.count)
    }

    /// Calls `body` with each non-empty row; returns every problem found (the rows' and the sheet's).
    func rows(_ body: (inout Row) -> Void) -> [SurveyImport.Issue] {
        var issues: [SurveyImport.Issue] = []
        for record in records where !record.fields.allSatisfy({ $0.value.isEmpty }) {
            guard record.fields.count == width else {
                issues.append(
                    SurveyImport.Issue(
                        line: record.line, column: 1, field: nil,
                        message: "\(record.fields.count) fields where the header has \(width)"))
                continue
            }
            var row = Row(record: record, columns: columns)
            body(&row)
            issues += row.issues
        }
        return issues
    }

    /// One row being read: its cells by column name, and the problems found in it.
    struct Row {
        var record: CSVReader.Record
        var columns: [String: Int]
        var issues: [SurveyImport.Issue] = []

        var line: Int { record.line }

        /// The column's position in the file (1 when the file lacks it).
        func column(_ name: String) -> Int { columns[name].map { record.fields[$0].column } ?? 1 }

        /// The trimmed cell, nil when empty or absent.
        func text(_ name: String) -> String? {
            guard let index = columns[name] else { return nil }
            let text = record.fields[index].value.trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : text
        }

        mutating func fail(_ name: String, _ message: String) {
            issues.append(SurveyImport.Issue(line: line, column: column(name), field: name, message: message))
        }

        /// The cell, or a problem when it is empty.
        mutating func required(_ name: String) -> String? {
            guard let text = text(name) else {
                fail(name, "\(name) is required")
                return nil
            }
            return text
        }

        /// Text of at most `max` characters.
        mutating func text(_ name: String, required: Bool, max: Int) -> String? {
            guard let text = required ? self.required(name) : text(name) else { return nil }
            guard text.count <= max else {
                fail(name, "\(name) has at most \(max) characters")
                return nil
            }
            return text
        }

        /// A date `YYYY-MM-DD`, not after `today`.
        mutating func date(_ name: String, required: Bool, today: CivilDate) -> CivilDate? {
            guard let text = required ? self.required(name) : text(name) else { return nil }
            guard let date = CivilDate(text), date.description == text else {
                fail(name, "\(name) is a date YYYY-MM-DD, not \(text)")
                return nil
            }
            guard date <= today else {
                fail(name, "\(name) \(text) is in the future")
                return nil
            }
            return date
        }

        /// A whole number in `range` (empty: nil without a problem unless required).
        mutating func number(_ name: String, _ range: ClosedRange<Int64>, required: Bool = false) -> Int64? {
            guard let text = required ? self.required(name) : text(name) else { return nil }
            guard text.allSatisfy(\.isASCII), let value = Int64(text), range.contains(value) else {
                fail(name, "\(name) is a whole number from \(range.lowerBound) to \(range.upperBound), not \(text)")
                return nil
            }
            return value
        }

        /// The row's unit (`unit`): a commune-level unit of either edition; a legacy commune split in 2025 must
        /// name its successor (`successor`), and a successor given for another legacy commune must be its own.
        /// Returns the unit and the successor named.
        mutating func unit(_ units: UnitDirectory) -> (unit: AdminUnit, successor: String?)? {
            guard let text = required("unit") else { return nil }
            guard let ref = UnitRef(wire: text), let unit = units.unit(ref), unit.level == .commune else {
                fail("unit", "\(text) is not a commune-level unit (CODE or legacy:CODE)")
                return nil
            }
            let named = self.text("successor")
            guard unit.ref.edition == .legacy else {
                if let named {
                    fail("successor", "\(unit.ref) is a 2025 unit; successor is for legacy communes, not \(named)")
                    return nil
                }
                return (unit, nil)
            }
            let successors = units.lineage(unit.ref).map(\.currentCode)
            if successors.count > 1 {
                guard let named, successors.contains(named) else {
                    fail(
                        "successor",
                        "\(unit.name) (\(unit.ref)) was split in 2025 between " + successors.joined(separator: ", ")
                            + ": name the record's successor")
                    return nil
                }
            } else if let named, !successors.contains(named) {
                fail("successor", "\(unit.ref)'s successor is \(successors.first ?? "none"), not \(named)")
                return nil
            }
            return (unit, named)
        }

        /// The province's own key of the record (1–40 characters), or nil with a problem.
        mutating func key() -> String? {
            guard let key = required("key") else { return nil }
            guard key.count <= 40 else {
                fail("key", "a key has 1–40 characters")
                return nil
            }
            return key
        }
    }

    /// The communes a record of `unit` may name households of: the unit and its lineage.
    static func communes(of unit: AdminUnit, _ units: UnitDirectory) -> Set<String> {
        let lineage = units.lineage(unit.ref)
        return Set(
            [unit.ref.description]
                + lineage.map {
                    unit.ref.edition == .legacy ? $0.currentCode : UnitRef(.legacy, $0.legacyCode).description
                })
    }

    /// One id per import run: `IMP-` and the run's time in UTC with four random hex digits
    /// (`IMP-20261201-231500-7f3a`).
    static func importID(_ now: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now)
        return String(
            format: "IMP-%04d%02d%02d-%02d%02d%02d-%04x", p.year!, p.month!, p.day!, p.hour!, p.minute!, p.second!,
            Int.random(in: 0..<0x10000))
    }

    /// The fingerprint of a record's content: SHA-256 of its fields, hex.
    static func fingerprint(_ fields: [String]) -> String {
        Hex.string(SHA256.hash(data: Data(fields.joined(separator: "\u{1F}").utf8)))
    }

    /// A key seen twice in one file is refused on its second line.
    static func duplicates(_ keys: [(key: String, line: Int, column: Int)]) -> [SurveyImport.Issue] {
        var seen: [String: Int] = [:]
        var issues: [SurveyImport.Issue] = []
        for item in keys {
            if let first = seen[item.key] {
                issues.append(
                    SurveyImport.Issue(
                        line: item.line, column: item.column, field: "key",
                        message: "\(item.key) is on line \(first) already"))
            } else {
                seen[item.key] = item.line
            }
        }
        return issues
    }
}
