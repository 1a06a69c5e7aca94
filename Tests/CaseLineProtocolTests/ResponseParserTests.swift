import CaseLineProtocol
import Testing

/// What a client refuses to read. The first of these was found by Tools/fuzz: a record type holding a raw
/// CR parsed, and re-encoding it produced two lines.
@Suite struct ResponseParserTests {
    static let malformed: [(String, [UInt8])] = [
        ("raw CR inside a record", Array("* X\r ".utf8)),
        ("raw CR in free text", Array("a1 OK done\rmore".utf8)),
        ("raw tab in a field", Array("* TASK id=T-1\ttitle=x".utf8)),
        ("DEL in a tag", Array("a\u{7F}1 OK".utf8)),
        ("lower-case record type", Array("* task id=T-1".utf8)),
        ("record type with punctuation", Array("* TA.SK id=T-1".utf8)),
        ("invalid UTF-8", [0x2A, 0x20, 0x58, 0x20, 0x6B, 0x3D, 0xC3, 0x28]),
        ("field without =", Array("* TASK id".utf8)),
        ("unterminated quote", Array("* TASK title=\"Hộ nghèo".utf8)),
        ("unclosed code", Array("a1 NO [CONFLICT current=3".utf8)),
        ("unknown status", Array("a1 MAYBE".utf8)),
        ("untagged without type", Array("* ".utf8)),
    ]

    @Test("malformed response lines are refused", arguments: malformed.map(\.0))
    func refused(_ name: String) {
        let line = Self.malformed.first { $0.0 == name }!.1
        guard case .failure = ResponseParser.parse(line) else {
            Issue.record("\(name) parsed")
            return
        }
    }

    @Test func unknownRecordTypesAndCodesStillParse() throws {
        #expect(
            try ResponseParser.parse(Array("* FUTURE-THING-2 a=b".utf8)).get()
                == .record(Record("FUTURE-THING-2", [Field("a", "b")])))
        #expect(
            try ResponseParser.parse(Array("a1 NO [NEW-CODE x=1] later".utf8)).get()
                == .completion(
                    Completion(tag: "a1", status: .no, code: "NEW-CODE", details: [Field("x", "1")], text: "later")))
    }
}
