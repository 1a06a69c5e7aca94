import CaseLineProtocol
import Foundation
import Testing

@testable import CaseLineClient

/// Reports for scripts and spreadsheets: CSV in sections, JSON with numbers as numbers.
@Suite("Reports as CSV and JSON")
struct ReportFormatsTests {
    /// One section per record type — `# TYPE`, a header row, the rows — a blank line between sections; values
    /// exact.
    @Test func csvOfAReportIsInSections() {
        let text = OutputFormat.csv.render(ReportFixtures.poverty)
        let sections = text.components(separatedBy: "\n\n")
        #expect(sections.count == 5, "REPORT, POVERTY-YEAR, FLOWS, POVERTY-GROUP, TARGET-RESULT: \(sections.count)")
        #expect(
            sections[0]
                == "# REPORT\nreport,unit,unit-name,from,to,as-of,communes,rounding\n"
                + "poverty,legacy:164,Thành phố Thái Nguyên,2022,2023,2024-01-15,32,\"percent, 2 decimals, rounded half up from whole counts\""
        )
        #expect(sections[1].hasPrefix("# POVERTY-YEAR\nyear,households,communes-without-total,poor,"))
        #expect(sections[1].contains("\n2023,87800,0,414,1242,513,1539,0.47,0.58,1.06"))
        #expect(sections[2].hasPrefix("# FLOWS\nunit,from,to,poor-start,"))
        #expect(
            sections[4].hasPrefix(
                "# TARGET-RESULT\ntarget,unit,year,indicator,kind,comparison,value,actual,met,margin,document"))
        #expect(
            sections[4].contains(
                "TG-1,legacy:164,2023,poverty-rate,level,at-most,0.54,0.47,yes,0.07,KH giảm nghèo 2023"))
        #expect(text.hasSuffix("\n") && !text.hasSuffix("\n\n"))
        let money = OutputFormat.csv.render(ReportFixtures.money)
        #expect(money.contains("\n7.1,central,recurrent,2500000000,150000000,1837272000,812728000,812728000,69.33,0\n"))
        // The markers and header rows: every row of a section has as many cells as its header.
        for section in sections {
            let rows = section.split(separator: "\n").dropFirst()
            #expect(Set(rows.map { Self.cells(String($0)) }).count == 1, "\(section)")
        }
    }

    /// Cells of one CSV row (quotes respected).
    static func cells(_ row: String) -> Int {
        var count = 1
        var quoted = false
        for character in row {
            if character == "\"" { quoted.toggle() } else if character == "," && !quoted { count += 1 }
        }
        return count
    }

    /// Other answers keep one flat table (a `type` column when they hold several record types).
    @Test func csvOfOtherAnswersStaysOneTable() {
        let records = [
            Record("PENDING", [Field("case", "C-7"), Field("amount", "20000000")]),
            Record("PENDING-COUNT", [Field("commune", "02014"), Field("count", "1")]),
        ]
        #expect(
            OutputFormat.csv.render(records)
                == "type,case,amount,commune,count\nPENDING,C-7,20000000,,\nPENDING-COUNT,,,02014,1\n")
    }

    /// Rates are decimals on the wire (`0.47`, a missed margin `-0.07`): where the schema says number they
    /// are JSON numbers, whatever the sign or the decimals; anything not a plain decimal stays a string.
    @Test func decimalsAreJSONNumbers() throws {
        let schema: [String: [String: RecordSchema.ValueType]] = [
            "POVERTY-YEAR": ["year": .number, "households": .number, "poor-rate": .number],
            "TARGET-RESULT": ["value": .number, "actual": .number, "margin": .number, "met": .boolean],
        ]
        let options = OutputFormat.Options(schema: schema)
        let year = OutputFormat.json.render([ReportFixtures.years[1]], options)
        #expect(year.contains(#""year":2023,"households":87800,"#))
        #expect(year.contains(#""poor-rate":0.47,"#))
        #expect(year.contains(#""near-poor-rate":"0.58""#), "not in this schema: a string")
        let missed = Record(
            "TARGET-RESULT",
            [
                Field("target", "TG-3"), Field("value", "0.54"), Field("actual", "0.61"), Field("met", "no"),
                Field("margin", "-0.07"),
            ])
        let line = OutputFormat.json.render([missed], options)
        #expect(
            line == #"{"type":"TARGET-RESULT","target":"TG-3","value":0.54,"actual":0.61,"met":false,"margin":-0.07}"#
                + "\n")
        // What a JSON parser reads back.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect((object["margin"] as? NSNumber)?.doubleValue == -0.07)
        #expect((object["value"] as? NSNumber)?.doubleValue == 0.54)
        // With the real schema too: a negative decimal of an existing numeric key.
        let unit = Record("UNIT", [Field("code", "00001"), Field("lat", "-0.07"), Field("lon", "105.80")])
        #expect(OutputFormat.json.render([unit]).contains(#""lat":-0.07,"lon":105.80"#))
        for odd in ["1e5", ".5", "5.", "+1", "--1", "00.5", "0x1F", "1.2.3", "-", "", " 1", "١"] {
            #expect(RecordSchema.jsonValue(odd, type: .number) == nil, "\(odd)")
        }
        for good in ["0", "0.47", "-0.07", "87800", "100.00", "-2"] {
            #expect(RecordSchema.jsonValue(good, type: .number) == good, "\(good)")
        }
    }
}
