import CaseLineDomain
import Foundation

/// A column of a history import file: its header name, and whether the header must name it.
protocol HistoryColumn: RawRepresentable, CaseIterable, Hashable where RawValue == String {
    static var required: [Self] { get }
}

/// A history import file read as a table (the lists file, the members file): UTF-8 CSV, a header naming the
/// columns in any order and case, each problem by line and column (`SurveyImport.Issue`).
struct HistoryTable<Column: HistoryColumn> {
    var header: CSVReader.Record
    var columns: [Column: Int]
    /// The data rows, blank ones left out.
    var records: [CSVReader.Record]

    /// The header checked (unknown, repeated and missing columns) and every row with as many fields.
    static func read(_ bytes: [UInt8]) -> Result<HistoryTable, SurveyImport.Failure> {
        let records: [CSVReader.Record]
        switch CSVReader.read(bytes) {
        case .success(let read): records = read
        case .failure(let failure):
            return .failure(
                SurveyImport.Failure(
                    issues: failure.problems.map {
                        SurveyImport.Issue(line: $0.line, column: $0.column, field: nil, message: $0.message)
                    }))
        }
        guard let header = records.first else {
            return .failure(
                SurveyImport.Failure(issues: [
                    SurveyImport.Issue(line: 1, column: 1, field: nil, message: "the file is empty")
                ]))
        }
        var issues: [SurveyImport.Issue] = []
        var columns: [Column: Int] = [:]
        for (index, field) in header.fields.enumerated() {
            let name = field.value.trimmingCharacters(in: .whitespaces).lowercased()
            guard let column = Column(rawValue: name) else {
                issues.append(
                    SurveyImport.Issue(
                        line: field.line, column: field.column, field: nil,
                        message: "unknown column \"\(field.value)\"; known: "
                            + Column.allCases.map(\.rawValue).joined(separator: ", ")))
                continue
            }
            if columns[column] != nil {
                issues.append(
                    SurveyImport.Issue(line: field.line, column: field.column, field: name, message: "column repeated"))
            }
            columns[column] = index
        }
        for column in Column.required where columns[column] == nil {
            issues.append(
                SurveyImport.Issue(
                    line: header.line, column: 1, field: column.rawValue, message: "required column is missing"))
        }
        var rows: [CSVReader.Record] = []
        for record in records.dropFirst() where !record.fields.allSatisfy({ $0.value.isEmpty }) {
            guard record.fields.count == header.fields.count else {
                issues.append(
                    SurveyImport.Issue(
                        line: record.line, column: 1, field: nil,
                        message: "\(record.fields.count) fields where the header has \(header.fields.count)"))
                continue
            }
            rows.append(record)
        }
        guard issues.isEmpty else { return .failure(SurveyImport.Failure(issues: issues)) }
        return .success(HistoryTable(header: header, columns: columns, records: rows))
    }

    func row(_ record: CSVReader.Record) -> Row { Row(record: record, columns: columns) }

    /// One row's cells and the problems found in them.
    struct Row {
        let record: CSVReader.Record
        let columns: [Column: Int]
        var issues: [SurveyImport.Issue] = []

        /// The column's position in the file (1 when the file lacks it).
        func column(_ column: Column) -> Int { columns[column].map { record.fields[$0].column } ?? 1 }

        /// The cell, trimmed; nil when empty or absent.
        func cell(_ column: Column) -> String? {
            guard let index = columns[column] else { return nil }
            let text = record.fields[index].value.trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? nil : text
        }

        mutating func fail(_ column: Column, _ message: String) {
            issues.append(
                SurveyImport.Issue(
                    line: record.line, column: self.column(column), field: column.rawValue, message: message))
        }

        /// The cell; "" (and a problem) when empty.
        mutating func required(_ column: Column) -> String {
            guard let value = cell(column) else {
                fail(column, "\(column.rawValue) is required")
                return ""
            }
            return value
        }

        mutating func gender(_ column: Column) -> Household.Gender {
            switch NameFolding.fold(required(column)) {
            case "nam", "male": return .male
            case "nu", "female": return .female
            case "": return .male
            default:
                fail(column, "gender is nam or nữ (male or female)")
                return .male
            }
        }

        /// A required date, `YYYY-MM-DD`, not after `today`.
        mutating func date(_ column: Column, today: CivilDate) -> CivilDate? {
            let text = required(column)
            let date = CivilDate(text)
            if !text.isEmpty, date == nil || date.map({ $0 > today }) == true {
                fail(column, "\(column.rawValue) is a date YYYY-MM-DD, not in the future")
            }
            return date.flatMap { $0 > today ? nil : $0 }
        }

        /// `yes` / `no` (also `có` / `không`, `true` / `false`, `1` / `0`); empty is no.
        mutating func flag(_ column: Column) -> Bool {
            guard let text = cell(column) else { return false }
            switch NameFolding.fold(text) {
            case "yes", "co", "true", "1", "x": return true
            case "no", "khong", "false", "0": return false
            default:
                fail(column, "\(column.rawValue) is yes or no (có or không)")
                return false
            }
        }
    }
}
