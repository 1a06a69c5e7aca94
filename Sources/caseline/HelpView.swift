import CaseLineClient
import CaseLineProtocol

/// HELP's answer for a person: commands by group, each with its syntax and summary on lines that fit the
/// terminal (a table would cut the syntax short), and a command's parameters as a small table. JSON, CSV and
/// raw output are the records as they came.
enum HelpView {
    static func applies(_ records: [Record]) -> Bool {
        records.contains { $0.type == "HELP" } && records.allSatisfy { $0.type == "HELP" || $0.type == "PARAM" }
    }

    static func render(_ records: [Record], _ options: OutputFormat.Options) -> String {
        let width = options.width ?? 100
        var out: [String] = []
        var group = ""
        var parameters: [Record] = []
        func flush() {
            guard !parameters.isEmpty else { return }
            let trimmed = parameters.map { Record("PARAM", $0.fields.filter { $0.key != "command" }) }
            out.append(
                OutputFormat.table.render(
                    trimmed, .init(width: width - 4, expanded: .off, localiser: options.localiser)
                )
                .split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            parameters = []
        }
        for record in records {
            if record.type == "PARAM" {
                parameters.append(record)
                continue
            }
            flush()
            if let name = record["group"], name != group {
                if !out.isEmpty { out.append("") }
                out.append(Terminal.paint(name, .bold))
                group = name
            }
            let syntax = TerminalText.neutralise(record["syntax"] ?? record["command"] ?? "")
            for (index, line) in TerminalText.wrap(syntax, to: width - 6).enumerated() {
                out.append((index == 0 ? "  " : "      ") + line)
            }
            var summary = TerminalText.neutralise(record["summary"] ?? "")
            if record["allowed"] == "no" {
                summary += tr(" (not for your role)", vi: " (vai trò của bạn không dùng được)")
            }
            for line in TerminalText.wrap(summary, to: width - 6) { out.append("      " + line) }
        }
        flush()
        return out.joined(separator: "\n") + "\n"
    }
}
