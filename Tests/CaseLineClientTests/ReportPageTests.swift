import CaseLineProtocol
import Foundation
import Testing

@testable import CaseLineClient

#if canImport(Glibc)
    import Glibc
#endif

/// A report saved as a self-contained HTML page: UTF-8, inline CSS and SVG, nothing fetched, every value
/// escaped; and rendered by a real browser (headless Chromium), which must load it without an error and show
/// the figures.
@Suite("Reports as an HTML page")
struct ReportPageTests {
    static let vietnamese = Localiser(vietnamese: true, zone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)

    /// An answer whose values try to inject markup and script.
    static let hostile: [Record] = [
        Record(
            "REPORT",
            [
                Field("report", "poverty"), Field("unit", "legacy:999"),
                Field("unit-name", "<script>document.title='pwned'</script>"), Field("from", "2023"),
                Field("to", "2023"),
            ]),
        Record(
            "TARGET-RESULT",
            [
                Field("target", "TG-9"), Field("year", "2023"), Field("indicator", "poverty-rate"),
                Field("kind", "level"),
                Field("value", "0.54"), Field("document", "\"><img src=x onerror=alert(1)><b class='x'>&amp;"),
            ]),
    ]

    static let page = ReportPage.html(
        [ReportFixtures.poverty, ReportFixtures.money, hostile], localiser: vietnamese)

    @Test func selfContainedUTF8AndPrintable() {
        let html = Self.page
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"vi\">"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("@page { size: A4;"))
        #expect(
            html.contains(
                "Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-"
            ))
        // Nothing from elsewhere: no link, no source, no url(), no import (the SVG namespace is a name only).
        for outside in ["<link", " src=\"", "href=", "url(", "@import", "https:"] {
            #expect(!html.contains(outside), "\(outside)")
        }
        #expect(
            html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http:") == false)
        #expect(html.components(separatedBy: "<script>").count == 2, "one script: the page's own")
    }

    @Test func figuresTablesAndCharts() {
        let html = Self.page
        #expect(html.contains("<title>Báo cáo hộ nghèo, hộ cận nghèo — Thành phố Thái Nguyên</title>"))
        #expect(html.contains("<h1>BÁO CÁO HỘ NGHÈO, HỘ CẬN NGHÈO — Thành phố Thái Nguyên (legacy:164)</h1>"))
        #expect(html.contains("<td class=\"n\">87.800</td><td class=\"n\">414</td><td class=\"n\">0,47 %</td>"))
        #expect(html.contains("<td class=\"n\">1.837.272.000 ₫</td>"))
        #expect(html.contains("data-chart=\"rates\"") && html.contains("data-chart=\"money\""))
        #expect(html.contains("data-value=\"0.47\"") && html.contains("data-target=\"0.54\""))
        #expect(html.contains("0,47 % — chỉ tiêu ≤ 0,54 %: đạt, vượt 0,07 điểm"))
        #expect(html.contains("1.837.272.000 / 2.650.000.000 ₫ (69,33 %)"))
        let english = ReportPage.html([ReportFixtures.poverty], localiser: .exact)
        #expect(english.contains("<html lang=\"en\">"))
        #expect(english.contains("0.47% — target ≤ 0.54%: met, beaten by 0.07 points"))
        #expect(english.contains("<td class=\"n\">87800</td>"))
        // Any other answer is a plain table.
        let plain = ReportPage.html(
            [[Record("UNIT", [Field("code", "05590"), Field("name", "Xã Quang Thuận")])]], localiser: .exact)
        #expect(plain.contains("<h2>UNIT</h2>") && plain.contains("<td>Xã Quang Thuận</td>"))
    }

    @Test func everyValueIsEscaped() {
        let html = Self.page
        #expect(!html.contains("<script>document"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b class"))
        #expect(html.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;b class=&#39;x&#39;&gt;&amp;amp;"))
        #expect(ReportPage.escape("a\u{202E}b\u{1B}") == "a&lt;U+202E&gt;b\\x1b")
    }

    // MARK: In a real browser

    /// Runs headless Chromium on `arguments` (the page last) with a private profile, at most 90 seconds.
    static func chromium(_ arguments: [String], in directory: URL) async throws -> (
        status: Int32?, out: String, err: String
    ) {
        let binary = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        guard let binary else {
            Issue.record("headless Chromium is not installed (apt-get install chromium; Tools/install-deps does it)")
            return (nil, "", "")
        }
        let profile = directory.appendingPathComponent("profile-\(UUID().uuidString)").path
        let out = directory.appendingPathComponent("out-\(UUID().uuidString)").path
        let err = directory.appendingPathComponent("err-\(UUID().uuidString)").path
        var flags = [
            "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=\(profile)", "--enable-logging=stderr",
            "--v=0",
        ]
        if getuid() == 0 { flags.append("--no-sandbox") }
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = directory.path
        let child = try ChildProcess(
            binary, flags + arguments, environment: environment, standardOutput: .file(out), standardError: .file(err))
        var status = await child.wait(timeout: .seconds(90))
        if status == nil {
            child.send(SIGKILL)
            status = await child.wait(timeout: .seconds(5))
            Issue.record("Chromium did not finish within 90 seconds")
        }
        return (
            status, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        )
    }

    @Test(.timeLimit(.minutes(4))) func chromiumRendersThePageWithoutErrors() async throws {
        let keep = ProcessInfo.processInfo.environment["CASELINE_KEEP_PAGE"]
        let directory =
            keep.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("caseline-page-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: directory) } }
        let file = directory.appendingPathComponent("report.html")
        try ReportPage.write(
            [ReportFixtures.poverty, ReportFixtures.money, ReportFixtures.byCommune, Self.hostile],
            localiser: Self.vietnamese, to: file.path)

        // The DOM after load: the page's script ran (so the CSP hash is right), no error, the figures there,
        // and the hostile values are text, not elements.
        let dom = try await Self.chromium(["--dump-dom", file.absoluteString], in: directory)
        #expect(dom.status == 0, "\(dom.err.suffix(2000))")
        #expect(dom.out.contains("data-loaded=\"yes\""), "the page did not finish loading: \(dom.err.suffix(2000))")
        #expect(!dom.out.contains("data-error=\""), "a script error")
        #expect(dom.out.contains("<html lang=\"vi\" data-loaded=\"yes\">"))
        for figure in ["87.800", "0,61 %", "0,47 %", "0,58 %", "0,07 điểm", "1.837.272.000 ₫", "69,33 %"] {
            #expect(dom.out.contains(figure), "\(figure)")
        }
        #expect(
            dom.out.components(separatedBy: "<rect class=\"bar\"").count - 1 == 6 + 3 + 3 + 3,
            "six rate bars, three funds, three rates and three communes")
        #expect(dom.out.contains("<line class=\"target\""))
        #expect(dom.out.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"))
        #expect(!dom.out.contains("<img") && !dom.out.contains("pwned</title>"))
        for problem in ["Uncaught", "Content Security Policy", "Refused to", "ERROR:CONSOLE"] {
            #expect(!dom.err.contains(problem), "\(problem): \(dom.err.suffix(2000))")
        }

        // A screenshot at A4 proportions: a real PNG of real size.
        let png = directory.appendingPathComponent("report.png")
        let shot = try await Self.chromium(
            ["--screenshot=\(png.path)", "--window-size=1240,1754", file.absoluteString], in: directory)
        #expect(shot.status == 0, "\(shot.err.suffix(2000))")
        let data = try Data(contentsOf: png)
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "a PNG")
        #expect(data.count > 30_000, "a page with tables and charts, not a blank one: \(data.count) bytes")
        // Width and height from the IHDR chunk.
        let width = data[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = data[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1240 && height == 1754, "\(width)×\(height)")

        // Printed: A4 pages (595 × 842 points).
        let pdf = directory.appendingPathComponent("report.pdf")
        let print = try await Self.chromium(
            ["--print-to-pdf=\(pdf.path)", "--no-pdf-header-footer", file.absoluteString], in: directory)
        #expect(print.status == 0, "\(print.err.suffix(2000))")
        let document = String(decoding: try Data(contentsOf: pdf), as: UTF8.self)
        #expect(document.hasPrefix("%PDF-"))
        #expect(document.contains("/MediaBox [0 0 595") || document.contains("/MediaBox [0 0 594.9"), "A4")
    }
}
