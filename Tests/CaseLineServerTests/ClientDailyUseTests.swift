import CaseLineClient
import CaseLineProtocol
import CaseLineServer
import CaseLineStore
import Foundation
import Testing

extension ServerSuites {
    /// `caseline` as a staff member meets it in the first hour (issue 17) and as scripts trust it (issue 12),
    /// against a real server over TLS. The terminal's side is in ClientTerminalTests.
    @Suite("caseline for daily use", .timeLimit(.minutes(3)))
    struct ClientDailyUseTests {
        typealias Client = ClientTests
        static let password = ["CASELINE_PASSWORD": TestServer.password]

        /// A submitted case in commune 02014 (a vocational class, whose chain is the commune chair's alone), created
        /// by `canbo`, waiting for `chutich`.
        static func submittedCase(
            _ server: TestServer, title: String, amount: String? = "20000000", organise: Bool = true
        ) async throws -> String {
            if organise { try await TaskTests.organise(server.store) }
            return try await server.session("canbo") { staff async throws -> String in
                var command = Command(tag: "c1", name: "CASE CREATE", arguments: ["vocational", "02014"])
                command.options = ["title": title]
                if let amount { command.options.merge(["amount": amount, "funding": "central:\(amount)"]) { $1 } }
                let created = try await staff.request(command)
                let id = try #require(created.records.first?["id"], "\(created.completion)")
                #expect(try await staff.request("CASE SUBMIT \(id)").ok)
                return id
            }
        }

        @Test func helpAndVersionAreAnsweredWithoutAServer() async throws {
            let home = try Client.home()
            defer { try? FileManager.default.removeItem(at: home) }
            // Port 1: nothing listens, so an answer proves that nothing was sent; no password is asked.
            for flag in ["--help", "-h"] {
                let help = try await Peers.run(
                    Client.executable, ["--port", "1", "--user", "minh", flag], environment: ["HOME": home.path])
                #expect(help.status == 0, "\(help.stderr)")
                #expect(help.stdout.contains("USAGE: caseline") && help.stdout.contains("--expanded"))
                #expect(!help.stderr.contains("Password"))
            }
            let version = try await Peers.run(Client.executable, ["--port", "1", "--version"])
            #expect(version.status == 0 && version.stdout == "caseline 0.1.0 (CLP/1)\n", "\(version)")
            // A bad flag value is a usage error, exit 2 as documented (ArgumentParser alone says 64).
            let port = try await Peers.run(Client.executable, ["--port", "abc", "PING"])
            #expect(port.status == 2, "\(port)")
            #expect(port.stderr.contains("abc"))
            let expanded = try await Peers.run(
                Client.executable, ["--expanded", "wide", "PING"], environment: ["HOME": home.path])
            #expect(expanded.status == 2 && expanded.stderr.contains("--expanded takes on, off or auto"))
        }

        @Test func filesAndPipesSpeakTheDailyVerbsAndSayWhereTheyFailed() async throws {
            try await TestServer.run { server in
                let id = try await Self.submittedCase(server, title: "Sửa nhà hộ ông Lò Văn Páo")
                let home = try Client.home()
                defer { try? FileManager.default.removeItem(at: home) }
                let file = home.appendingPathComponent("sang-thu-hai.clp")
                try
                    "# việc buổi sáng\npending\ntasks\napprove \(id) \"Đã kiểm tra hiện trạng\"\ncase \(id)\nCHAIN SET vocational steps=chair@commune rev=1\nPING sau\n"
                    .write(to: file, atomically: true, encoding: .utf8)
                let run = try await Client.run(
                    server, home, ["--user", "chutich", "-f", file.path], environment: Self.password)
                #expect(run.status == 1, "\(run.stderr)")
                #expect(!run.stderr.contains("UNKNOWN-COMMAND"), "\(run.stderr)")
                #expect(run.stdout.contains(id))
                #expect(run.stdout.contains("✔ 1. chair@commune  approved  by chutich"), "\(run.stdout)")
                #expect(run.stderr.contains("\(file.path):6: NO [FORBIDDEN]"), "\(run.stderr)")
                #expect(!run.stdout.contains("sau"), "it stops at the first refusal")
                // The same verbs through a pipe, with a misspelt backslash command named by its line.
                let piped = try await Client.run(
                    server, home, ["--user", "chutich", "--continue-on-error"],
                    input: "pending\n\\frmat json\nPING ba\n",
                    environment: Self.password)
                #expect(piped.stderr.contains("stdin:2: unknown command \\frmat"), "\(piped.stderr)")
                #expect(piped.stdout.contains("ba"))
                #expect(piped.status == 2)
                // `watch` belongs to a session or its own run, and says so.
                let watch = try await Client.run(
                    server, home, ["--user", "chutich"], input: "watch mine\n", environment: Self.password)
                #expect(watch.status == 2 && watch.stderr.contains("stdin:1: watch runs on its own"), "\(watch)")
            }
        }

        /// A list is read to its end, page after page; one cut short by limit= says so (issue 12).
        @Test func listsAreReadToTheirEndAndTruncationIsNeverSilent() async throws {
            try await TestServer.run { server in
                let home = try Client.home()
                defer { try? FileManager.default.removeItem(at: home) }
                let all = try await Client.run(
                    server, home,
                    ["--user", "minh", "--format", "csv", "UNIT", "LIST", "edition=legacy", "type=commune"],
                    environment: Self.password)
                #expect(all.status == 0, "\(all.stderr)")
                let rows = all.stdout.split(separator: "\n").count - 1
                let total = try await server.session("minh") { minh async throws -> Int in
                    let page = try await minh.request("UNIT LIST edition=legacy type=commune limit=1")
                    return try #require(page.records.last?["total"].flatMap { Int($0) })
                }
                #expect(total > 3000)
                #expect(rows == total, "every legacy commune, not the first 100")
                let cut = try await Client.run(
                    server, home, ["--user", "minh", "--format", "csv", "UNIT", "LIST", "type=province", "limit=10"],
                    environment: Self.password)
                #expect(cut.stdout.split(separator: "\n").count == 11)
                #expect(cut.stderr.contains("records 1–10 of "), "\(cut.stderr)")
                #expect(cut.stderr.contains(" shown; ask with offset=10 for the next ones"), "\(cut.stderr)")
            }
        }

        /// `--html FILE` saves the run's answers as one page instead of printing them; `\\html FILE` saves the
        /// last answer (issue 15).
        @Test func answersAreSavedAsAnHTMLPage() async throws {
            try await TestServer.run { server in
                let home = try Client.home()
                defer { try? FileManager.default.removeItem(at: home) }
                let page = home.appendingPathComponent("units.html")
                let run = try await Client.run(
                    server, home,
                    ["--user", "minh", "--html", page.path, "UNIT", "LIST", "type=province", "limit=3"],
                    environment: Self.password)
                #expect(run.status == 0, "\(run.stderr)")
                #expect(run.stdout.isEmpty, "the answer went to the page: \(run.stdout)")
                #expect(run.stderr.contains("Saved to \(page.path)."), "\(run.stderr)")
                let html = try String(contentsOf: page, encoding: .utf8)
                #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<meta charset=\"utf-8\">"))
                #expect(
                    html.contains("<h2>UNIT</h2>") && html.components(separatedBy: "<tr>").count == 1 + 1 + 3, "\(html)"
                )
                let mode = try FileManager.default.attributesOfItem(atPath: page.path)[.posixPermissions] as? Int
                #expect(mode == 0o600)
                // In a file of commands: the last answer, saved by the backslash command; output as usual.
                let second = home.appendingPathComponent("unit.html")
                let file = home.appendingPathComponent("save.clp")
                try "UNIT SHOW 02014\n\\html \(second.path)\n".write(to: file, atomically: true, encoding: .utf8)
                let saved = try await Client.run(
                    server, home, ["--user", "minh", "-f", file.path], environment: Self.password)
                #expect(saved.status == 0, "\(saved.stderr)")
                #expect(saved.stdout.contains("02014"))
                let unit = try String(contentsOf: second, encoding: .utf8)
                #expect(unit.contains("<td>02014</td>") || unit.contains(">02014<"), "\(unit)")
            }
        }

        @Test func messagesForPeopleNotLibraryInternals() async throws {
            try await TestServer.run { server in
                let home = try Client.home()
                defer { try? FileManager.default.removeItem(at: home) }
                let anonymous = try await Client.run(server, home, ["TASK", "LIST"])
                #expect(anonymous.status == 4, "\(anonymous)")
                #expect(anonymous.stderr.contains("give --user NAME"), "\(anonymous.stderr)")
                #expect(try await Client.run(server, home, ["PING"]).status == 0, "PING needs no login")
                let config = home.appendingPathComponent("caseline/config")
                try FileManager.default.createDirectory(
                    at: config.deletingLastPathComponent(), withIntermediateDirectories: true)
                try "user = minh\nfromat = json\n".write(to: config, atomically: true, encoding: .utf8)
                let misspelt = try await Client.run(server, home, ["PING"])
                #expect(misspelt.status == 2)
                #expect(misspelt.stderr.contains("config:2: unknown setting fromat (did you mean format?)"))
            }
            let home = try Client.home()
            defer { try? FileManager.default.removeItem(at: home) }
            let down = try await Peers.run(
                Client.executable, ["--port", "1", "PING"], environment: ["XDG_CONFIG_HOME": home.path])
            #expect(down.status == 3)
            #expect(down.stderr.contains("connection refused: no server listens there"), "\(down.stderr)")
            #expect(!down.stderr.contains("SingleConnectionFailure") && !down.stderr.contains("NIO"))
        }

        /// JSON typed per §11, one CSV table per answer with an optional BOM, values shown safely (issue 12).
        @Test func formatsForScriptsAndSafeDisplay() async throws {
            try await TestServer.run { server in
                let id = try await Self.submittedCase(server, title: "Real title\u{202E}EKAF\rFAKE")
                let home = try Client.home()
                defer { try? FileManager.default.removeItem(at: home) }
                let json = try await Client.run(
                    server, home, ["--user", "chutich", "--format", "json", "CASE", "SHOW", id],
                    environment: Self.password)
                #expect(json.stdout.contains(#""amount":20000000"#) && json.stdout.contains(#""rev":"#), "\(json)")
                #expect(!json.stdout.contains(#""rev":""#), "numbers are numbers")
                #expect(json.stdout.contains(#""title":"Real title\#u{202E}EKAF\rFAKE""#), "JSON stays exact")
                let csv = try await Client.run(
                    server, home, ["--user", "chutich", "--format", "csv", "--bom", "pending"],
                    environment: Self.password)
                #expect(csv.stdout.contains("type,case,kind,commune,title"), "\(csv.stdout)")
                // (Foundation drops a leading BOM when it decodes: the bytes are looked at.)
                let bytes = try await Peers.run(
                    "/bin/sh",
                    [
                        "-c",
                        "\"$0\" --port \(server.port) --ca \(server.certificateFile) --user chutich --format csv --bom pending | od -An -tx1 | head -1",
                        Client.executable,
                    ],
                    environment: Self.password.merging(["XDG_CONFIG_HOME": home.path, "XDG_CACHE_HOME": home.path]) {
                        $1
                    })
                #expect(bytes.stdout.hasPrefix(" ef bb bf 74 79 70 65"), "\(bytes)")
                #expect(csv.stdout.contains("PENDING-COUNT,"))
                let table = try await Client.run(
                    server, home, ["--user", "chutich", "pending"], environment: Self.password)
                #expect(table.stdout.contains("Real title<U+202E>EKAF\\rFAKE"), "\(table.stdout)")
                #expect(!table.stdout.contains("\u{202E}") && !table.stdout.contains("\r"))
                let raw = try await Client.run(
                    server, home, ["--user", "chutich", "--format", "raw", "pending"], environment: Self.password)
                #expect(raw.stdout.contains("Real title\u{202E}EKAF\\rFAKE"), "raw is the protocol line")
            }
        }

        /// Under a Vietnamese locale: amounts, dates, times in Vietnam's zone, labels and states in Vietnamese.
        @Test func tablesInVietnamese() async throws {
            try await TestServer.run { server in
                let id = try await Self.submittedCase(server, title: "Sửa nhà")
                let home = try Client.home()
                defer { try? FileManager.default.removeItem(at: home) }
                let vietnamese = Self.password.merging(["LANG": "vi_VN.UTF-8", "TZ": ""]) { $1 }
                let pending = try await Client.run(
                    server, home, ["--user", "chutich", "pending"], environment: vietnamese)
                #expect(
                    pending.stdout.contains("HỒ SƠ") && pending.stdout.contains("20.000.000 ₫"), "\(pending.stdout)")
                #expect(!pending.stdout.contains("20000000"))
                let timeline = try await Client.run(
                    server, home, ["--user", "chutich", "case", id], environment: vietnamese)
                #expect(timeline.stdout.contains("trạng thái: đã trình"), "\(timeline.stdout)")
                #expect(timeline.stdout.contains("vòng 1"))
                let today = Date()
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
                let day = calendar.dateComponents([.day, .month, .year], from: today)
                let shown = String(format: "%02d/%02d/%04d", day.day!, day.month!, day.year!)
                #expect(
                    timeline.stdout.contains(shown), "the waiting step's time, in Vietnam's zone: \(timeline.stdout)")
                // Scripts get the exact values whatever the locale.
                let csv = try await Client.run(
                    server, home, ["--user", "chutich", "--format", "csv", "pending"], environment: vietnamese)
                #expect(csv.stdout.contains(",20000000,"))
            }
        }
    }
}
