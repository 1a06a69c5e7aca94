@preconcurrency import CEdit
import CaseLineClient
import CaseLineProtocol
import Foundation

/// Tab completion for the interactive session: commands and their options as the server's own HELP
/// describes them (so completion never drifts from the server), and ids and codes seen in recent answers.
/// libedit calls back through C function pointers, which capture nothing, hence the shared state; the
/// interactive session is single-threaded.
enum Completion {
    nonisolated(unsafe) static var commands: [String] = []
    nonisolated(unsafe) static var options: [String: [String]] = [:]
    nonisolated(unsafe) static var seen: [String] = []
    nonisolated(unsafe) static var candidates: [String] = []
    nonisolated(unsafe) static var next = 0

    /// Reads the command table from the server: HELP, then HELP for each command the caller may run.
    static func load(_ connection: ClientConnection) async throws {
        let help = try await connection.request("HELP")
        let names = help.records.filter { $0.type == "HELP" && $0["allowed"] != "no" }.compactMap { $0["command"] }
        commands = names
        for name in names {
            let detail = try await connection.request("HELP \(name)")
            options[name] = detail.records.filter { $0.type == "PARAM" && $0["form"] == "option" }.compactMap {
                $0["name"].map { $0 + "=" }
            }
        }
    }

    /// Remembers values worth completing later: ids, unit codes, logins.
    static func remember(_ records: [Record]) {
        let keys: Set<String> = ["id", "ref", "code", "commune", "user", "login", "case", "task", "committee"]
        for record in records {
            for field in record.fields where keys.contains(field.key) && !field.value.contains(" ") {
                if let index = seen.firstIndex(of: field.value) { seen.remove(at: index) }
                seen.insert(field.value, at: 0)
            }
        }
        if seen.count > 500 { seen.removeLast(seen.count - 500) }
    }

    /// What may follow the words already typed.
    static func choices(before line: String, prefix: String) -> [String] {
        let words = line.split(separator: " ").map { $0.uppercased() }
        let typed = words.joined(separator: " ")
        var pool: [String]
        if words.isEmpty {
            pool = Array(Set(commands.map { String($0.split(separator: " ")[0]) })).sorted()
        } else if commands.contains(where: { $0.hasPrefix(typed + " ") }) && !commands.contains(typed) {
            pool = commands.filter { $0.hasPrefix(typed + " ") }.map { String($0.split(separator: " ")[1]) }
        } else {
            let name = commands.filter { typed == $0 || typed.hasPrefix($0 + " ") }.max { $0.count < $1.count }
            pool = (name.flatMap { options[$0] } ?? []) + seen
        }
        let lower = prefix.lowercased()
        return pool.filter { $0.lowercased().hasPrefix(lower) }
    }

    static func install() {
        rl_attempted_completion_function = { text, start, _ in
            guard let text else { return nil }
            let line = rl_line_buffer.map { String(cString: $0) } ?? ""
            let before = String(line.utf8.prefix(Int(start))) ?? ""
            Completion.candidates = Completion.choices(before: before, prefix: String(cString: text))
            Completion.next = 0
            rl_attempted_completion_over = 1
            // After `key=` the value follows at once; after a word, a space.
            let options = !Completion.candidates.isEmpty && Completion.candidates.allSatisfy { $0.hasSuffix("=") }
            rl_completion_append_character = options ? 0 : 32
            return rl_completion_matches(text) { _, _ in
                guard Completion.next < Completion.candidates.count else { return nil }
                defer { Completion.next += 1 }
                return strdup(Completion.candidates[Completion.next])
            }
        }
    }
}
