public import CaseLineProtocol
import Foundation

/// How the client prints records: tables for people (fitted to the terminal, localised, with control
/// characters made visible), JSON lines and CSV for scripts, or the raw protocol lines. Raw, JSON and CSV are
/// exact and never localised.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, json, csv, raw

    /// psql's `\x`: records one field a line instead of one a row; `auto` when a row cannot fit.
    public enum Expanded: String, Sendable, CaseIterable {
        case off, on, auto
    }

    public struct Options: Sendable {
        /// The terminal's columns; nil when there is no width to fit (a file or a pipe).
        public var width: Int?
        public var expanded: Expanded
        public var localiser: Localiser
        /// Whether the terminal's locale is UTF-8: charts then draw with block and box characters, else ASCII.
        public var unicode: Bool
        /// The JSON types of record keys (CLP1.md §11); replaceable for tests.
        public var schema: [String: [String: RecordSchema.ValueType]]

        public init(
            width: Int? = nil, expanded: Expanded = .auto, localiser: Localiser = .exact, unicode: Bool = true,
            schema: [String: [String: RecordSchema.ValueType]] = RecordSchema.types
        ) {
            self.width = width
            self.expanded = expanded
            self.localiser = localiser
            self.unicode = unicode
            self.schema = schema
        }

        /// Whether a locale environment is UTF-8: the first of `LC_ALL`, `LC_CTYPE`, `LANG` that is set decides
        /// (`C`, `POSIX` or a legacy charset is not); with none set the client assumes UTF-8, as CLP/1 is.
        public static func unicode(environment: [String: String]) -> Bool {
            guard
                let locale = [environment["LC_ALL"], environment["LC_CTYPE"], environment["LANG"]].compactMap({ $0 })
                    .first(where: { !$0.isEmpty })
            else { return true }
            let upper = locale.uppercased()
            return upper.contains("UTF-8") || upper.contains("UTF8")
        }
    }

    /// Renders one answer's records.
    public func render(_ records: [Record], _ options: Options = Options()) -> String {
        switch self {
        case .raw:
            return records.map {
                String(decoding: ResponseEncoder.encode(.record($0)).dropLast(2), as: UTF8.self) + "\n"
            }.joined()
        case .json: return records.map { Self.json($0, schema: options.schema) + "\n" }.joined()
        case .csv: return ReportView.applies(records) ? Self.csvSections(records) : Self.csv(records)
        case .table:
            if ReportView.applies(records) { return ReportView.text(records, options) }
            return Self.groups(records).map { Self.table($0, options) }.joined(separator: "\n")
        }
    }

    typealias Group = (type: String, keys: [String], rows: [Record])

    /// Consecutive records of one type, with the union of their keys in first-seen order.
    static func groups(_ records: [Record]) -> [Group] {
        var groups: [Group] = []
        for record in records {
            if groups.last?.type != record.type { groups.append((record.type, [], [])) }
            for field in record.fields where !groups[groups.count - 1].keys.contains(field.key) {
                groups[groups.count - 1].keys.append(field.key)
            }
            groups[groups.count - 1].rows.append(record)
        }
        return groups
    }

    /// One JSON object per record, with the record type under `type`; numbers and yes/no flags typed as §11
    /// describes them (`RecordSchema`), every other value a string.
    static func json(_ record: Record, schema: [String: [String: RecordSchema.ValueType]] = RecordSchema.types)
        -> String
    {
        let fields =
            ["\(quote("type")):\(quote(record.type))"]
            + record.fields.map { field in
                let value =
                    RecordSchema.jsonValue(field.value, type: schema[record.type]?[field.key]) ?? quote(field.value)
                return "\(quote(field.key)):\(value)"
            }
        return "{" + fields.joined(separator: ",") + "}"
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// One CSV table for one answer, so that a spreadsheet reads it whole: the columns are the union of the
    /// records' keys; an answer holding several record types (PENDING's cases and its per-commune counts) is
    /// flattened into one table with a leading `type` column.
    static func csv(_ records: [Record]) -> String {
        guard !records.isEmpty else { return "" }
        let several = Set(records.map(\.type)).count > 1
        var keys: [String] = []
        for record in records {
            for field in record.fields where !keys.contains(field.key) { keys.append(field.key) }
        }
        var lines = [((several ? ["type"] : []) + keys).map(cell).joined(separator: ",")]
        for row in records {
            lines.append(((several ? [row.type] : []) + keys.map { row[$0] ?? "" }).map(cell).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func cell(_ text: String) -> String {
        text.contains(where: { ",\"\n\r".contains($0) })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    /// A report's CSV: one section per record type — a line `# TYPE`, a header row of that type's keys, its
    /// rows — with a blank line between sections; the `REPORT` heading is the first section. Values are exact
    /// (dots for decimals, whole VND); LibreOffice and Excel read the marker lines as one-cell rows.
    static func csvSections(_ records: [Record]) -> String {
        groups(records).map { group in
            (["# " + group.type, group.keys.map(cell).joined(separator: ",")]
                + group.rows.map { row in group.keys.map { cell(row[$0] ?? "") }.joined(separator: ",") })
                .joined(separator: "\n") + "\n"
        }.joined(separator: "\n")
    }

    /// Columns worth least on a narrow terminal, the first dropped first; the rest are shortened instead.
    static let droppable = [
        "rev", "updated-at", "created-at", "created", "creator", "comments", "edition", "short-name", "match",
        "lat", "lon", "area-km2", "documents", "households", "chain", "funding", "submitted-at", "decided-at",
        "component", "decision", "committee", "parent", "district", "district-name", "province-name", "via",
        "on-behalf-of", "delegation", "waiting-since", "submitter", "description", "commune-name", "user-name",
        "unit-name", "last-login", "failed-logins", "prefix", "end-reason", "type", "level",
    ]

    /// How a table is laid out beyond its records: the columns given up first on a narrow terminal, and the
    /// columns aligned to the right (figures).
    struct Layout {
        var droppable: [String] = OutputFormat.droppable
        var rightAligned: Set<String> = []
        /// Whether a column may become narrower than its header (cut with `…`) before the table gives up and
        /// shows its records one field a line; a single record too wide is then shortened too.
        var shortensHeaders = false
    }

    /// A table fitted to the width: low-value columns dropped, long text shortened with an ellipsis; a row that
    /// still cannot fit (or a single record too wide for one line) is shown expanded, one field a line.
    static func table(_ group: Group, _ options: Options, layout: Layout = Layout()) -> String {
        let localiser = options.localiser
        let cells = group.rows.map { row in
            group.keys.map { key in TerminalText.neutralise(localiser.cell(row, key)) }
        }
        let headers = group.keys.map { localiser.label($0, record: group.type).uppercased() }
        if options.expanded == .on { return expanded(group, options) }
        var widths = group.keys.indices.map { column in
            max(TerminalText.width(headers[column]), cells.map { TerminalText.width($0[column]) }.max() ?? 0)
        }
        // Long text never makes a column wider than 60 cells, as before there was a width to fit.
        for index in widths.indices { widths[index] = min(widths[index], max(60, TerminalText.width(headers[index]))) }
        var shown = Array(group.keys.indices)
        var hidden: [String] = []
        func total() -> Int { shown.reduce(0) { $0 + widths[$1] } + 2 * max(shown.count - 1, 0) }
        if let width = options.width, total() > width {
            if group.rows.count == 1 && options.expanded == .auto && !layout.shortensHeaders {
                return expanded(group, options)
            }
            for key in layout.droppable where total() > width {
                if let index = group.keys.firstIndex(of: key), let at = shown.firstIndex(of: index), shown.count > 2 {
                    shown.remove(at: at)
                    hidden.append(key)
                }
            }
            // Then the widest column gives up a cell at a time, down to its header or 8 cells.
            while total() > width {
                guard
                    let widest = shown.filter({ column in
                        let values = cells.map { TerminalText.width($0[column]) }.max() ?? 0
                        return widths[column]
                            > max(8, layout.shortensHeaders ? values : TerminalText.width(headers[column]))
                    })
                    .max(by: { widths[$0] < widths[$1] })
                else { break }
                widths[widest] -= 1
            }
            if total() > width && options.expanded == .auto { return expanded(group, options) }
        }
        func line(_ values: [String]) -> String {
            var text = shown.map { column in
                let value = TerminalText.truncate(values[column], to: widths[column])
                return layout.rightAligned.contains(group.keys[column])
                    ? String(repeating: " ", count: max(0, widths[column] - TerminalText.width(value))) + value
                    : TerminalText.pad(value, to: widths[column])
            }
            .joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        var out = [line(headers.enumerated().map { TerminalText.truncate($0.element, to: widths[$0.offset]) })]
        out += cells.map(line)
        if !hidden.isEmpty {
            let note =
                localiser.vietnamese
                ? "(ẩn \(hidden.count) cột cho vừa màn hình: \(hidden.joined(separator: ", ")); \\x hoặc --expanded để xem đủ)"
                : "(\(hidden.count) columns hidden to fit: \(hidden.joined(separator: ", ")); \\x or --expanded shows all)"
            out.append(options.width.map { TerminalText.truncate(note, to: $0) } ?? note)
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// psql's expanded view: a header line per record, then `label  value`, long values wrapped to the width.
    static func expanded(_ group: Group, _ options: Options) -> String {
        let localiser = options.localiser
        let labels = group.keys.map { localiser.label($0, record: group.type) }
        let labelWidth = labels.map(TerminalText.width).max() ?? 0
        let valueWidth = options.width.map { max(20, $0 - labelWidth - 3) }
        var out: [String] = []
        for (number, row) in group.rows.enumerated() {
            let title = "-[ \(group.type) \(number + 1) ]"
            let rule =
                options.width.map { max(0, min($0, labelWidth + 3 + (valueWidth ?? 0)) - TerminalText.width(title)) }
                ?? 10
            out.append(title + String(repeating: "-", count: max(rule, 2)))
            for (index, key) in group.keys.enumerated() {
                guard row[key] != nil else { continue }
                let value = TerminalText.neutralise(localiser.cell(row, key), keepNewlines: true)
                let pieces =
                    valueWidth.map { TerminalText.wrap(value, to: $0) }
                    ?? value.split(
                        separator: "\n", omittingEmptySubsequences: false
                    ).map(String.init)
                for (lineNumber, piece) in pieces.enumerated() {
                    let label = lineNumber == 0 ? labels[index] : ""
                    var text = TerminalText.pad(label, to: labelWidth) + " | " + piece
                    while text.hasSuffix(" ") { text.removeLast() }
                    out.append(text)
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Terminal cells a text takes (see `TerminalText.width`).
    public static func displayWidth(_ text: String) -> Int { TerminalText.width(text) }
}
