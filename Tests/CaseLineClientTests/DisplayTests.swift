import CaseLineClient
import CaseLineProtocol
import Foundation
import Testing

/// What a person sees: tables fitted to the terminal, text cut on character boundaries, controls made visible,
/// and values the Vietnamese way under a Vietnamese locale.
@Suite("Display for people")
struct DisplayTests {
    static let vietnamese = Localiser(vietnamese: true, zone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)

    static func task(_ number: Int, title: String) -> Record {
        Record(
            "TASK",
            [
                Field("id", "T-\(number)"), Field("commune", "02014"), Field("title", title),
                Field("state", "submitted"),
                Field("priority", "normal"), Field("overdue", "no"), Field("comments", "0"), Field("creator", "minh"),
                Field("created-at", "2026-11-24T13:40:22Z"), Field("updated-at", "2026-11-24T13:40:22Z"),
                Field("rev", "3"), Field("due", "2026-12-05"), Field("assignee", "canbo"),
            ])
    }

    @Test func bidiControlsAndCarriageReturnsAreMadeVisible() {
        #expect(TerminalText.neutralise("Real title\u{202E}EKAF") == "Real title<U+202E>EKAF")
        #expect(TerminalText.neutralise("Real\rFAKE") == "Real\\rFAKE")
        #expect(TerminalText.neutralise("a\u{1B}[2Jb\u{2066}c\u{200F}") == "a\\x1b[2Jb<U+2066>c<U+200F>")
        #expect(TerminalText.neutralise("dòng 1\ndòng 2") == "dòng 1 ⏎ dòng 2")
        let shown = OutputFormat.table.render([
            Record("CASE", [Field("id", "C-1"), Field("title", "Real\rFAKE\u{202E}")])
        ])
        #expect(shown.contains("Real\\rFAKE<U+202E>"))
        #expect(!shown.contains("\r") && !shown.contains("\u{202E}"))
        // Raw and JSON stay exact.
        let record = Record("CASE", [Field("title", "Real\rFAKE\u{202E}")])
        #expect(OutputFormat.json.render([record]).contains("Real\\rFAKE\u{202E}"))
        #expect(OutputFormat.raw.render([record]).contains("Real\\rFAKE\u{202E}"))
    }

    @Test func truncationNeverSplitsACharacterAndCountsCells() {
        #expect(TerminalText.truncate("Rà soát hộ nghèo", to: 8) == "Rà soát…")
        #expect(TerminalText.truncate("Thua\u{0323}\u{0302}n Thuận", to: 5) == "Thua\u{0323}\u{0302}…")
        #expect(TerminalText.truncate("河内河内", to: 4) == "河…")
        #expect(TerminalText.width(TerminalText.truncate("河内河内", to: 4)) <= 4)
        #expect(TerminalText.truncate("ngắn", to: 10) == "ngắn")
        for line in TerminalText.wrap("Hỗ trợ sửa chữa nhà ở cho hộ ông Hoàng Văn Minh", to: 12) {
            #expect(TerminalText.width(line) <= 12, "\(line)")
        }
    }

    @Test func wideTablesDropLowValueColumnsAndShortenText() {
        let title = "Rà soát hộ nghèo, cận nghèo năm 2026 tại thôn Nà Hin và thôn Khuổi Khỉ, xã Bạch Thông"
        let records = (1...3).map { Self.task($0, title: title) }
        let text = OutputFormat.table.render(records, .init(width: 100))
        let lines = text.split(separator: "\n").map(String.init)
        for line in lines { #expect(TerminalText.width(line) <= 100, "\(line)") }
        #expect(lines[0].hasPrefix("ID"))
        #expect(!lines[0].contains("REV") && !lines[0].contains("CREATED-AT"))
        #expect(lines[1].contains("…"), "the long title is cut with an ellipsis")
        #expect(lines.last?.contains("columns hidden") == true)
        // Without a width (a file or a pipe) nothing is dropped.
        #expect(OutputFormat.table.render(records).contains("REV"))
    }

    @Test func aRowThatCannotFitIsShownExpanded() {
        let one = OutputFormat.table.render([Self.task(7, title: "Rà soát hộ nghèo năm 2026")], .init(width: 60))
        #expect(one.hasPrefix("-[ TASK 1 ]"))
        #expect(one.contains("title      | Rà soát hộ nghèo năm 2026"))
        for line in one.split(separator: "\n") { #expect(TerminalText.width(String(line)) <= 60, "\(line)") }
        let forced = OutputFormat.table.render(
            [Self.task(7, title: "x"), Self.task(8, title: "y")], .init(width: 200, expanded: .on))
        #expect(forced.contains("-[ TASK 2 ]"))
        let never = OutputFormat.table.render([Self.task(7, title: "x")], .init(width: 30, expanded: .off))
        #expect(!never.contains("-[ TASK"))
    }

    @Test func vietnameseAmountsDatesTimesAndLabels() {
        #expect(Localiser.amount("20000000") == "20.000.000 ₫")
        #expect(Localiser.amount("500") == "500 ₫")
        #expect(Self.vietnamese.value("2026-11-24T13:40:22Z", key: "created-at", record: "TASK") == "24/11/2026 20:40")
        #expect(Self.vietnamese.value("2026-11-24T20:40:22Z", key: "at", record: "STEP") == "25/11/2026 03:40")
        #expect(Self.vietnamese.value("2026-12-05", key: "due", record: "TASK") == "05/12/2026")
        #expect(Self.vietnamese.value("submitted", key: "state", record: "CASE") == "đã trình")
        #expect(Self.vietnamese.value("yes", key: "overdue", record: "TASK") == "có")
        #expect(Self.vietnamese.value("central:15000000", key: "funding", record: "CASE") == "central 15.000.000 ₫")
        let utc = Localiser(vietnamese: true, zone: TimeZone(identifier: "UTC")!)
        #expect(utc.value("2026-11-24T13:40:22Z", key: "at", record: "STEP") == "24/11/2026 13:40")
        let table = OutputFormat.table.render(
            [Record("PENDING", [Field("case", "C-7"), Field("amount", "20000000"), Field("step", "2/2")])],
            .init(localiser: Self.vietnamese))
        #expect(table.contains("HỒ SƠ") && table.contains("SỐ TIỀN") && table.contains("20.000.000 ₫"))
        #expect(table.contains("2/2") && table.contains("C-7"), "ids and codes are never translated")
        // English (and every script format) stays exact.
        #expect(Localiser.exact.value("20000000", key: "amount", record: "CASE") == "20000000")
        #expect(OutputFormat.csv.render([Record("CASE", [Field("amount", "20000000")])]) == "amount\n20000000\n")
        #expect(Localiser.zone(environment: ["TZ": "UTC"]).secondsFromGMT() == 0)
        #expect(Localiser.zone(environment: [:]).identifier == "Asia/Ho_Chi_Minh")
    }

    @Test func csvIsOneTablePerAnswer() {
        let records = [
            Record("PENDING", [Field("case", "C-7"), Field("commune", "02014")]),
            Record("PENDING-COUNT", [Field("commune", "02014"), Field("count", "1")]),
        ]
        #expect(
            OutputFormat.csv.render(records) == "type,case,commune,count\nPENDING,C-7,02014,\nPENDING-COUNT,,02014,1\n")
    }
}
