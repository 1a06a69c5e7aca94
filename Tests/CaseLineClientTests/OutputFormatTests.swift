import CaseLineClient
import CaseLineProtocol
import Testing

@Suite("Rendering records")
struct OutputFormatTests {
    let records = [
        Record("UNIT", [Field("code", "05590"), Field("name", "Xã Quang Thuận")]),
        Record("UNIT", [Field("code", "18880"), Field("name", "Phường Đồng Hới"), Field("note", "a,\"b\"\nc")]),
    ]

    @Test func vietnameseColumnsLineUp() {
        let lines = OutputFormat.table.render(records).split(separator: "\n").map(String.init)
        #expect(lines[0] == "CODE   NAME             NOTE")
        #expect(lines[1] == "05590  Xã Quang Thuận")
        #expect(lines[2] == "18880  Phường Đồng Hới  a,\"b\" ⏎ c")
        // Every row's second column starts at the same terminal cell.
        let starts = lines.map { OutputFormat.displayWidth(String($0.prefix(7))) }
        #expect(Set(starts) == [7])
    }

    @Test(arguments: [
        ("Thuận", 5), ("Thua\u{0323}\u{0302}n", 5), ("Đồng Hới", 8), ("河内", 4), ("👍", 2), ("", 0),
    ])
    func widthsAreTerminalCells(text: String, cells: Int) {
        #expect(OutputFormat.displayWidth(text) == cells)
    }

    @Test func jsonIsOneObjectPerRecordWithEscapes() {
        let lines = OutputFormat.json.render(records).split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0] == #"{"type":"UNIT","code":"05590","name":"Xã Quang Thuận"}"#)
        #expect(lines[1].hasSuffix(#""note":"a,\"b\"\nc"}"#))
    }

    @Test func csvQuotesWhatItMust() {
        let text = OutputFormat.csv.render(records)
        #expect(text.hasPrefix("code,name,note\n05590,Xã Quang Thuận,\n"))
        #expect(text.contains("18880,Phường Đồng Hới,\"a,\"\"b\"\"\nc\"\n"))
    }

    @Test func rawIsTheProtocolLine() {
        #expect(OutputFormat.raw.render([records[0]]) == "* UNIT code=05590 name=\"Xã Quang Thuận\"\n")
    }
}
