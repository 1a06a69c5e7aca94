public import CaseLineProtocol
import Crypto
import Foundation

/// Answers saved as one self-contained HTML page for a committee's meeting: UTF-8, inline CSS (A4 when
/// printed), one table per record type, and for reports their heading and SVG bar charts — rates against
/// targets, disbursed against allocated. Nothing is fetched from elsewhere: a Content-Security-Policy allows
/// no resource at all besides the page's own style and one tiny script, pinned by its hash, that only marks
/// the page as loaded (or a script error, were there one) for the browser test. Every value is escaped, and
/// controls and bidi overrides are made visible as in the terminal.
public enum ReportPage {
    /// The page's only script: `data-loaded="yes"` once loaded, `data-error` on any script error.
    static let script =
        "window.onerror=function(m){document.documentElement.setAttribute('data-error',String(m));};"
        + "window.addEventListener('load',function(){document.documentElement.setAttribute('data-loaded','yes');});"

    static var scriptHash: String { Data(SHA256.hash(data: Data(script.utf8))).base64EncodedString() }

    static let style = """
        @page { size: A4; margin: 14mm 12mm; }
        * { box-sizing: border-box; }
        body { font-family: "Noto Sans", "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt;
          color: #1b1f24; margin: 0 auto; padding: 10mm; max-width: 200mm; line-height: 1.35; }
        h1 { font-size: 15pt; margin: 0 0 1.5mm; }
        h2 { font-size: 11.5pt; margin: 6mm 0 2mm; padding-bottom: 1mm; border-bottom: 1.5px solid #3b5b85; }
        p.facts { margin: 0; color: #3d4550; }
        table { border-collapse: collapse; margin: 0 0 2mm; font-size: 9pt; max-width: 100%; }
        th, td { border: 1px solid #b8c0ca; padding: 0.6mm 1.6mm; vertical-align: top; }
        th { background: #e9eef5; text-align: left; font-weight: 600; vertical-align: bottom; }
        .n { text-align: right; font-variant-numeric: tabular-nums; }
        td.n { white-space: nowrap; }
        table.wide { font-size: 7.5pt; } table.wide th, table.wide td { padding: 0.5mm 1mm; }
        tr.total td { font-weight: 600; background: #f4f6f9; }
        figure { margin: 3mm 0 4mm; break-inside: avoid; }
        figcaption { font-weight: 600; margin-bottom: 1mm; }
        svg { display: block; width: 100%; height: auto; }
        svg text { font-family: inherit; font-size: 13px; fill: #1b1f24; }
        svg .bar { fill: #3b6ea8; } svg .rest { fill: #d7dee8; } svg .target { stroke: #c0392b; stroke-width: 2; }
        svg text.note { fill: #5a2d0c; } svg text.met { fill: #1e7a3c; } svg text.missed { fill: #b02a1d; }
        thead { display: table-header-group; }
        tr, h2 { break-inside: avoid; } h2 { break-after: avoid-page; }
        section.report + section.report, section.report + h2 { break-before: page; }
        @media print { body { padding: 0; max-width: none; } }
        """

    /// `<`, `>`, `&` and both quotes as entities, controls and bidi overrides made visible: safe in text and in
    /// attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in TerminalText.neutralise(text) {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// The page for a run's answers, each a list of records as the server sent them (`PAGE` left out).
    public static func html(_ answers: [[Record]], localiser: Localiser) -> String {
        let vi = localiser.vietnamese
        let title =
            answers.first.flatMap { records -> String? in
                guard ReportView.applies(records), let report = records.first else { return nil }
                return localiser.reportTitle(report["report"] ?? "") + " — " + (report["unit-name"] ?? "")
            } ?? "CaseLine"
        var body: [String] = []
        for records in answers {
            body += ReportView.applies(records) ? report(records, localiser) : plain(records, localiser)
        }
        return """
            <!DOCTYPE html>
            <html lang="\(vi ? "vi" : "en")">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-\(scriptHash)'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <script>\(script)</script>
            <style>
            \(style)
            </style>
            </head>
            <body>
            \(body.joined(separator: "\n"))
            </body>
            </html>

            """
    }

    /// Writes the page to a file (created readable by its owner only, as `\\o` files are), replacing it.
    public static func write(_ answers: [[Record]], localiser: Localiser, to path: String) throws {
        let data = Data(html(answers, localiser: localiser).utf8)
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            else { throw CocoaError(.fileWriteNoPermission) }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: data)
    }

    /// An answer that is not a report: one table per record type.
    static func plain(_ records: [Record], _ localiser: Localiser) -> [String] {
        OutputFormat.groups(records).flatMap { group -> [String] in
            [
                "<h2>\(escape(group.type))</h2>",
                table(ReportView.Section(type: group.type, keys: group.keys, rows: group.rows), localiser),
            ]
        }
    }

    static func report(_ records: [Record], _ localiser: Localiser) -> [String] {
        guard let heading = records.first else { return [] }
        var lines = ReportView.heading(records, localiser, unicode: true)
        var out = ["<section class=\"report\" data-report=\"\(escape(heading["report"] ?? ""))\">"]
        out.append("<h1>\(escape(lines.removeFirst()))</h1>")
        lines.removeFirst()  // the underline
        out += lines.map { "<p class=\"facts\">\(escape($0))</p>" }
        for section in ReportView.sections(records) {
            out.append("<h2>\(escape(localiser.sectionTitle(section.type)))</h2>")
            out.append(section.type == "FLOWS" ? flows(section, localiser) : table(section, localiser))
            if section.type == "POVERTY-YEAR", let chart = rateChart(records, localiser) { out.append(chart) }
            if section.type == "POVERTY-COMMUNE", let chart = communeChart(records, localiser) { out.append(chart) }
            if section.type == "MONEY", let chart = moneyChart(records, localiser) { out.append(chart) }
        }
        out.append("</section>")
        return out
    }

    static func table(_ section: ReportView.Section, _ localiser: Localiser) -> String {
        let figures = section.keys.map { ReportView.isFigure($0, section.rows) }
        func cls(_ index: Int) -> String { figures[index] ? " class=\"n\"" : "" }
        let wide = section.keys.count > 8 ? " class=\"wide\"" : ""
        var out = ["<table\(wide) data-type=\"\(escape(section.type))\">", "<thead><tr>"]
        out += section.keys.enumerated().map {
            "<th\(cls($0.offset))>\(escape(localiser.label($0.element, record: section.type)))</th>"
        }
        out.append("</tr></thead><tbody>")
        for row in section.rows {
            let total = row["project"] == "all" || row["commune"] == "all"
            out.append(total ? "<tr class=\"total\">" : "<tr>")
            out += section.keys.enumerated().map {
                "<td\(cls($0.offset))>\(escape(localiser.cell(row, $0.element)))</td>"
            }
            out.append("</tr>")
        }
        out.append("</tbody></table>")
        return out.joined()
    }

    /// FLOWS on its side, as in the terminal: a line per movement, households and persons per pair of years.
    static func flows(_ section: ReportView.Section, _ localiser: Localiser) -> String {
        let vi = localiser.vietnamese
        let movements = section.keys.filter {
            !$0.hasSuffix("-persons") && !["unit", "from", "to", "balanced"].contains($0)
        }
        var out = ["<table data-type=\"FLOWS\"><thead><tr><th></th>"]
        for row in section.rows {
            out.append("<th class=\"n\">\(escape((row["from"] ?? "") + "→" + (row["to"] ?? "")))</th>")
            out.append("<th class=\"n\">\(vi ? "khẩu" : "persons")</th>")
        }
        out.append("</tr></thead><tbody>")
        for movement in movements {
            out.append("<tr><td>\(escape(vi ? (ReportView.flowLabels[movement] ?? movement) : movement))</td>")
            for row in section.rows {
                out.append("<td class=\"n\">\(escape(ReportView.count(row[movement] ?? "", localiser)))</td>")
                out.append(
                    "<td class=\"n\">\(escape(ReportView.count(row[movement + "-persons"] ?? "", localiser)))</td>")
            }
            out.append("</tr>")
        }
        out.append("<tr><td>\(vi ? "cân đối" : "balanced")</td>")
        for row in section.rows {
            let value = row["balanced"] ?? ""
            out.append(
                "<td class=\"n\">\(escape(vi ? (value == "yes" ? "có" : value == "no" ? "KHÔNG" : value) : value))</td><td></td>"
            )
        }
        out.append("</tr></tbody></table>")
        return out.joined()
    }

    static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    /// Rates by year as horizontal bars, each level target a red line across its year's bar, the verdict beside.
    static func rateChart(_ records: [Record], _ localiser: Localiser) -> String? {
        let bars = ReportView.rateBars(records)
        guard !bars.isEmpty else { return nil }
        let vi = localiser.vietnamese
        let scale = bars.flatMap { [$0.value] + ($0.targetValue.map { [$0.value] } ?? []) }.max() ?? 0
        let left = 170.0
        let span = 260.0
        let rowHeight = 26.0
        let height = Double(bars.count) * rowHeight + 8
        var out = [
            "<figure class=\"chart\" data-chart=\"rates\"><figcaption>\(escape(vi ? "Tỷ lệ theo năm so với chỉ tiêu" : "Rates by year against the targets"))</figcaption>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 760 \(number(height))\" role=\"img\" aria-label=\"\(escape(vi ? "Biểu đồ tỷ lệ" : "Rates chart"))\">",
        ]
        var previous = ""
        for (index, bar) in bars.enumerated() {
            let y = 4 + Double(index) * rowHeight
            let name = bar.key == previous ? "" : localiser.label(bar.key, record: "POVERTY-YEAR")
            previous = bar.key
            let width = scale > 0 ? max(1, bar.value / scale * span) : 0
            out.append("<text x=\"0\" y=\"\(number(y + 16))\">\(escape(name))</text>")
            out.append(
                "<text x=\"\(number(left - 8))\" y=\"\(number(y + 16))\" text-anchor=\"end\">\(escape(bar.year))</text>"
            )
            out.append(
                "<rect class=\"bar\" x=\"\(number(left))\" y=\"\(number(y + 3))\" width=\"\(number(width))\" height=\"16\" data-value=\"\(escape(bar.raw))\"><title>\(escape(bar.year + " " + localiser.caption(bar.raw, .percent)))</title></rect>"
            )
            var textX = left + width + 6
            if let target = bar.target, let bound = bar.targetValue {
                let x = left + bound.value / scale * span
                out.append(
                    "<line class=\"target\" x1=\"\(number(x))\" x2=\"\(number(x))\" y1=\"\(number(y))\" y2=\"\(number(y + 22))\" data-target=\"\(escape(bound.raw))\"/>"
                )
                textX = max(textX, x + 6)
                let sign = target["comparison"] == "at-least" ? "≥" : "≤"
                let verdict = ReportView.verdict(target, localiser) ?? ""
                let note =
                    localiser.caption(bar.raw, .percent) + " — " + (vi ? "chỉ tiêu " : "target ") + sign + " "
                    + localiser.caption(bound.raw, .percent) + (verdict.isEmpty ? "" : ": " + verdict)
                let met = target["met"] == "yes" ? "met" : target["met"] == "no" ? "missed" : "note"
                out.append(
                    "<text class=\"\(met)\" x=\"\(number(textX))\" y=\"\(number(y + 16))\">\(escape(note))</text>")
            } else {
                out.append(
                    "<text x=\"\(number(textX))\" y=\"\(number(y + 16))\">\(escape(localiser.caption(bar.raw, .percent)))</text>"
                )
            }
        }
        out.append("</svg></figure>")
        return out.joined(separator: "\n")
    }

    /// The communes' poor rates in the last year, highest first, the whole unit's rate a red line.
    static func communeChart(_ records: [Record], _ localiser: Localiser) -> String? {
        guard let rates = ReportView.communeRates(records) else { return nil }
        let vi = localiser.vietnamese
        let scale = (rates.communes.map(\.value) + [rates.overall?.value ?? 0]).max() ?? 0
        let left = min(300, max(120, Double(rates.communes.map(\.name.count).max() ?? 0) * 7.8 + 12))
        let span = 760 - left - 120
        let rowHeight = 22.0
        let height = Double(rates.communes.count) * rowHeight + 8
        let overall = rates.overall.map { localiser.caption($0.raw, .percent) }
        let title =
            vi
            ? "Tỷ lệ hộ nghèo theo xã, năm \(rates.year)" + (overall.map { " (vạch đỏ: cả đơn vị, \($0))" } ?? "")
            : "Poor rate by commune, \(rates.year)" + (overall.map { " (red line: the whole unit, \($0))" } ?? "")
        var out = [
            "<figure class=\"chart\" data-chart=\"communes\"><figcaption>\(escape(title))</figcaption>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 760 \(number(height))\" role=\"img\" aria-label=\"\(escape(title))\">",
        ]
        for (index, commune) in rates.communes.enumerated() {
            let y = 4 + Double(index) * rowHeight
            let width = scale > 0 ? max(1, commune.value / scale * span) : 0
            out.append("<text x=\"0\" y=\"\(number(y + 15))\">\(escape(commune.name))</text>")
            out.append(
                "<rect class=\"bar\" x=\"\(number(left))\" y=\"\(number(y + 3))\" width=\"\(number(width))\" height=\"15\" data-value=\"\(escape(commune.raw))\"/>"
            )
            out.append(
                "<text x=\"\(number(left + width + 6))\" y=\"\(number(y + 15))\">\(escape(localiser.caption(commune.raw, .percent)))</text>"
            )
        }
        if let overall = rates.overall, scale > 0 {
            let x = left + overall.value / scale * span
            out.append(
                "<line class=\"target\" x1=\"\(number(x))\" x2=\"\(number(x))\" y1=\"2\" y2=\"\(number(height - 2))\" data-target=\"\(escape(overall.raw))\"/>"
            )
        }
        out.append("</svg></figure>")
        return out.joined(separator: "\n")
    }

    /// Each fund's money: what it had (allocated + carried in) in light, what was disbursed of it in blue.
    static func moneyChart(_ records: [Record], _ localiser: Localiser) -> String? {
        let bars = ReportView.moneyBars(records, localiser)
        guard !bars.isEmpty else { return nil }
        let vi = localiser.vietnamese
        let scale = Double(bars.map { max($0.available, $0.disbursed) }.max() ?? 0)
        // Labels are measured roughly (7.8 px a character at 13 px) so that none runs into its bar.
        let left = min(300, max(120, Double(bars.map(\.label.count).max() ?? 0) * 7.8 + 12))
        let span = 760 - left - 300  // the caption takes up to 300 px
        let rowHeight = 26.0
        let height = Double(bars.count) * rowHeight + 8
        var out = [
            "<figure class=\"chart\" data-chart=\"money\"><figcaption>\(escape(vi ? "Giải ngân so với vốn được giao (phân bổ + năm trước chuyển sang)" : "Disbursed against allocated + carried in"))</figcaption>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 760 \(number(height))\" role=\"img\" aria-label=\"\(escape(vi ? "Biểu đồ giải ngân" : "Disbursement chart"))\">",
        ]
        for (index, bar) in bars.enumerated() {
            let y = 4 + Double(index) * rowHeight
            let available = scale > 0 ? Double(bar.available) / scale * span : 0
            let disbursed = scale > 0 ? max(bar.disbursed > 0 ? 1 : 0, Double(bar.disbursed) / scale * span) : 0
            out.append("<text x=\"0\" y=\"\(number(y + 16))\">\(escape(bar.label))</text>")
            out.append(
                "<rect class=\"rest\" x=\"\(number(left))\" y=\"\(number(y + 3))\" width=\"\(number(available))\" height=\"16\"/>"
            )
            out.append(
                "<rect class=\"bar\" x=\"\(number(left))\" y=\"\(number(y + 3))\" width=\"\(number(disbursed))\" height=\"16\" data-value=\"\(bar.disbursed)\"/>"
            )
            let caption =
                localiser.caption(String(bar.disbursed), .count) + " / "
                + localiser.caption(String(bar.available), .amount)
                + (bar.rate.isEmpty ? "" : " (" + localiser.caption(bar.rate, .percent) + ")")
            out.append(
                "<text x=\"\(number(left + max(available, disbursed) + 6))\" y=\"\(number(y + 16))\">\(escape(caption))</text>"
            )
        }
        out.append("</svg></figure>")
        return out.joined(separator: "\n")
    }
}
