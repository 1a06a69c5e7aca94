public import CaseLineProtocol
import Foundation

/// How the client prints records: aligned tables for people, JSON lines and CSV for scripts, or the raw
/// protocol lines. The same whether or not standard output is a terminal, when asked for explicitly.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, json, csv, raw

    /// Renders one answer's records (grouped by type: a table per record type, in order of appearance).
    public func render(_ records: [Record]) -> String {
        switch self {
        case .raw:
            return records.map {
                String(decoding: ResponseEncoder.encode(.record($0)).dropLast(2), as: UTF8.self) + "\n"
            }.joined()
        case .json: return records.map { Self.json($0) + "\n" }.joined()
        case .csv: return Self.groups(records).map(Self.csv).joined(separator: "\n")
        case .table: return Self.groups(records).map(Self.table).joined(separator: "\n")
        }
    }

    /// Consecutive records of one type, with the union of their keys in first-seen order.
    static func groups(_ records: [Record]) -> [(type: String, keys: [String], rows: [Record])] {
        var groups: [(type: String, keys: [String], rows: [Record])] = []
        for record in records {
            if groups.last?.type != record.type { groups.append((record.type, [], [])) }
            for field in record.fields where !groups[groups.count - 1].keys.contains(field.key) {
                groups[groups.count - 1].keys.append(field.key)
            }
            groups[groups.count - 1].rows.append(record)
        }
        return groups
    }

    /// One JSON object per record, with the record type under `type` and stable keys.
    static func json(_ record: Record) -> String {
        func quote(_ text: String) -> String {
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
        let fields = [("type", record.type)] + record.fields.map { ($0.key, $0.value) }
        return "{" + fields.map { "\(quote($0.0)):\(quote($0.1))" }.joined(separator: ",") + "}"
    }

    static func csv(_ group: (type: String, keys: [String], rows: [Record])) -> String {
        func cell(_ text: String) -> String {
            text.contains(where: { ",\"\n\r".contains($0) })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        var lines = [group.keys.map(cell).joined(separator: ",")]
        for row in group.rows { lines.append(group.keys.map { cell(row[$0] ?? "") }.joined(separator: ",")) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Column widths count cells as the terminal shows them: a Vietnamese letter takes one cell whatever its
    /// diacritics (decomposed or not), a wide character (CJK, emoji) two.
    static func table(_ group: (type: String, keys: [String], rows: [Record])) -> String {
        func shown(_ text: String) -> String {
            let line = text.replacingOccurrences(of: "\n", with: " ⏎ ")
            return line.count > 60 ? String(line.prefix(59)) + "…" : line
        }
        let cells = group.rows.map { row in group.keys.map { shown(row[$0] ?? "") } }
        let widths = group.keys.indices.map { column in
            max(displayWidth(group.keys[column]), cells.map { displayWidth($0[column]) }.max() ?? 0)
        }
        func line(_ values: [String]) -> String {
            var text = zip(values, widths).map { $0 + String(repeating: " ", count: $1 - displayWidth($0)) }
                .joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        var out = [line(group.keys.map { $0.uppercased() })]
        out += cells.map(line)
        return out.joined(separator: "\n") + "\n"
    }

    /// Terminal cells a text takes: one per character (a base letter with its combining marks), two for East
    /// Asian wide characters and emoji.
    public static func displayWidth(_ text: String) -> Int {
        text.reduce(0) { width, character in
            guard let first = character.unicodeScalars.first else { return width }
            let wide =
                first.properties.isEmojiPresentation
                || [
                    0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
                    0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD,
                ].contains { $0.contains(Int(first.value)) }
            return width + (wide ? 2 : 1)
        }
    }
}
