import CaseLineProtocol
import Foundation
import Testing

@testable import CaseLineClient

/// Report answers in the terminal: a heading, aligned tables, bar charts fitted to the width, Vietnamese
/// number formats under a Vietnamese locale, exact figures otherwise; and the figures of the source articles
/// reproduce from the counts.
@Suite("Reports in the terminal")
struct ReportViewTests {
    static let vietnamese = Localiser(vietnamese: true, zone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)

    static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    /// Thái Nguyên city (issue 15): with 87,800 households every published rate and margin reproduces from
    /// the counts, with the contract's rule (hundredths = (count × 10000 × 2 + total) / (2 × total)).
    @Test func thaiNguyenFiguresReproduceFromTheCounts() {
        let households = 87800
        #expect(ReportView.percent(539, of: households) == "0.61")
        #expect(ReportView.percent(602, of: households) == "0.69")
        #expect(ReportView.percent(414, of: households) == "0.47")
        #expect(ReportView.percent(513, of: households) == "0.58")
        #expect(ReportView.percent(539 + 602, of: households) == "1.30")
        #expect(ReportView.percent(414 + 513, of: households) == "1.06")
        // Every total from 87,700 to 87,900 the rounded rates allow gives the same figures.
        for total in stride(from: 87700, through: 87900, by: 50) {
            #expect(ReportView.percent(414, of: total) == "0.47", "\(total)")
        }
        for row in ReportFixtures.years {
            let total = Int(row["households"]!)!
            #expect(ReportView.percent(Int(row["poor"]!)!, of: total) == row["poor-rate"])
            #expect(ReportView.percent(Int(row["near-poor"]!)!, of: total) == row["near-poor-rate"])
        }
        // "Beat the plan by 0.07 points": the margin is the difference of the rounded figures.
        for target in ReportFixtures.targets {
            let margin = Double(target["value"]!)! - Double(target["actual"]!)!
            #expect(String(format: "%.2f", margin) == target["margin"])
        }
        // The money: 1,837,272,000 disbursed of 2,500,000,000 + 150,000,000 is 69.33 %.
        #expect(ReportView.percent(1_837_272_000, of: 2_650_000_000) == "69.33")
    }

    @Test func vietnameseNumberFormats() {
        #expect(Localiser.vietnameseNumber("1837272000") == "1.837.272.000")
        #expect(Localiser.vietnameseNumber("87800") == "87.800")
        #expect(Localiser.vietnameseNumber("0.47") == "0,47")
        #expect(Localiser.vietnameseNumber("-0.07") == "-0,07")
        #expect(Localiser.vietnameseNumber("100.00") == "100,00")
        #expect(Localiser.vietnameseNumber("12a") == nil)
        #expect(Localiser.vietnameseNumber("") == nil)
        let vi = Self.vietnamese
        let money = ReportFixtures.money[1]
        #expect(vi.cell(money, "disbursed") == "1.837.272.000 ₫")
        #expect(vi.cell(money, "carried-in") == "150.000.000 ₫")
        #expect(vi.cell(money, "rate") == "69,33 %")
        #expect(vi.cell(money, "project") == "7.1", "a project code is not a number")
        #expect(vi.cell(money, "source") == "trung ương")
        let year = ReportFixtures.years[1]
        #expect(vi.cell(year, "households") == "87.800")
        #expect(vi.cell(year, "poor-rate") == "0,47 %")
        #expect(vi.cell(year, "year") == "2023", "a year is not grouped")
        let target = ReportFixtures.targets[0]
        #expect(vi.cell(target, "value") == "0,54 %")
        #expect(vi.cell(target, "margin") == "0,07 điểm")
        #expect(vi.cell(target, "met") == "có")
        let missed = Record(
            "TARGET-RESULT",
            [
                Field("indicator", "poor"), Field("kind", "reduction"), Field("min", "14"), Field("max", "16"),
                Field("actual", "12"), Field("met", "no"), Field("margin", "-2"),
            ])
        #expect(vi.cell(missed, "min") == "14" && vi.cell(missed, "margin") == "-2", "households, not percent")
        #expect(ReportView.verdict(missed, vi) == "chưa đạt, thiếu 2")
        #expect(ReportView.verdict(missed, .exact) == "missed by 2")
        #expect(ReportView.verdict(target, .exact) == "met, beaten by 0.07 points")
        let commune = Record("POVERTY-COMMUNE", [Field("commune", "19999"), Field("poor", "12345")])
        #expect(vi.cell(commune, "commune") == "19999" && vi.cell(commune, "poor") == "12.345")
        // English is exact, as on the wire.
        #expect(Localiser.exact.cell(money, "disbursed") == "1837272000")
        #expect(Localiser.exact.cell(year, "poor-rate") == "0.47")
        #expect(Localiser.exact.caption("1837272000", .amount) == "1,837,272,000 VND")
        #expect(Localiser.exact.caption("0.47", .percent) == "0.47%")
    }

    @Test func vietnamesePovertyReportHasHeadingTablesAndChart() {
        let text = OutputFormat.table.render(ReportFixtures.poverty, .init(width: 100, localiser: Self.vietnamese))
        let lines = Self.lines(text)
        for line in lines { #expect(TerminalText.width(line) <= 100, "\(line)") }
        #expect(lines[0] == "BÁO CÁO HỘ NGHÈO, HỘ CẬN NGHÈO — Thành phố Thái Nguyên (legacy:164)")
        #expect(lines[1].allSatisfy { $0 == "═" })
        #expect(lines[2] == "Năm 2022–2023 · số liệu đến 15/01/2024 · 32 xã được tính")
        #expect(lines[3] == "Làm tròn: percent, 2 decimals, rounded half up from whole counts")
        #expect(
            text.contains("\nHộ nghèo, hộ cận nghèo theo năm\n NĂM  TỔNG SỐ HỘ  HỘ NGHÈO  TỶ LỆ NGHÈO  HỘ CẬN NGHÈO"))
        #expect(text.contains("\n2022      87.800       539       0,61 %           602           0,69 %"))
        #expect(text.contains("\n2023      87.800       414       0,47 %           513           0,58 %"))
        // The rate chart: a bar per year and rate, the target marked, the verdict beside.
        let poor2022 = try! #require(lines.first { $0.hasPrefix("tỷ lệ nghèo      2022  █") })
        let poor2023 = try! #require(lines.first { $0.hasPrefix("                 2023  █") })
        #expect(poor2022.hasSuffix("0,61 %"))
        #expect(poor2023.hasSuffix("0,47 %  chỉ tiêu ≤ 0,54 %: đạt, vượt 0,07 điểm"))
        #expect(text.contains("0,58 %  chỉ tiêu ≤ 0,64 %: đạt, vượt 0,06 điểm"))
        let blocks: (String) -> Int = { $0.filter { "█▏▎▍▌▋▊▉".contains($0) }.count }
        #expect(blocks(poor2023) < blocks(poor2022), "0.47 draws shorter than 0.61")
        let marker = try! #require(poor2023.firstIndex(of: "│"))
        #expect(poor2023[..<marker].contains("█"), "the target 0.54 lies beyond the bar of 0.47")
        // The flows turned on their side, and the targets' table.
        #expect(text.contains("\nBiến động giữa các năm\n"))
        #expect(text.contains("hộ nghèo cuối kỳ                  414  1.242"))
        #expect(text.contains("2023  tỷ lệ hộ nghèo      mức   không quá  0,54 %     0,47 %  có    0,07 điểm"))
    }

    @Test func englishIsExactAndFitsEveryWidth() {
        for width in [50, 64, 80, 120, 200] {
            for localiser in [Localiser.exact, Self.vietnamese] {
                for records in [ReportFixtures.poverty, ReportFixtures.money] {
                    let text = OutputFormat.table.render(records, .init(width: width, localiser: localiser))
                    for line in Self.lines(text) {
                        #expect(TerminalText.width(line) <= width, "\(width): \(line)")
                    }
                }
            }
        }
        let text = OutputFormat.table.render(ReportFixtures.poverty, .init(width: 120))
        #expect(text.hasPrefix("POVERTY REPORT — Thành phố Thái Nguyên (legacy:164)\n"))
        #expect(text.contains("Years 2022–2023 · as of 2024-01-15 · 32 communes counted"))
        #expect(text.contains("\n2023       87800   414       0.47        513            0.58"))
        #expect(text.contains("0.47%  target ≤ 0.54%: met, beaten by 0.07 points"))
    }

    @Test func moneyChartShowsDisbursedAgainstWhatWasThere() {
        let text = OutputFormat.table.render(ReportFixtures.money, .init(width: 110, localiser: Self.vietnamese))
        #expect(text.hasPrefix("BÁO CÁO NGUỒN VỐN — Thành phố Thái Nguyên (legacy:164)\n"))
        #expect(text.contains("Từ 01/01/2023 đến 31/12/2023 · số liệu đến 15/01/2024"))
        #expect(text.contains("2.500.000.000 ₫  1.837.272.000 ₫"))
        let bar = try! #require(Self.lines(text).first { $0.hasPrefix("DA 7.1 · trung ương · sự nghiệp  █") })
        #expect(bar.hasSuffix("1.837.272.000 / 2.650.000.000 ₫  69,33 %"))
        #expect(bar.contains("░"), "what is left to disburse is shaded")
        let full = try! #require(Self.lines(text).first { $0.hasPrefix("DA 1 · tỉnh · đầu tư") })
        #expect(!full.contains("░") && full.hasSuffix("100,00 %"))
        #expect(Self.lines(text).contains { $0.hasPrefix("Tổng ") })
    }

    /// Housing 2023 and health insurance: the outputs' figures add up and read the Vietnamese way.
    @Test func outputsAddUp() {
        let rows = ReportFixtures.outputs.dropFirst()
        let housing = rows.filter { $0["kind"]!.hasPrefix("housing") }
        let amounts: [Int] = housing.map { Int($0["amount"]!)! }
        let houses: Int = 3 * 50_000_000 + 8 * 25_000_000
        #expect(amounts.reduce(0, +) == houses)
        #expect(houses == 350_000_000)
        let insurance = rows.last!
        let persons: [Int] = ["poor", "near-poor", "persons"].map { Int(insurance[$0]!)! }
        #expect(persons[0] + persons[1] == persons[2])
        #expect(persons[2] == 2044)
        let text = OutputFormat.table.render(ReportFixtures.outputs, .init(width: 120, localiser: Self.vietnamese))
        #expect(text.hasPrefix("BÁO CÁO KẾT QUẢ THỰC HIỆN — Thành phố Thái Nguyên (legacy:164)\n"))
        #expect(text.contains("\nKết quả thực hiện\n"))
        // Kinds in Vietnamese under a Vietnamese locale.
        #expect(text.contains("bảo hiểm y tế       1  1.837.272.000 ₫      2.044       896"))
        #expect(text.contains("1.148"))
        #expect(text.contains("sửa chữa nhà ở      8    200.000.000 ₫"))
    }

    /// Quảng Phú 2024: a range of households (met, within), a reduction in points (missed), a level of the
    /// multidimensional rate (missed) — each shown in its own unit, and the level marked on the chart.
    @Test func rangesReductionsAndMissedTargets() {
        let vi = Self.vietnamese
        let range = ReportFixtures.quangPhu[2]
        #expect(vi.cell(range, "min") == "14" && vi.cell(range, "max") == "16" && vi.cell(range, "within") == "có")
        #expect(ReportView.verdict(range, vi) == "đạt, vượt 1")
        let points = ReportFixtures.quangPhu[3]
        #expect(vi.cell(points, "value") == "0,5 điểm" && vi.cell(points, "actual") == "0,45 điểm")
        #expect(ReportView.verdict(points, vi) == "chưa đạt, thiếu 0,05 điểm")
        #expect(ReportView.verdict(points, .exact) == "missed by 0.05 points")
        let text = OutputFormat.table.render(ReportFixtures.quangPhu, .init(width: 110, localiser: vi))
        #expect(text.contains("Năm 2024 · số liệu đến 10/01/2025 · 1 xã được tính"))
        #expect(text.contains("4,26 %  chỉ tiêu ≤ 2,5 %: chưa đạt, thiếu 1,76 điểm"), "\(text)")
        let bars = ReportView.rateBars(ReportFixtures.quangPhu)
        #expect(bars.map(\.key) == ["poor-rate", "near-poor-rate", "multidimensional-rate"])
        #expect(bars.filter { $0.target != nil }.map(\.key) == ["multidimensional-rate"], "only levels are marked")
        // The marker of a missed level lies inside its bar.
        let line = try! #require(Self.lines(text).first { $0.contains("4,26 %  chỉ tiêu") })
        let marker = try! #require(line.firstIndex(of: "│"))
        #expect(line[line.index(after: marker)...].contains("█"))
    }

    /// Reports with little in them — only the heading, years without totals (so no rates), funds with nothing
    /// allocated, or more disbursed than there was (an override) — and very narrow terminals draw without
    /// failing, every line within a width of 40 and more.
    @Test func sparseReportsAndNarrowTerminals() {
        let heading = ReportFixtures.heading
        let noTotals = Record(
            "POVERTY-YEAR",
            [Field("year", "2023"), Field("communes-without-total", "3"), Field("poor", "12"), Field("near-poor", "9")])
        let money = ReportFixtures.money[0]  // the heading of the money report
        let empty = Record(
            "MONEY",
            [Field("project", "2"), Field("source", "commune"), Field("allocated", "0"), Field("disbursed", "0")])
        let over = Record(
            "MONEY",
            [
                Field("project", "3.1"), Field("source", "credit"), Field("allocated", "100"), Field("carried-in", "0"),
                Field("disbursed", "150"), Field("overrides", "1"),
            ])
        let answers = [[heading], [heading, noTotals], [money, empty], [money, empty, over]]
        for records in answers {
            for width in [12, 20, 40, 80] {
                let text = OutputFormat.table.render(records, .init(width: width, localiser: Self.vietnamese))
                #expect(text.hasPrefix("BÁO CÁO"))
                // Below 40 columns a table's own floor (8 cells a column, 20 for an expanded value) wins.
                for line in Self.lines(text) where width >= 40 {
                    #expect(TerminalText.width(line) <= width, "\(width): \(line)")
                }
            }
        }
        #expect(ReportView.rateChart([heading, noTotals], .init()) == nil, "no households, no rates, no chart")
        let bars = ReportView.moneyBars([money, empty, over], .exact)
        #expect(bars.map(\.rate) == ["", "150.00"], "computed when not sent, from allocated + carried in")
        let chart = ReportView.moneyChart([money, empty, over], .init(width: 80)) ?? ""
        #expect(chart.contains("150 / 100 VND") && chart.contains("150.00%"), "\(chart)")
    }

    /// By commune: the communes add up to the city, each rate reproduces, and the chart puts the highest
    /// rate first with the city's own marked.
    @Test func communesAddUpAndAreCharted() {
        let communes = ReportFixtures.byCommune.filter { $0.type == "POVERTY-COMMUNE" }
        for key in ["households", "poor", "near-poor"] {
            let sum = communes.map { Int($0[key]!)! }.reduce(0, +)
            #expect(String(sum) == ReportFixtures.years[1][key], "\(key)")
        }
        for row in communes {
            let households = Int(row["households"]!)!
            #expect(ReportView.percent(Int(row["poor"]!)!, of: households) == row["poor-rate"])
            #expect(ReportView.percent(Int(row["near-poor"]!)!, of: households) == row["near-poor-rate"])
            let both = Int(row["poor"]!)! + Int(row["near-poor"]!)!
            #expect(ReportView.percent(both, of: households) == row["multidimensional-rate"])
        }
        let text = OutputFormat.table.render(ReportFixtures.byCommune, .init(width: 100, localiser: Self.vietnamese))
        let lines = Self.lines(text)
        let title = try! #require(lines.firstIndex(of: "Tỷ lệ hộ nghèo theo xã, năm 2023, │ = cả đơn vị 0,47 %"))
        #expect(lines[title + 1].hasPrefix("Phường Hoàng Văn Thụ  █") && lines[title + 1].hasSuffix("0,67 %"))
        #expect(lines[title + 2].hasPrefix("Xã Quyết Thắng        █") && lines[title + 2].hasSuffix("0,41 %"))
        #expect(lines[title + 3].hasPrefix("Phường Quang Trung    █") && lines[title + 3].contains("│"))
        #expect(
            text.contains("2023  Phường Hoàng Văn Thụ      30.000       200       0,67 %"),
            "the code gives way to the name")
        let html = ReportPage.html([ReportFixtures.byCommune], localiser: Self.vietnamese)
        #expect(html.contains("data-chart=\"communes\"") && html.contains("data-target=\"0.47\""))
    }

    /// Without a UTF-8 locale the charts and rules are drawn in ASCII.
    @Test func asciiWhenTheLocaleIsNotUTF8() {
        for records in [ReportFixtures.poverty, ReportFixtures.money] {
            let text = OutputFormat.table.render(records, .init(width: 90, unicode: false))
            for drawing in ["█", "▏", "▌", "░", "│", "═", "≤", "→"] {
                #expect(!text.contains(drawing), "\(drawing)")
            }
            #expect(text.contains("###"))
        }
        let text = OutputFormat.table.render(ReportFixtures.poverty, .init(width: 90, unicode: false))
        #expect(text.contains("target <= 0.54%: met, beaten by 0.07 points"))
        #expect(text.contains("2022->2023"))
        #expect(OutputFormat.Options.unicode(environment: ["LANG": "vi_VN.UTF-8"]))
        #expect(OutputFormat.Options.unicode(environment: ["LANG": "en_GB.utf8"]))
        #expect(OutputFormat.Options.unicode(environment: [:]), "nothing set: CLP/1's UTF-8")
        #expect(!OutputFormat.Options.unicode(environment: ["LC_ALL": "C", "LANG": "vi_VN.UTF-8"]))
        #expect(!OutputFormat.Options.unicode(environment: ["LC_CTYPE": "vi_VN.TCVN"]))
        #expect(!OutputFormat.Options.unicode(environment: ["LANG": "POSIX"]))
    }

    /// Values from the server cannot draw on the terminal, in a report as anywhere.
    @Test func controlsInReportValuesAreMadeVisible() {
        var records = ReportFixtures.poverty
        records[0] = Record(
            "REPORT", [Field("report", "poverty"), Field("unit", "x"), Field("unit-name", "Xã\u{1B}[2J\u{202E}A")])
        let text = OutputFormat.table.render(records, .init(width: 100))
        #expect(!text.contains("\u{1B}") && !text.contains("\u{202E}"))
        #expect(text.contains("Xã\\x1b[2J<U+202E>A"))
    }

    /// An answer that is not a report keeps its plain tables.
    @Test func otherAnswersAreUnchanged() {
        let records = [Record("UNIT", [Field("code", "05590"), Field("households", "1200")])]
        #expect(OutputFormat.table.render(records, .init(localiser: Self.vietnamese)) == "MÃ     HỘ\n05590  1200\n")
    }
}
