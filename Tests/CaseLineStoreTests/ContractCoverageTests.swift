import Foundation
import Testing

/// The contract suite must exercise every requirement of `Store`: a requirement added to the protocol without a
/// contract test fails here, before a second backend can get it wrong unnoticed. Requirements are told apart by
/// name and argument labels (`user(login:)` is not `user(certificateFingerprint:)`), and a call counts only when
/// made on a store (`store.…`) from a file of Contract/, the files every backend runs.
@Suite("Store contract coverage")
struct ContractCoverageTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let protocolFile = root.appendingPathComponent("Sources/CaseLineStore/Store.swift")
    static let contractDirectory = root.appendingPathComponent("Tests/CaseLineStoreTests/Contract")

    static func contractSources() throws -> [(name: String, text: String)] {
        try FileManager.default.contentsOfDirectory(atPath: contractDirectory.path).filter { $0.hasSuffix(".swift") }
            .sorted().map {
                ($0, try String(contentsOf: contractDirectory.appendingPathComponent($0), encoding: .utf8))
            }
    }

    @Test func theProtocolIsReadAsItsEightyTwoRequirements() throws {
        let requirements = StoreCoverage.requirements(of: try String(contentsOf: Self.protocolFile, encoding: .utf8))
        #expect(requirements.count == Set(requirements).count, "\(requirements)")
        #expect(requirements.contains("createUser(_:passwordHash:audit:)"))
        #expect(requirements.contains("createUser(_:passwordHash:claim:audit:)"))
        #expect(requirements.contains("events(after:through:limit:)"))
        #expect(requirements.contains("eventsWritten"))
        // 81 methods and one property when this suite was written; a new one must be added to the suite.
        #expect(requirements.count >= 82)
    }

    @Test func everyRequirementIsExercisedByTheContractSuite() throws {
        let requirements = StoreCoverage.requirements(of: try String(contentsOf: Self.protocolFile, encoding: .utf8))
        let sources = try Self.contractSources()
        var called = Set<String>()
        for source in sources { called.formUnion(StoreCoverage.storeCalls(in: source.text)) }
        let missing = requirements.filter { !called.contains($0) }
        #expect(missing.isEmpty, "not exercised by Tests/CaseLineStoreTests/Contract: \(missing)")
        print("Store contract coverage: \(requirements.count - missing.count) of \(requirements.count) requirements")
    }

    /// Runnable against any backend by construction: no contract file may reach a backend module.
    @Test func contractFilesUseTheProtocolOnly() throws {
        for source in try Self.contractSources() {
            for line in source.text.split(separator: "\n") where line.contains("import ") {
                #expect(!line.contains("CaseLineStoreSQLite") && !line.contains("GRDB"), "\(source.name): \(line)")
            }
            #expect(!source.text.contains("SQLiteStore"), "\(source.name) names a backend")
        }
    }

    @Test func callsAreToldApartByTheirLabels() {
        let text = """
            try await store.createUser(user, passwordHash: "h", audit: entry("a", "b"))
            _ = try await self.store.user(login: "x(\\(y))")
            other.units()
            let s = "store.users()"
            try await fresh_store.events(after: last, through: nil, limit: [1, 2].count)
            for await _ in store.eventsWritten {}
            """
        let calls = StoreCoverage.storeCalls(in: text)
        #expect(
            calls == [
                "createUser(_:passwordHash:audit:)", "user(login:)", "events(after:through:limit:)", "eventsWritten",
            ])
    }
}

/// Reads requirement signatures from the protocol and store calls from test sources, as text.
enum StoreCoverage {
    /// `name(label:label:)` for each method of `protocol Store`, `name` for each property.
    static func requirements(of text: String) -> [String] {
        guard let start = text.range(of: "public protocol Store") else { return [] }
        var result: [String] = []
        let characters = Array(text[start.upperBound...])
        var index = characters.startIndex
        var depth = 0
        while index < characters.endIndex {
            let c = characters[index]
            if c == "{" {
                depth += 1
            } else if c == "}" {
                depth -= 1
                if depth == 0 { break }
            } else if c == "/" && index + 1 < characters.endIndex && characters[index + 1] == "/" {
                while index < characters.endIndex && characters[index] != "\n" { index += 1 }
                continue
            } else if depth == 1, word(characters, at: index, is: "func") {
                index += 4
                let name = identifier(characters, from: &index)
                if index < characters.endIndex, characters[index] == "(" {
                    let arguments = parenthesised(characters, from: &index)
                    let labels = topLevel(arguments, angles: true).map { parameter in
                        String(
                            parameter.trimmingCharacters(in: .whitespacesAndNewlines).prefix { $0 != " " && $0 != ":" })
                    }
                    result.append("\(name)(\(labels.map { "\($0):" }.joined()))")
                }
                continue
            } else if depth == 1, word(characters, at: index, is: "var") {
                index += 3
                result.append(identifier(characters, from: &index))
                continue
            }
            index += 1
        }
        return result
    }

    /// `name(label:…)` (with `_` for an unlabelled argument) for each call `…store.name(…)`, and `name` for each
    /// `…store.name` not followed by a parenthesis. String literals are skipped; interpolations are code.
    static func storeCalls(in text: String) -> [String] {
        let code = Array(stripStrings(text))
        var calls: [String] = []
        var index = 0
        while index < code.count {
            guard code[index] == "." else {
                index += 1
                continue
            }
            // The receiver: the identifier just before the dot must name a store.
            var start = index
            while start > 0, code[start - 1].isLetter || code[start - 1].isNumber || code[start - 1] == "_" {
                start -= 1
            }
            let receiver = String(code[start..<index])
            index += 1
            guard receiver.lowercased().contains("store") else { continue }
            let name = identifier(code, from: &index)
            guard !name.isEmpty else { continue }
            if index < code.count, code[index] == "(" {
                let arguments = parenthesised(code, from: &index)
                let labels = topLevel(arguments, angles: false).filter {
                    !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                }
                .map(label)
                calls.append("\(name)(\(labels.map { "\($0):" }.joined()))")
            } else if name.first?.isLowercase == true {
                calls.append(name)
            }
        }
        return calls
    }

    /// The text with every string literal's content blanked (interpolated code kept, so calls inside count).
    static func stripStrings(_ text: String) -> String {
        let characters = Array(text)
        var output: [Character] = []
        var index = 0
        func code(until closing: Character?) {
            var depth = 0
            while index < characters.count {
                let c = characters[index]
                if c == "\"" {
                    literal()
                    continue
                }
                if c == "/" && index + 1 < characters.count && characters[index + 1] == "/" {
                    // A comment: skipped to the end of its line (its quotes are no literal).
                    while index < characters.count && characters[index] != "\n" { index += 1 }
                    continue
                }
                if c == "(" { depth += 1 }
                if c == ")" {
                    if closing == ")" && depth == 0 { return }
                    depth -= 1
                }
                output.append(c)
                index += 1
            }
        }
        func literal() {
            let multiline =
                index + 2 < characters.count && characters[index + 1] == "\"" && characters[index + 2] == "\""
            let delimiter = multiline ? 3 : 1
            output.append(contentsOf: Array(repeating: "\"", count: delimiter))
            index += delimiter
            while index < characters.count {
                let c = characters[index]
                if c == "\\" && index + 1 < characters.count && characters[index + 1] == "(" {
                    output.append(contentsOf: ["\\", "("])
                    index += 2
                    code(until: ")")
                    if index < characters.count {
                        output.append(")")
                        index += 1
                    }
                    continue
                }
                if c == "\\" {
                    index += 2
                    continue
                }
                if c == "\""
                    && (!multiline
                        || (index + 2 < characters.count && characters[index + 1] == "\""
                            && characters[index + 2] == "\""))
                {
                    output.append(contentsOf: Array(repeating: "\"", count: delimiter))
                    index += delimiter
                    return
                }
                output.append(c == "\n" ? "\n" : " ")
                index += 1
            }
        }
        code(until: nil)
        return String(output)
    }

    static func word(_ characters: [Character], at index: Int, is word: String) -> Bool {
        let end = index + word.count
        guard end < characters.count, String(characters[index..<end]) == word, characters[end] == " " else {
            return false
        }
        return index == 0 || !(characters[index - 1].isLetter || characters[index - 1].isNumber)
    }

    static func identifier(_ characters: [Character], from index: inout Int) -> String {
        while index < characters.count, characters[index] == " " { index += 1 }
        var name = ""
        while index < characters.count,
            characters[index].isLetter || characters[index].isNumber || characters[index] == "_"
        {
            name.append(characters[index])
            index += 1
        }
        return name
    }

    /// The text between the parenthesis at `index` and its match; `index` ends after the match.
    static func parenthesised(_ characters: [Character], from index: inout Int) -> String {
        var depth = 0
        var inner = ""
        while index < characters.count {
            let c = characters[index]
            index += 1
            if c == "(" {
                depth += 1
                if depth == 1 { continue }
            } else if c == ")" {
                depth -= 1
                if depth == 0 { break }
            }
            inner.append(c)
        }
        return inner
    }

    /// Splits at the commas outside any bracket (and outside `<…>` in declarations, where they are generics).
    static func topLevel(_ text: String, angles: Bool) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        let opening = angles ? "([{<" : "([{"
        let closing = angles ? ")]}>" : ")]}"
        for c in text {
            if opening.contains(c) { depth += 1 }
            if closing.contains(c) { depth -= 1 }
            if c == "," && depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { parts.append(current) }
        return parts
    }

    /// An argument's label, `_` when it has none.
    static func label(_ argument: String) -> String {
        let trimmed = argument.trimmingCharacters(in: .whitespacesAndNewlines)
        var index = trimmed.startIndex
        while index < trimmed.endIndex, trimmed[index].isLetter || trimmed[index].isNumber || trimmed[index] == "_" {
            index = trimmed.index(after: index)
        }
        guard index > trimmed.startIndex else { return "_" }
        let rest = trimmed[index...].drop { $0 == " " }
        return rest.first == ":" && rest.dropFirst().first != ":" ? String(trimmed[..<index]) : "_"
    }
}
