public import CaseLineProtocol

/// A `REPORT` answer (its first record is `* REPORT`, CLP1.md §10.12) as a person reads it: a heading from the
/// `REPORT` record, one aligned table per record type with its figures right-aligned and its columns in a
/// reading order, and bar charts drawn with block characters — each year's rates against the targets set for
/// them, and each fund's money disbursed against what it had (allocated + carried in). Everything fits the
/// terminal's width (80 columns in a file or pipe); without a UTF-8 locale the bars are drawn in ASCII.
public enum ReportView {
    /// Whether an answer is a report.
    public static func applies(_ records: [Record]) -> Bool { records.first?.type == "REPORT" }

    /// The reading order of each report record's columns; keys not named here follow in the order sent.
    static let columns: [String: [String]] = [
        "REPORT": ["report", "unit", "unit-name", "from", "to", "as-of", "communes", "rounding"],
        "POVERTY-YEAR": yearColumns,
        "POVERTY-COMMUNE": ["year", "commune", "commune-name"] + yearColumns.dropFirst(),
        "POVERTY-GROUP": [
            "year", "group", "poor", "poor-share", "near-poor", "near-poor-share", "poor-persons", "near-poor-persons",
        ],
        "TARGET-RESULT": [
            "year", "indicator", "kind", "comparison", "value", "min", "max", "actual", "met", "within", "margin",
            "target", "unit", "document",
        ],
        "MONEY": [
            "project", "source", "nature", "commune", "commune-name", "allocated", "carried-in", "disbursed",
            "carried-out", "remaining", "rate", "overrides",
        ],
        "OUTPUT": [
            "commune", "commune-name", "kind", "cases", "amount", "persons", "poor", "near-poor", "escaped", "minority",
            "started", "finished", "handed-over",
        ],
        "WORK-TASKS": ["commune", "commune-name", "component", "open", "overdue", "done"],
        "WORK-CASES": ["commune", "commune-name", "step", "pending", "waiting-over-7", "waiting-over-30", "oldest"],
        "WORK-UNLED": ["commune", "commune-name"],
    ]

    static let yearColumns = [
        "year", "households", "poor", "poor-rate", "near-poor", "near-poor-rate", "multidimensional-rate", "persons",
        "poor-persons", "near-poor-persons", "communes-without-total",
    ]

    /// Columns given up first when a report table cannot fit: the persons behind the households of a poverty
    /// table, but never the persons an output reached.
    static func droppable(_ type: String) -> [String] {
        let persons = type.hasPrefix("POVERTY") ? ["near-poor-persons", "poor-persons", "persons"] : []
        let target = type == "TARGET-RESULT" ? ["comparison", "kind"] : []
        return ["unit", "target", "document", "communes-without-total"] + persons
            + ["overrides", "carried-out", "carried-in", "nature"] + target + ["started", "commune"]
    }

    /// One section of a report: the records of one type, their columns in reading order.
    public struct Section: Sendable {
        public var type: String
        public var keys: [String]
        public var rows: [Record]
    }

    /// The records after the `REPORT` heading, grouped by type (consecutive records of one type), each group's
    /// keys in reading order.
    public static func sections(_ records: [Record]) -> [Section] {
        OutputFormat.groups(Array(records.dropFirst())).map { group in
            let preferred = columns[group.type] ?? []
            let keys = preferred.filter(group.keys.contains) + group.keys.filter { !preferred.contains($0) }
            return Section(type: group.type, keys: keys, rows: group.rows)
        }
    }

    /// Whether a column holds figures (aligned to the right).
    static func isFigure(_ key: String, _ rows: [Record]) -> Bool {
        guard let type = rows.first?.type, Localiser.reportRecords.contains(type) else {
            // Another answer's column: figures when every value is a whole number.
            return !rows.isEmpty
                && rows.allSatisfy { row in
                    row[key].map { !$0.isEmpty && $0.allSatisfy(\.isNumber) && ($0 == "0" || !$0.hasPrefix("0")) }
                        ?? true
                }
        }
        return key == "year" || rows.allSatisfy { Localiser.figure(key, in: $0) != .text }
    }

    // MARK: Text

    /// The whole report as text.
    public static func text(_ records: [Record], _ options: OutputFormat.Options) -> String {
        let localiser = options.localiser
        let width = options.width ?? 80
        var out = heading(records, localiser, unicode: options.unicode).map { fit($0, width) }
        for section in sections(records) {
            out.append("")
            out.append(fit(localiser.sectionTitle(section.type), width))
            if section.type == "FLOWS" {
                var table = flowsTable(section, options)
                while table.hasSuffix("\n") { table.removeLast() }
                out.append(table)
                continue
            }
            let group: OutputFormat.Group = (section.type, section.keys, section.rows)
            let layout = OutputFormat.Layout(
                droppable: droppable(section.type),
                rightAligned: Set(section.keys.filter { isFigure($0, section.rows) }),
                shortensHeaders: true)
            out.append(String(OutputFormat.table(group, options, layout: layout).dropLast()))
            if section.type == "POVERTY-YEAR", let chart = rateChart(records, options) {
                out.append("")
                out.append(chart)
            }
            if section.type == "POVERTY-COMMUNE", let chart = communeChart(records, options) {
                out.append("")
                out.append(chart)
            }
            if section.type == "MONEY", let chart = moneyChart(records, options) {
                out.append("")
                out.append(chart)
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func fit(_ line: String, _ width: Int) -> String { TerminalText.truncate(line, to: width) }

    /// The lines heading a report: its name and unit, underlined; the period, the date of the snapshot and the
    /// number of communes; the rounding rule.
    static func heading(_ records: [Record], _ localiser: Localiser, unicode: Bool) -> [String] {
        guard let report = records.first else { return [] }
        let vi = localiser.vietnamese
        let name = TerminalText.neutralise(report["unit-name"] ?? report["unit"] ?? "")
        let unit = report["unit"].map { " (\(TerminalText.neutralise($0)))" } ?? ""
        let title = localiser.reportTitle(report["report"] ?? "").uppercased() + " — " + name + unit
        var lines = [title, String(repeating: unicode ? "═" : "=", count: TerminalText.width(title))]
        var facts: [String] = []
        if let from = report["from"], let to = report["to"] {
            let shown = [localiser.cell(report, "from"), localiser.cell(report, "to")]
            let years = from.count == 4
            if from == to {
                facts.append(years ? (vi ? "Năm \(from)" : "Year \(from)") : shown[0])
            } else if years {
                facts.append((vi ? "Năm " : "Years ") + from + (unicode ? "–" : "-") + to)
            } else {
                facts.append(vi ? "Từ \(shown[0]) đến \(shown[1])" : "From \(shown[0]) through \(shown[1])")
            }
        }
        if report["as-of"] != nil {
            facts.append((vi ? "số liệu đến " : "as of ") + localiser.cell(report, "as-of"))
        }
        if let communes = report["communes"] {
            let count = localiser.cell(report, "communes")
            facts.append(vi ? "\(count) xã được tính" : "\(count) commune\(communes == "1" ? "" : "s") counted")
        }
        if !facts.isEmpty { lines.append(TerminalText.neutralise(facts.joined(separator: unicode ? " · " : " - "))) }
        if let rounding = report["rounding"] {
            lines.append((vi ? "Làm tròn: " : "Rounding: ") + TerminalText.neutralise(rounding))
        }
        return lines
    }

    /// FLOWS turned on its side: one line per movement, a column of households and one of persons per pair of
    /// years, then whether each pair balances.
    static func flowsTable(_ section: Section, _ options: OutputFormat.Options) -> String {
        let localiser = options.localiser
        let arrow = options.unicode ? "→" : "->"
        let movements = section.keys.filter {
            !$0.hasSuffix("-persons") && !["unit", "from", "to", "balanced"].contains($0)
        }
        var keys = ["movement"]
        for (index, row) in section.rows.enumerated() {
            keys.append("h\(index)")
            keys.append("p\(index)")
            _ = row
        }
        var rows: [Record] = []
        for movement in movements {
            var fields = [Field("movement", localiser.vietnamese ? (flowLabels[movement] ?? movement) : movement)]
            for (index, row) in section.rows.enumerated() {
                fields.append(Field("h\(index)", count(row[movement] ?? "", localiser)))
                fields.append(Field("p\(index)", count(row[movement + "-persons"] ?? "", localiser)))
            }
            rows.append(Record("FLOWS-TABLE", fields))
        }
        var balanced = [Field("movement", localiser.vietnamese ? "cân đối" : "balanced")]
        for (index, row) in section.rows.enumerated() {
            let value = row["balanced"] ?? ""
            balanced.append(
                Field(
                    "h\(index)",
                    localiser.vietnamese ? (value == "yes" ? "có" : value == "no" ? "KHÔNG" : value) : value))
            balanced.append(Field("p\(index)", ""))
        }
        rows.append(Record("FLOWS-TABLE", balanced))
        // The header names each pair of years over its households' column.
        var header = [Field("movement", "")]
        for (index, row) in section.rows.enumerated() {
            header.append(Field("h\(index)", "\(row["from"] ?? "")\(arrow)\(row["to"] ?? "")"))
            header.append(Field("p\(index)", localiser.vietnamese ? "khẩu" : "persons"))
        }
        let group: OutputFormat.Group = ("FLOWS-TABLE", keys, [Record("FLOWS-TABLE", header)] + rows)
        var plain = options
        plain.localiser = .exact
        plain.expanded = .off
        let table = OutputFormat.table(
            group, plain, layout: OutputFormat.Layout(droppable: [], rightAligned: Set(keys.dropFirst())))
        // The table's own header line is the synthetic keys: drop it, the first row is the real header.
        return table.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
    }

    static func count(_ raw: String, _ localiser: Localiser) -> String {
        localiser.vietnamese ? (Localiser.vietnameseNumber(raw) ?? raw) : raw
    }

    static let flowLabels: [String: String] = [
        "poor-start": "hộ nghèo đầu kỳ", "escaped-poor": "thoát nghèo",
        "escaped-poor-to-near-poor": "  trong đó thành cận nghèo", "newly-poor": "nghèo mới",
        "fell-back-poor": "  trong đó tái nghèo", "left-poor": "nghèo ra khỏi địa bàn", "poor-end": "hộ nghèo cuối kỳ",
        "near-poor-start": "hộ cận nghèo đầu kỳ", "escaped-near-poor": "thoát cận nghèo",
        "near-poor-to-poor": "cận nghèo thành nghèo", "newly-near-poor": "cận nghèo mới",
        "near-poor-from-poor": "  trong đó từ hộ nghèo", "fell-back-near-poor": "  trong đó tái cận nghèo",
        "left-near-poor": "cận nghèo ra khỏi địa bàn", "near-poor-end": "hộ cận nghèo cuối kỳ",
    ]

    // MARK: Chart data

    /// A rate indicator of POVERTY-YEAR and the TARGET-RESULT indicator that targets it.
    static let rateIndicators: [(key: String, indicator: String)] = [
        ("poor-rate", "poverty-rate"), ("near-poor-rate", "near-poor-rate"),
        ("multidimensional-rate", "multidimensional-rate"),
    ]

    /// One year's rate, with the level target set for that year and indicator when there is one.
    public struct RateBar: Sendable {
        public var key: String
        public var year: String
        public var raw: String
        public var value: Double
        public var target: Record?

        /// The figure a level target is judged against: its value, or the bound of its range that decides.
        public var targetValue: (raw: String, value: Double)? {
            guard let target else { return nil }
            let bound = target["value"] ?? (target["comparison"] == "at-least" ? target["min"] : target["max"])
            guard let bound, let value = Double(bound) else { return nil }
            return (bound, value)
        }
    }

    /// Every rate of every POVERTY-YEAR, indicator by indicator, with its level target.
    public static func rateBars(_ records: [Record]) -> [RateBar] {
        let years = records.filter { $0.type == "POVERTY-YEAR" }
        let targets = records.filter { $0.type == "TARGET-RESULT" && $0["kind"] == "level" }
        var bars: [RateBar] = []
        for (key, indicator) in rateIndicators {
            for row in years {
                guard let raw = row[key], let value = Double(raw), let year = row["year"] else { continue }
                let target = targets.first { $0["year"] == year && $0["indicator"] == indicator }
                bars.append(RateBar(key: key, year: year, raw: raw, value: value, target: target))
            }
        }
        return bars
    }

    /// A target's verdict in words: `met, beaten by 0.07 points` / `đạt, vượt 0,07 điểm`.
    public static func verdict(_ target: Record, _ localiser: Localiser) -> String? {
        guard let met = target["met"] else { return nil }
        let vi = localiser.vietnamese
        let margin = target["margin"].map { $0.hasPrefix("-") ? String($0.dropFirst()) : $0 }
        let figure = Localiser.figure("margin", in: target)
        let amount = margin.map { localiser.caption($0, figure == .points ? .points : .count) }
        let nothing = margin.flatMap(Double.init) == 0
        if met == "yes" {
            guard let amount, !nothing else { return vi ? "đạt" : "met" }
            return vi ? "đạt, vượt \(amount)" : "met, beaten by \(amount)"
        }
        guard let amount else { return vi ? "chưa đạt" : "missed" }
        return vi ? "chưa đạt, thiếu \(amount)" : "missed by \(amount)"
    }

    /// One fund line of MONEY: what it had (allocated + carried in) and what was disbursed of it.
    public struct MoneyBar: Sendable {
        public var label: String
        public var available: Int
        public var disbursed: Int
        public var rate: String
    }

    public static func moneyBars(_ records: [Record], _ localiser: Localiser, unicode: Bool = true) -> [MoneyBar] {
        records.filter { $0.type == "MONEY" }.compactMap { row in
            let allocated = Int(row["allocated"] ?? "") ?? 0
            let carried = Int(row["carried-in"] ?? "") ?? 0
            guard let disbursed = Int(row["disbursed"] ?? "") else { return nil }
            let available = allocated + carried
            let rate =
                row["rate"]
                ?? (available > 0 ? percent(disbursed, of: available) : "")
            return MoneyBar(
                label: moneyLabel(row, localiser, unicode: unicode), available: available, disbursed: disbursed,
                rate: rate)
        }
    }

    /// `n / total` as a percentage with 2 decimals, rounded half up from the integers (as the server does).
    static func percent(_ count: Int, of total: Int) -> String {
        let hundredths = (count * 10000 * 2 + total) / (2 * total)
        let text = String(hundredths / 100) + "."
        let rest = hundredths % 100
        return text + (rest < 10 ? "0" : "") + String(rest)
    }

    static func moneyLabel(_ row: Record, _ localiser: Localiser, unicode: Bool) -> String {
        let vi = localiser.vietnamese
        var parts: [String] = []
        if let name = row["commune-name"], row["commune"] != "all" { parts.append(name) }
        let project = row["project"] ?? "all"
        let source = row["source"] ?? "all"
        if project == "all" && source == "all" {
            parts.append(vi ? "Tổng" : "Total")
        } else {
            parts.append(
                project == "all" ? (vi ? "mọi dự án" : "all projects") : (vi ? "DA \(project)" : "project \(project)"))
            parts.append(source == "all" ? (vi ? "mọi nguồn" : "all sources") : localiser.cell(row, "source"))
        }
        if row["nature"] != nil { parts.append(localiser.cell(row, "nature")) }
        return parts.joined(separator: unicode ? " · " : " - ")
    }

    // MARK: Charts drawn in the terminal

    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// A bar `value / scale` of `cells` cells, in block characters with eighths (or `#` in ASCII), padded to
    /// `cells`.
    static func bar(_ value: Double, scale: Double, cells: Int, unicode: Bool, fill: String = "█") -> [String] {
        guard scale > 0, value > 0 else { return Array(repeating: " ", count: cells) }
        let exact = min(value / scale, 1) * Double(cells)
        var full = Int(exact)
        var part = Int(((exact - Double(full)) * 8).rounded())
        if part == 8 {
            full += 1
            part = 0
        }
        if full == 0 && part == 0 { part = 1 }  // a figure above zero never looks like none
        var out: [String]
        if unicode {
            out = Array(repeating: fill, count: full) + (part > 0 ? [eighths[part]] : [])
        } else {
            out = Array(repeating: "#", count: max(1, Int(exact.rounded())))
        }
        if out.count < cells { out += Array(repeating: " ", count: cells - out.count) }
        return Array(out.prefix(cells))
    }

    /// Lines of `label  bar  caption  note`, the bar as wide as the width leaves but at least 24 cells: the
    /// notes, then the captions too, go to a line of their own under the bar when they do not fit beside it.
    static func chartLines(
        _ rows: [(label: String, caption: String, note: String, draw: (Int) -> [String])], width: Int
    ) -> [String] {
        let labelWidth = rows.map { TerminalText.width($0.label) }.max() ?? 0
        let captionWidth = rows.map { TerminalText.width($0.caption) }.max() ?? 0
        let noteWidth = rows.map { TerminalText.width($0.note) }.max() ?? 0
        let room = width - labelWidth - 2
        let notesBeside = noteWidth == 0 || room - 2 - captionWidth - 2 - noteWidth >= 24
        let captionsBeside = room - 2 - captionWidth >= 24
        var cells = room
        if captionsBeside { cells -= 2 + captionWidth }
        if captionsBeside && notesBeside && noteWidth > 0 { cells -= 2 + noteWidth }
        cells = max(cells, 10)
        let indent = String(repeating: " ", count: labelWidth + 2)
        var lines: [String] = []
        for row in rows {
            var line = TerminalText.pad(row.label, to: labelWidth) + "  " + row.draw(cells).joined()
            var below: [String] = []
            if captionsBeside {
                line +=
                    "  " + String(repeating: " ", count: captionWidth - TerminalText.width(row.caption)) + row.caption
                if !row.note.isEmpty && notesBeside {
                    line += "  " + row.note
                } else if !row.note.isEmpty {
                    below.append(row.note)
                }
            } else {
                below.append(row.note.isEmpty ? row.caption : row.caption + "  " + row.note)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
            lines += below.map { indent + TerminalText.truncate($0, to: max(width - labelWidth - 2, 10)) }
        }
        return lines
    }

    /// Each year's rates as bars, the level target of that year marked on the bar's line with `│` and its
    /// verdict beside it.
    public static func rateChart(_ records: [Record], _ options: OutputFormat.Options) -> String? {
        let localiser = options.localiser
        let bars = rateBars(records)
        guard !bars.isEmpty else { return nil }
        let vi = localiser.vietnamese
        let scale = bars.flatMap { [$0.value] + ($0.targetValue.map { [$0.value] } ?? []) }.max() ?? 0
        let marker = options.unicode ? "│" : "|"
        var previous = ""
        let nameWidth = bars.map { TerminalText.width(localiser.label($0.key, record: "POVERTY-YEAR")) }.max() ?? 0
        let rows = bars.map { bar -> (label: String, caption: String, note: String, draw: (Int) -> [String]) in
            let name = bar.key == previous ? "" : localiser.label(bar.key, record: "POVERTY-YEAR")
            previous = bar.key
            var note = ""
            if let target = bar.target, let bound = bar.targetValue {
                let sign =
                    target["comparison"] == "at-least" ? (options.unicode ? "≥" : ">=") : (options.unicode ? "≤" : "<=")
                note = (vi ? "chỉ tiêu " : "target ") + sign + " " + localiser.caption(bound.raw, .percent)
                if let verdict = verdict(target, localiser) { note += ": " + verdict }
            }
            let draw = { (cells: Int) -> [String] in
                var line = Self.bar(bar.value, scale: scale, cells: cells, unicode: options.unicode)
                if let bound = bar.targetValue, scale > 0 {
                    let column = min(cells - 1, Int((bound.value / scale * Double(cells)).rounded()))
                    line[column] = marker
                }
                return line
            }
            return (
                TerminalText.pad(name, to: nameWidth) + "  " + bar.year, localiser.caption(bar.raw, .percent),
                TerminalText.neutralise(note), draw
            )
        }
        let title =
            vi
            ? "Tỷ lệ theo năm (%)" + (bars.contains { $0.target != nil } ? ", \(marker) = chỉ tiêu" : "")
            : "Rates by year (%)" + (bars.contains { $0.target != nil } ? ", \(marker) = target" : "")
        let width = options.width ?? 80
        return ([fit(title, width)] + chartLines(rows, width: width).map { fit($0, width) }).joined(separator: "\n")
    }

    /// The communes' poor rates in the last year of a `by=commune` report, highest first, with the unit's own
    /// rate of that year to compare with.
    public struct CommuneRates: Sendable {
        public var year: String
        public var communes: [(name: String, raw: String, value: Double)]
        public var overall: (raw: String, value: Double)?
    }

    public static func communeRates(_ records: [Record]) -> CommuneRates? {
        let rows = records.filter { $0.type == "POVERTY-COMMUNE" && $0["poor-rate"] != nil }
        guard let year = rows.compactMap({ $0["year"] }).max() else { return nil }
        let communes = rows.filter { $0["year"] == year }.compactMap { row -> (String, String, Double)? in
            guard let raw = row["poor-rate"], let value = Double(raw) else { return nil }
            return (row["commune-name"] ?? row["commune"] ?? "", raw, value)
        }
        .sorted { $0.2 > $1.2 }
        let overall = records.first { $0.type == "POVERTY-YEAR" && $0["year"] == year }?["poor-rate"]
            .flatMap { raw in Double(raw).map { (raw, $0) } }
        return communes.isEmpty ? nil : CommuneRates(year: year, communes: communes, overall: overall)
    }

    /// The communes' poor rates as bars, the unit's own rate marked `│`.
    public static func communeChart(_ records: [Record], _ options: OutputFormat.Options) -> String? {
        guard let rates = communeRates(records) else { return nil }
        let localiser = options.localiser
        let marker = options.unicode ? "│" : "|"
        let scale = (rates.communes.map(\.value) + [rates.overall?.value ?? 0]).max() ?? 0
        let rows = rates.communes.map {
            commune -> (label: String, caption: String, note: String, draw: (Int) -> [String]) in
            let draw = { (cells: Int) -> [String] in
                var line = Self.bar(commune.value, scale: scale, cells: cells, unicode: options.unicode)
                if let overall = rates.overall, scale > 0 {
                    line[min(cells - 1, Int((overall.value / scale * Double(cells)).rounded()))] = marker
                }
                return line
            }
            return (
                TerminalText.truncate(TerminalText.neutralise(commune.name), to: 28),
                localiser.caption(commune.raw, .percent), "", draw
            )
        }
        let overall = rates.overall.map { localiser.caption($0.raw, .percent) }
        let title =
            localiser.vietnamese
            ? "Tỷ lệ hộ nghèo theo xã, năm \(rates.year)" + (overall.map { ", \(marker) = cả đơn vị \($0)" } ?? "")
            : "Poor rate by commune, \(rates.year)" + (overall.map { ", \(marker) = the whole unit, \($0)" } ?? "")
        let width = options.width ?? 80
        return ([fit(title, width)] + chartLines(rows, width: width).map { fit($0, width) }).joined(separator: "\n")
    }

    /// Each fund's money: disbursed as solid blocks, what is left of allocated + carried in as shade.
    public static func moneyChart(_ records: [Record], _ options: OutputFormat.Options) -> String? {
        let localiser = options.localiser
        let bars = moneyBars(records, localiser, unicode: options.unicode)
        guard !bars.isEmpty else { return nil }
        let vi = localiser.vietnamese
        let scale = Double(bars.map { max($0.available, $0.disbursed) }.max() ?? 0)
        let solid = options.unicode ? "█" : "#"
        let shade = options.unicode ? "░" : "-"
        let rows = bars.map { bar -> (label: String, caption: String, note: String, draw: (Int) -> [String]) in
            let caption =
                localiser.caption(String(bar.disbursed), .count) + " / "
                + localiser.caption(String(bar.available), .amount)
            let note = bar.rate.isEmpty ? "" : localiser.caption(bar.rate, .percent)
            let draw = { (cells: Int) -> [String] in
                var line = Self.bar(Double(bar.available), scale: scale, cells: cells, unicode: false)
                    .map { $0 == "#" ? shade : $0 }
                let done = Self.bar(Double(bar.disbursed), scale: scale, cells: cells, unicode: options.unicode)
                for (index, piece) in done.enumerated() where piece != " " {
                    line[index] = piece == "#" ? solid : piece
                }
                return line
            }
            return (TerminalText.neutralise(bar.label), caption, note, draw)
        }
        let title =
            vi
            ? "Giải ngân so với vốn được giao (\(solid) đã giải ngân, \(shade) chưa giải ngân)"
            : "Disbursed against allocated + carried in (\(solid) disbursed, \(shade) not yet)"
        let width = options.width ?? 80
        return ([fit(title, width)] + chartLines(rows, width: width).map { fit($0, width) }).joined(separator: "\n")
    }
}
