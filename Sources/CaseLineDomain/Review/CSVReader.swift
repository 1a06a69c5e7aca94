import Foundation

/// RFC 4180 CSV, as reviewers' spreadsheets export it: UTF-8 with or without a byte-order mark, fields
/// separated by commas, quoted with `"` when they hold a separator, a quote (doubled) or a line break, records
/// ending in CRLF or LF. Spreadsheets set to Vietnamese export with semicolons (the comma is the decimal
/// separator there), so the separator is read from the header line when not given. Text comes out NFC, the one
/// normal form CaseLine stores. Pure: bytes in, records or every error (1-based line and column) out.
public enum CSVReader {
    public struct Field: Sendable, Hashable {
        public var value: String
        /// The physical line the field starts on.
        public var line: Int
        /// The field's position in its record.
        public var column: Int
    }

    public struct Record: Sendable, Hashable {
        /// The physical line the record starts on (a quoted line break makes a record span lines).
        public var line: Int
        public var fields: [Field]

        public var values: [String] { fields.map(\.value) }
    }

    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        public var message: String

        public var description: String { "line \(line), column \(column): \(message)" }
    }

    /// Every problem of an unreadable file.
    public struct Failure: Error, Sendable, Hashable {
        public var problems: [Problem]
    }

    /// The separator the header line uses most among comma, semicolon and tab (comma when none).
    public static func detectSeparator(_ bytes: [UInt8]) -> UInt8 {
        var counts: [UInt8: Int] = [0x2C: 0, 0x3B: 0, 0x09: 0]
        var quoted = false
        for byte in bytes.dropFirst(hasBOM(bytes) ? 3 : 0) {
            if byte == 0x22 { quoted.toggle() }
            if !quoted, byte == 0x0A || byte == 0x0D { break }
            if !quoted, counts[byte] != nil { counts[byte, default: 0] += 1 }
        }
        return [UInt8(0x2C), 0x3B, 0x09].max { (counts[$0] ?? 0) < (counts[$1] ?? 0) } ?? 0x2C
    }

    static func hasBOM(_ bytes: [UInt8]) -> Bool { bytes.starts(with: [0xEF, 0xBB, 0xBF]) }

    /// Every record (empty lines skipped), or every problem found. A broken record is skipped to its line's
    /// end so that later records are still checked; an unclosed quote ends the reading.
    public static func read(_ bytes: [UInt8], separator: UInt8? = nil) -> Result<[Record], Failure> {
        let separator = separator ?? detectSeparator(bytes)
        var records: [Record] = []
        var problems: [Problem] = []
        var index = hasBOM(bytes) ? 3 : 0
        var line = 1
        let end = bytes.count

        func isNewline(_ at: Int) -> Bool { at < end && (bytes[at] == 0x0A || bytes[at] == 0x0D) }
        /// Consumes one line break at `at`, if any.
        func skipNewline(_ at: inout Int) {
            if at < end, bytes[at] == 0x0D {
                at += 1
                if at < end, bytes[at] == 0x0A { at += 1 }
                line += 1
            } else if at < end, bytes[at] == 0x0A {
                at += 1
                line += 1
            }
        }

        while index < end {
            if isNewline(index) {  // an empty line
                skipNewline(&index)
                continue
            }
            let recordLine = line
            var fields: [Field] = []
            var broken = false
            while true {
                let column = fields.count + 1
                let fieldLine = line
                var raw: [UInt8] = []
                if index < end, bytes[index] == 0x22 {
                    index += 1
                    var closed = false
                    while index < end {
                        let byte = bytes[index]
                        if byte == 0x22 {
                            if index + 1 < end, bytes[index + 1] == 0x22 {
                                raw.append(0x22)
                                index += 2
                                continue
                            }
                            index += 1
                            closed = true
                            break
                        }
                        if byte == 0x0A || (byte == 0x0D && !(index + 1 < end && bytes[index + 1] == 0x0A)) {
                            line += 1
                        }
                        raw.append(byte)
                        index += 1
                    }
                    if !closed {
                        problems.append(
                            Problem(line: fieldLine, column: column, message: "a quoted field is never closed"))
                        return .failure(Failure(problems: problems))
                    }
                    if index < end, bytes[index] != separator, !isNewline(index) {
                        problems.append(
                            Problem(line: line, column: column, message: "text after a closing quote (quote it all)"))
                        broken = true
                    }
                } else {
                    while index < end, bytes[index] != separator, !isNewline(index) {
                        if bytes[index] == 0x22, !broken {
                            problems.append(
                                Problem(
                                    line: line, column: column,
                                    message: "a quote inside an unquoted field (quote the field, double the quote)"))
                            broken = true
                        }
                        raw.append(bytes[index])
                        index += 1
                    }
                }
                if broken {
                    while index < end, !isNewline(index) { index += 1 }
                }
                if let text = String(validating: raw, as: UTF8.self) {
                    fields.append(
                        Field(value: text.precomposedStringWithCanonicalMapping, line: fieldLine, column: column))
                } else {
                    problems.append(Problem(line: fieldLine, column: column, message: "not valid UTF-8"))
                    broken = true
                }
                if index < end, bytes[index] == separator, !broken {
                    index += 1
                    continue
                }
                skipNewline(&index)
                break
            }
            if !broken { records.append(Record(line: recordLine, fields: fields)) }
        }
        return problems.isEmpty ? .success(records) : .failure(Failure(problems: problems))
    }
}
