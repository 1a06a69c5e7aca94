import CaseLineClient
import CaseLineProtocol
import Foundation
import Testing

/// JSON output types numbers and flags as CLP1.md §11 describes the records; the client's table of them
/// (`RecordSchema`) is checked here against §11 itself, so the two cannot drift apart.
@Suite("Record schema against CLP1.md §11")
struct RecordSchemaTests {
    static var specification: String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Protocol/CLP1.md")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }

    /// Every `| key | meaning | presence |` row of §11, by record type (EVENT's per-type keys included).
    static func rows() -> [(record: String, keys: [String], meaning: String)] {
        let text = specification
        guard let start = text.range(of: "\n## 11. Record types"), let end = text.range(of: "\n## 12.") else {
            return []
        }
        var rows: [(String, [String], String)] = []
        var record = ""
        for line in text[start.upperBound..<end.lowerBound].split(separator: "\n") {
            if line.hasPrefix("### ") {
                record = String(line.dropFirst(4).split(separator: " ")[0])
                continue
            }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard cells.count >= 4, cells[1].hasPrefix("`") else { continue }
            let keys = cells[1].split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            }
            if record == "EVENT" && keys.first?.contains(".") == true {
                // `case.submitted` | `case` (`C-n`), `kind`, `round` (submission round, from 1), `step` (1), …
                for part in cells[2].split(separator: ",") {
                    let item = part.trimmingCharacters(in: .whitespaces)
                    guard item.hasPrefix("`"), let close = item.dropFirst().firstIndex(of: "`") else { continue }
                    let key = String(item[item.index(after: item.startIndex)..<close])
                    let meaning = item[item.index(after: close)...].trimmingCharacters(in: .whitespaces)
                    // A key named again without words refers to where it was described.
                    if !meaning.isEmpty { rows.append((record, [key], meaning)) }
                }
                continue
            }
            rows.append((record, keys, cells[2]))
        }
        return rows
    }

    /// What §11's words say a key holds: a flag when the meaning starts with `yes`; a number when it is a
    /// revision, a count, an amount in VND, seconds, bytes, a year, a position, a sequence number or a
    /// coordinate; a string otherwise.
    static func derived(record: String, key: String, meaning: String) -> RecordSchema.ValueType? {
        let text = meaning.lowercased()
        if text.hasPrefix("`yes`") { return .boolean }
        let numeric = [
            "revision", "number of", "step number", "submission round", "seconds", "1-based", "the most sessions",
            "the most watches", "the user's open sessions", "the year", "approximate centre", "area in km",
            "records checked", "records in this answer", "records matching", "the offset used", "the limit used",
            "the event's number", "the record's number", "the newest event's `seq`", "`seq` of", "requests read ahead",
            "failed logins", "for text, the maximum", "for `n`, the minimum", "percentage",
        ]
        if numeric.contains(where: { text.hasPrefix($0) }) { return .number }
        if text.hasSuffix(", vnd") || text.hasSuffix("limit, bytes") { return .number }
        // Counts written as what they count: "tasks not `done`…", "communes with no active lead", (n).
        if [
            "tasks ", "open tasks", "cases ", "communes with", "active support", "(submission round", "(1)",
            "(the step", "(steps in",
        ].contains(where: { text.hasPrefix($0) }) {
            return .number
        }
        if text.hasPrefix("as in `greeting`") { return RecordSchema.type(of: key, in: "GREETING") }
        if key == "since" && record == "WATCHING" { return .number }  // "the `since=` given": an event number
        return nil
    }

    @Test func everyKeyOfSection11IsTypedAsItsMeaningSays() {
        let rows = Self.rows()
        #expect(rows.count > 200, "§11 was not found or not parsed")
        var checked: Set<String> = []
        for row in rows {
            for key in row.keys {
                let expected = Self.derived(record: row.record, key: key, meaning: row.meaning)
                #expect(
                    RecordSchema.type(of: key, in: row.record) == expected,
                    "\(row.record).\(key): §11 says “\(row.meaning)”")
                checked.insert("\(row.record).\(key)")
            }
        }
        // And nothing in the client's table that §11 does not have.
        for (record, keys) in RecordSchema.types {
            for key in keys.keys { #expect(checked.contains("\(record).\(key)"), "\(record).\(key) is not in §11") }
        }
    }

    @Test func jsonTypesNumbersAndFlagsOnly() {
        let task = Record(
            "TASK",
            [
                Field("id", "T-12"), Field("commune", "02014"), Field("title", "Rà soát"), Field("overdue", "yes"),
                Field("comments", "3"), Field("rev", "7"), Field("due", "2026-12-05"),
            ])
        #expect(
            OutputFormat.json.render([task])
                == #"{"type":"TASK","id":"T-12","commune":"02014","title":"Rà soát","overdue":true,"comments":3,"rev":7,"due":"2026-12-05"}"#
                + "\n")
        let pending = Record("PENDING", [Field("case", "C-7"), Field("step", "2/2"), Field("amount", "20000000")])
        #expect(OutputFormat.json.render([pending]).contains(#""step":"2/2","amount":20000000"#))
        // A value that is not what the schema expects stays a string: nothing is lost.
        let odd = Record("TASK", [Field("rev", "07"), Field("overdue", "maybe")])
        #expect(OutputFormat.json.render([odd]).contains(#""rev":"07","overdue":"maybe""#))
        let unit = Record("UNIT", [Field("code", "00001"), Field("lat", "21.59"), Field("children", "12")])
        #expect(OutputFormat.json.render([unit]).contains(#""code":"00001","lat":21.59,"children":12"#))
    }
}
