import Foundation
import Testing

@testable import CaseLineStoreSQLite

/// The fast reader of string arrays must agree with JSONDecoder whenever it answers.
struct JSONStringsTests {
    static let pieces = [
        "HH-12", "Quang Thuận", "NSTW:120000000", "", " ", "a\"b", "a\\b", "a/b", "tab\there", "dòng\nmới",
        "😀", "Đồng Hỷ", "\u{7f}", "null",
    ]

    @Test func agreesWithJSONDecoderOnEncodedArrays() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let count = Int.random(in: 0...4, using: &generator)
            let strings = (0..<count).map { _ in Self.pieces.randomElement(using: &generator)! }
            let text = String(decoding: try JSONEncoder().encode(strings), as: UTF8.self)
            let plain = JSONStrings.plain(text)
            let escaped = strings.contains { $0.contains { "\"\\/\n\t".contains($0) } }
            #expect((plain == nil) == escaped, "\(text)")
            if let plain { #expect(plain == strings, "\(text)") }
        }
    }

    @Test(arguments: [
        ("[]", [String]()), (" [ ] ", []), ("[\"a\"]", ["a"]), ("[ \"a\" , \"Đồng Hỷ\" ]", ["a", "Đồng Hỷ"]),
        ("[\"\"]", [""]),
    ])
    func readsPlainArrays(_ text: String, _ expected: [String]) {
        #expect(JSONStrings.plain(text) == expected)
    }

    @Test(arguments: [
        "", "[", "]", "[\"a\"", "[\"a\",]", "[,]", "[\"a\" \"b\"]", "[1]", "[null]", "{\"a\":1}", "[\"a\"]x",
        "[\"a\\\"b\"]", "[\"a\u{1}\"]", "\"a\"",
    ])
    func leavesEverythingElseToTheDecoder(_ text: String) {
        #expect(JSONStrings.plain(text) == nil)
    }
}
