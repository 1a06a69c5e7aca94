public import CaseLineProtocol
import CaseLineServer
import Foundation
public import Testing

/// Protocol/CLP1.md must document exactly what the code implements: every command of the table and every
/// error code, so that neither can change without the other.
@Suite("Specification coverage")
struct SpecificationTests {
    static let specification: String = {
        let url = VectorFile.directory.deletingLastPathComponent().appendingPathComponent("CLP1.md")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    @Test("every command has a section", arguments: CommandRegistry.table.commands.map(\.name))
    func commandDocumented(_ name: String) {
        #expect(Self.specification.contains("\n### \(name)\n"), "CLP1.md has no section '### \(name)'")
    }

    @Test("every command's syntax line matches the table", arguments: CommandRegistry.table.commands)
    func syntaxDocumented(_ spec: CommandSpec) {
        #expect(Self.specification.contains("`\(spec.syntax)`"), "CLP1.md should show the syntax `\(spec.syntax)`")
    }

    @Test("every error code is documented", arguments: ErrorCode.allCases)
    func errorCodeDocumented(_ code: ErrorCode) {
        #expect(Self.specification.contains("| `\(code.rawValue)` |"), "CLP1.md §6 has no row for \(code.rawValue)")
    }

    /// The sentence CLP1.md gives under "Who may call" is the one the command's definition declares, word for
    /// word: the access rule and its description are written in one place, and the spec follows it.
    @Test(
        "every command's \"Who may call\" matches its definition", arguments: CommandRegistry.table.commands.map(\.name)
    )
    func whoMayCallDocumented(_ name: String) throws {
        let heading = "\n### \(name)\n"
        let start = try #require(Self.specification.range(of: heading), "CLP1.md has no section \(name)")
        let rest = Self.specification[start.upperBound...]
        let end = rest.range(of: "\n### ")?.lowerBound ?? rest.endIndex
        let section = rest[..<end]
        let marker = try #require(section.range(of: "\nWho may call: "), "\(name) has no \"Who may call\" paragraph")
        let paragraph = section[marker.upperBound...].prefix { _ in true }
        let text = paragraph.components(separatedBy: "\n\n")[0].split(whereSeparator: \.isWhitespace).joined(
            separator: " ")
        #expect(text == CommandRegistry.whoMayCall[name], "\(name): CLP1.md says \"\(text)\"")
    }

    @Test func everyDocumentedCommandExists() {
        let headings = Self.specification.split(separator: "\n").filter { $0.hasPrefix("### ") }.map { $0.dropFirst(4) }
        let names = Set(CommandRegistry.table.commands.map(\.name))
        let commandLike = headings.filter { $0.allSatisfy { $0.isUppercase || $0 == " " || $0 == "-" } }
        for heading in commandLike {
            #expect(names.contains(String(heading)), "CLP1.md documents \(heading), which the command table lacks")
        }
    }
}

extension CommandSpec: CustomTestStringConvertible {
    public var testDescription: String { name }
}
