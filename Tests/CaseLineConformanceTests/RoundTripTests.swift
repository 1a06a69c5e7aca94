public import CaseLineProtocol
import CaseLineServer
import NIOCore
public import Testing

/// Encode → decode round trips over the whole command table, with values chosen to stress every encoding
/// path: atoms, quoted strings with every escape, literals, Vietnamese text (composed and decomposed).
@Suite("Round trips")
struct RoundTripTests {
    static let awkwardTexts = [
        "Quang Thuận", "Thua\u{0323}\u{0302}n", "Đồng Hới", "a=b", "\"quoted\" and \\backslash\\",
        "dòng 1\ndòng 2\r\n\tthụt lề",
        "{5}", "", " leading and trailing ", String(repeating: "Rà soát hộ nghèo. ", count: 80),
    ]

    /// A valid value of each kind, one per call, cycling through awkward texts for `.text`.
    static func sample(_ kind: ValueKind, variant: Int) -> String {
        switch kind {
        case .text(let maxCharacters):
            let candidates = awkwardTexts.filter { $0.count <= maxCharacters }
            return candidates[variant % candidates.count]
        case .identifier: return ["lan", "T-12", "nguyen.van.a@thainguyen", "legacy/09"][variant % 4]
        case .integer(let range): return String(max(range.lowerBound, min(range.upperBound, 1)))
        case .date: return "2026-02-28"
        case .choice(let words): return words[variant % words.count]
        case .boolean: return variant % 2 == 0 ? "yes" : "no"
        case .amount: return "20000000"
        case .decimal: return ["0.54", "14", "2.5"][variant % 3]
        case .list(let inner, _):
            // A list item is never empty and never holds the separator: take the next variants that fit.
            let items = (0..<20).map { sample(inner, variant: variant + $0) }.filter {
                !$0.isEmpty && !$0.contains(",")
            }
            return Array(items.uniqued().prefix(2)).joined(separator: ",")
        case .funding: return "central:15000000,socialised:5000000"
        case .unit: return variant % 2 == 0 ? "05590" : "legacy:05590"
        case .scope: return "province:19"
        case .entity: return "task:T-12"
        case .chain: return "chair@commune,officer@province"
        case .fingerprint: return String(repeating: "ab", count: 32)
        }
    }

    static let commands: [Command] = CommandRegistry.table.commands.enumerated().flatMap { index, spec in
        (0..<3).map { variant in
            var command = Command(tag: "t\(index).\(variant)", name: spec.name)
            for parameter in spec.positionals where parameter.required || variant > 0 {
                command.arguments.append(sample(parameter.kind, variant: variant + index))
            }
            for parameter in spec.options where parameter.required || variant == 2 {
                command.options[parameter.name] = sample(parameter.kind, variant: variant + index)
            }
            return command
        }
    }

    @Test("every command encodes and decodes back", arguments: commands)
    func command(_ command: Command) throws {
        var decoder = RequestDecoder(table: CommandRegistry.table)
        var buffer = ByteBuffer(bytes: RequestEncoder.encode(command))
        let decoded = try #require(try decoder.decode(buffer: &buffer))
        var expected = command
        expected.arguments = expected.arguments.map(UTF8Text.nfc)
        expected.options = expected.options.mapValues(UTF8Text.nfc)
        #expect(decoded == .success(expected))
        #expect(buffer.readableBytes == 0)
    }

    @Test("records with awkward values encode and parse back", arguments: awkwardTexts)
    func record(_ value: String) throws {
        let record = Record("TASK", [Field("id", "T-1"), Field("title", value), Field("rev", "2")])
        var line = ResponseEncoder.encode(.record(record))
        #expect(line.suffix(2) == [13, 10])
        #expect(!line.dropLast(2).contains(10), "a response is one line")
        line.removeLast(2)
        let parsed = try ResponseParser.parse(line).get()
        #expect(
            parsed
                == .record(
                    Record("TASK", [Field("id", "T-1"), Field("title", UTF8Text.nfc(value)), Field("rev", "2")])))
    }

    @Test func manyLongValuesStayWithinTheLineLimit() throws {
        // Six values just under the literal threshold, each doubled by escaping, would overflow one line.
        let text = String(repeating: "\"Hộ\" nghèo\n", count: 60)
        let command = Command(
            tag: "w1", name: "CASE UPDATE", arguments: ["C-1"],
            options: ["title": String(text.prefix(200)), "description": text, "rev": "3"])
        let escapes = String(repeating: "\\\"", count: 500)
        let manyLong = Command(
            tag: "w2", name: "CASE CREATE", arguments: ["housing-repair", "05590"],
            options: ["title": String(escapes.prefix(200)), "description": escapes, "key": "k1"])
        for request in [command, manyLong] {
            let bytes = RequestEncoder.encode(request)
            let longestLine = bytes.split(separator: 10).map(\.count).max() ?? 0
            #expect(longestLine <= RequestEncoder.lineBudget + 100)
            var decoder = RequestDecoder(table: CommandRegistry.table)
            var buffer = ByteBuffer(bytes: bytes)
            let result = try decoder.decode(buffer: &buffer)
            #expect(result == .success(request), "\(String(describing: result))")
        }
    }

    @Test func longQuotedValuesSpillIntoLiteralsBeforeTheLineBudget() throws {
        let quotes = String(repeating: "\"", count: 1000)  // 1000 bytes, 2000 once escaped
        let options = Dictionary(uniqueKeysWithValues: (1...5).map { ("o\($0)", quotes) })
        let bytes = RequestEncoder.encode(Command(tag: "x1", name: "PING", options: options))
        let lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
        #expect(lines.map(\.count).max()! <= RequestEncoder.lineBudget)
        #expect(lines.count > 2, "some values must have become literals")
        var framer = RequestFramer()
        var buffer = ByteBuffer(bytes: bytes)
        guard case .request(let frame)? = framer.next(from: &buffer) else {
            Issue.record("the encoded request did not frame")
            return
        }
        let raw = try RequestParser.parse(frame).get()
        #expect(raw.tokens.dropFirst().map(\.text) == Array(repeating: quotes, count: 5))
    }

    @Test func freeTextCannotBeMistakenForACode() throws {
        var line = ResponseEncoder.encode(.completion(Completion(tag: "a1", status: .ok, text: "[not a code]")))
        #expect(line == Array("a1 OK (not a code]\r\n".utf8))
        line.removeLast(2)
        #expect(
            try ResponseParser.parse(line).get()
                == .completion(Completion(tag: "a1", status: .ok, text: "(not a code]")))
    }

    @Test func completionDetailsRoundTrip() throws {
        let completion = Completion(
            tag: "a9", status: .no, code: "LEAD-EXISTS", details: [Field("lead", "lan"), Field("assignment", "AS-3")],
            text: "xã đã có người phụ trách chính")
        var line = ResponseEncoder.encode(.completion(completion))
        line.removeLast(2)
        #expect(try ResponseParser.parse(line).get() == .completion(completion))
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

extension Command: CustomTestStringConvertible {
    public var testDescription: String { "\(tag) \(name)" }
}
