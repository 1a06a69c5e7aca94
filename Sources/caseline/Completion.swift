@preconcurrency import CEdit
import CaseLineClient
import CaseLineProtocol
import Foundation

/// Tab completion for the interactive session, from the server's own command table (so it never drifts from
/// the server): daily verbs and protocol verbs (in the letter case typed), subcommands, options, the values of
/// choice options, and ids, commune codes and user names seen in recent answers. libedit calls back through C
/// function pointers, which capture nothing, hence the shared state; it is touched only by whoever has the
/// turn (the editor's thread at the prompt, the session's task while a command runs).
enum Completion {
    nonisolated(unsafe) static var table: ServerCommands?
    /// Values seen in answers, newest first, by what they are.
    nonisolated(unsafe) static var seen: [Category: [String]] = [:]
    nonisolated(unsafe) static var candidates: [String] = []
    nonisolated(unsafe) static var next = 0

    enum Category { case id, commune, user }

    static let userKeys: Set<String> = [
        "user", "login", "assignee", "creator", "submitter", "by", "author", "delegate", "delegator", "actor",
        "lead", "last-lead",
    ]
    static let communeKeys: Set<String> = ["commune", "unit", "province", "ref"]
    static let idKeys: Set<String> = ["id", "case", "task", "household", "committee", "assignment", "delegation"]

    /// Remembers values worth completing later: ids, unit codes, logins.
    static func remember(_ records: [Record]) {
        for record in records {
            for field in record.fields where !field.value.contains(" ") && !field.value.isEmpty {
                let category: Category? =
                    userKeys.contains(field.key)
                    ? .user
                    : communeKeys.contains(field.key) || (record.type == "UNIT" && field.key == "code")
                        ? .commune : idKeys.contains(field.key) ? .id : nil
                guard let category else { continue }
                var values = seen[category] ?? []
                values.removeAll { $0 == field.value }
                values.insert(field.value, at: 0)
                if values.count > 300 { values.removeLast(values.count - 300) }
                seen[category] = values
            }
        }
    }

    static let dailyVerbs = FriendlyVerbs.verbs + ["watch"]

    /// The values a parameter may take, as far as the client knows them.
    static func values(for parameter: ServerCommands.Parameter) -> [String] {
        if !parameter.choices.isEmpty { return parameter.choices }
        if parameter.kind == "unit" || communeKeys.contains(parameter.name) { return seen[.commune] ?? [] }
        if userKeys.contains(parameter.name) || ["delegate", "member"].contains(parameter.name) {
            return seen[.user] ?? []
        }
        if parameter.kind == "id" || parameter.kind.hasPrefix("id,") { return (seen[.id] ?? []) + (seen[.user] ?? []) }
        return []
    }

    /// In the letter case the person typed: `tas` completes to `task`, `TAS` to `TASK`.
    static func cased(_ words: [String], like typed: String) -> [String] {
        let lower = typed.contains(where: \.isLowercase)
        return words.map { lower ? $0.lowercased() : $0 }
    }

    /// What may follow the words already typed (`line`, up to the word being completed, `prefix`).
    static func choices(before line: String, prefix: String) -> [String] {
        let words = line.split(separator: " ").map(String.init)
        let commands = (table?.commands ?? []).filter(\.allowed)
        var pool: [String]
        if words.isEmpty {
            let verbs = Array(Set(commands.map { String($0.name.split(separator: " ")[0]) })).sorted()
            pool =
                prefix.isEmpty
                ? dailyVerbs + verbs
                : (prefix.first!.isLowercase ? dailyVerbs + cased(verbs, like: prefix) : verbs)
        } else if ["case", "approve", "reject", "return"].contains(words[0]) && words.count == 1 {
            pool = (seen[.id] ?? []).filter { $0.hasPrefix("C-") }
        } else if words[0] == "watch" || words[0] == "\\watch" {
            pool = ["mine", "commune=", "province=", "case="]
            if let equals = prefix.firstIndex(of: "=") {
                let key = String(prefix[..<equals])
                let values = key == "case" ? (seen[.id] ?? []).filter { $0.hasPrefix("C-") } : seen[.commune] ?? []
                pool = values.map { key + "=" + $0 }
            }
        } else if words.count == 1, table?.families.contains(words[0].uppercased()) == true {
            let family = words[0].uppercased()
            let subcommands = commands.filter { $0.name.hasPrefix(family + " ") }.map {
                String($0.name.split(separator: " ")[1])
            }
            pool = cased(subcommands, like: words[0])
        } else if let (entry, consumed) = table?.resolve(words) {
            let typed = words.dropFirst(consumed)
            let usedOptions = Set(typed.compactMap { word in word.firstIndex(of: "=").map { String(word[..<$0]) } })
            if let equals = prefix.firstIndex(of: "=") {
                let key = String(prefix[..<equals]).lowercased()
                pool = entry.option(key).map { option in values(for: option).map { key + "=" + $0 } } ?? []
            } else {
                let position = typed.filter { !$0.contains("=") }.count + 1
                let positional = entry.positionals.first { $0.position == position }
                let options = entry.options.filter { !usedOptions.contains($0.name) }.map { $0.name + "=" }
                pool = (positional.map(values(for:)) ?? []) + options
            }
        } else {
            pool = []
        }
        var unique: [String] = []
        for candidate in pool where candidate.lowercased().hasPrefix(prefix.lowercased()) && !unique.contains(candidate)
        {
            unique.append(candidate)
        }
        return unique
    }

    static func install() {
        // Words break at spaces only: `state=` and `C-7` are completed whole.
        rl_basic_word_break_characters = UnsafePointer(strdup(" \t\n\""))
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
