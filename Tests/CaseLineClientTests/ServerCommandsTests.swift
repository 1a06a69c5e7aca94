import CaseLineClient
import CaseLineProtocol
import Foundation
import Testing

@testable import caseline

/// The command table the client learns from `HELP params=yes`, its cache, and what it decides with it.
@Suite("The server's command table in the client")
struct ServerCommandsTests {
    static let records: [Record] = [
        Record(
            "HELP",
            [
                Field("command", "PING"), Field("group", "session"), Field("syntax", "PING [<text>]"),
                Field("summary", "Check."), Field("before-login", "yes"), Field("allowed", "yes"),
            ]),
        Record(
            "PARAM",
            [
                Field("command", "PING"), Field("name", "text"), Field("form", "positional"), Field("position", "1"),
                Field("kind", "text"), Field("max", "256"), Field("required", "no"), Field("secret", "no"),
            ]),
        Record(
            "HELP",
            [
                Field("command", "PASSWORD"), Field("group", "session"), Field("syntax", "PASSWORD <old> <new>"),
                Field("summary", "Change."), Field("before-login", "no"), Field("allowed", "yes"),
            ]),
        Record(
            "PARAM",
            [
                Field("command", "PASSWORD"), Field("name", "old"), Field("form", "positional"),
                Field("position", "1"), Field("kind", "text"), Field("required", "yes"), Field("secret", "yes"),
            ]),
        Record(
            "HELP",
            [
                Field("command", "TASK LIST"), Field("group", "tasks"), Field("syntax", "TASK LIST …"),
                Field("summary", "List."), Field("before-login", "no"), Field("allowed", "yes"),
            ]),
        Record(
            "PARAM",
            [
                Field("command", "TASK LIST"), Field("name", "state"), Field("form", "option"),
                Field("kind", "new|assigned|done"), Field("required", "no"), Field("secret", "no"),
            ]),
        Record(
            "PARAM",
            [
                Field("command", "TASK LIST"), Field("name", "mine"), Field("form", "option"), Field("kind", "yes|no"),
                Field("required", "no"), Field("secret", "no"),
            ]),
    ]

    static let table = try! ServerCommands(records: records, server: "caseline/0.1.0")

    @Test func parsedFromHelpWithParams() throws {
        #expect(Self.table.commands.map(\.name) == ["PING", "PASSWORD", "TASK LIST"])
        #expect(Self.table["PASSWORD"]?.isSecret == true)
        #expect(Self.table["PING"]?.isSecret == false)
        #expect(Self.table["TASK LIST"]?.option("state")?.choices == ["new", "assigned", "done"])
        #expect(Self.table.families == ["TASK"])
        #expect(Self.table.resolve(["task", "list", "mine=yes"])?.entry.name == "TASK LIST")
        #expect(throws: ServerCommands.Malformed.self) {
            try ServerCommands(records: [Record("PARAM", [Field("command", "X"), Field("name", "y")])], server: "s")
        }
    }

    @Test func wordsBecomeACommandByTheTable() throws {
        let command = try CommandWords.command(
            ["task", "list", "mine=yes", "State=new"], tag: "t1", table: Self.table
        ).get()
        #expect(command.name == "TASK LIST" && command.options == ["mine": "yes", "state": "new"])
        let ping = try CommandWords.command(["PING", "a=b"], tag: "t2", table: Self.table).get()
        #expect(ping.arguments == ["a=b"], "a word with = that is no option of the command stays a value")
        #expect(throws: CommandWords.Failure.self) {
            try CommandWords.command(["FLY"], tag: "t3", table: Self.table).get()
        }
    }

    @Test func cachedPerServerAndVersion() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("caseline-cache-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = CommandCache(directory: directory)
        #expect(cache.load(host: "127.0.0.1", port: 7433, server: "caseline/0.1.0") == nil)
        try cache.store(Self.table, host: "127.0.0.1", port: 7433)
        #expect(cache.load(host: "127.0.0.1", port: 7433, server: "caseline/0.1.0") == Self.table)
        #expect(cache.load(host: "127.0.0.1", port: 7433, server: "caseline/0.2.0") == nil, "another version")
        #expect(cache.load(host: "127.0.0.1", port: 7434, server: "caseline/0.1.0") == nil, "another port")
    }

    /// A line with a secret never reaches the history, nor one that is no command at all (a password typed at
    /// the prompt by mistake), nor any protocol line while the table is unknown.
    @Test func secretLinesAreDecidedByTheTable() {
        #expect(Interactive.isSecret("PASSWORD alt neu-und-lang", Self.table))
        #expect(Interactive.isSecret("password alt neu", Self.table))
        #expect(Interactive.isSecret("mật-khẩu-của-tôi", Self.table))
        #expect(!Interactive.isSecret("TASK LIST mine=yes", Self.table))
        #expect(!Interactive.isSecret("approve C-7 được", Self.table))
        #expect(!Interactive.isSecret("\\x", Self.table))
        #expect(Interactive.isSecret("TASK LIST mine=yes", nil))
    }

    @Test func completionOffersVerbsValuesAndOptionsInTheCaseTyped() {
        Completion.table = Self.table
        defer { Completion.table = nil }
        #expect(Completion.choices(before: "", prefix: "appr") == ["approve"])
        #expect(Completion.choices(before: "", prefix: "tas") == ["tasks", "task"])
        #expect(Completion.choices(before: "", prefix: "TAS") == ["TASK"])
        #expect(Completion.choices(before: "task ", prefix: "l") == ["list"])
        #expect(Completion.choices(before: "TASK LIST ", prefix: "state=a") == ["state=assigned"])
        #expect(Completion.choices(before: "TASK LIST ", prefix: "m") == ["mine="])
        Completion.remember([Record("PENDING", [Field("case", "C-7"), Field("commune", "02014")])])
        #expect(Completion.choices(before: "case ", prefix: "C-") == ["C-7"])
        #expect(Completion.choices(before: "watch ", prefix: "commune=0") == ["commune=02014"])
    }
}
