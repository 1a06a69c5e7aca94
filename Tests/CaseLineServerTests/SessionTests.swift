import CaseLineClient
import CaseLineProtocol
import CaseLineServer
import Foundation
import Testing

extension ServerSuites {
    @Suite("Sessions over real TLS", .timeLimit(.minutes(2)))
    struct SessionTests {
        // Also on PostgreSQL: the end-to-end paths that matter run once on each store.
        @Test(arguments: TestServer.Backend.allCases)
        func greetingHelloLoginPingWhoamiHelpLogout(_ backend: TestServer.Backend) async throws {
            try await TestServer.run(backend: backend) { server in
                try await server.connect { connection in
                    let greeting = try #require(connection.greeting)
                    #expect(greeting["protocol"] == "CLP/1")
                    #expect(greeting["max-line"] == "8192")
                    #expect(greeting["auth"] == "none")

                    let hello = try await connection.request("HELLO 1 client=tests")
                    #expect(hello.ok)
                    #expect(hello.records.first?.type == "HELLO")
                    let wrongVersion = try await connection.request("HELLO 2")
                    #expect(wrongVersion.code == "VERSION-UNSUPPORTED")
                    #expect(wrongVersion.completion.details.first?.value == "1")

                    let early = try await connection.request("WHOAMI")
                    #expect(early.code == "AUTH-REQUIRED")

                    let login = try await connection.request("LOGIN lan \"\(TestServer.password)\"")
                    #expect(login.ok)
                    #expect(login.records.first?["role"] == "chair")
                    #expect(login.records.first?["name"] == "Nguyễn Thị Lan")

                    let again = try await connection.request("LOGIN lan \"\(TestServer.password)\"")
                    #expect(again.code == "ALREADY-AUTHENTICATED")

                    let ping = try await connection.request("PING \"xin chào\"")
                    #expect(ping.records.first?["text"] == "xin chào")

                    let whoami = try await connection.request("whoami")
                    #expect(whoami.records.first?["user"] == "lan")
                    #expect(whoami.records.first?["via"] == "password")
                    #expect(whoami.records.last?.type == "LIMITS")
                    #expect(whoami.records.last?["sessions"] == "1")

                    let help = try await connection.request("HELP")
                    #expect(help.records.count == CommandRegistry.table.commands.count)
                    let helpTask = try await connection.request("HELP TASK CREATE")
                    #expect(helpTask.records.first?["syntax"] == CommandRegistry.table["TASK CREATE"]?.syntax)
                    #expect(
                        helpTask.records.contains {
                            $0.type == "PARAM" && $0["name"] == "title" && $0["required"] == "yes"
                        })
                    // One request for the whole table: every command, each followed by its parameters.
                    let everything = try await connection.request("HELP params=yes")
                    let paramCount = CommandRegistry.table.commands.reduce(0) {
                        $0 + $1.positionals.count + $1.options.count
                    }
                    #expect(
                        everything.records.filter { $0.type == "HELP" }.count == CommandRegistry.table.commands.count)
                    #expect(everything.records.filter { $0.type == "PARAM" }.count == paramCount)
                    let loginIndex = everything.records.firstIndex { $0["command"] == "LOGIN" && $0.type == "HELP" }
                    #expect(loginIndex.map { everything.records[$0 + 2]["secret"] } == "yes")
                    let helpMissing = try await connection.request("HELP NOPE")
                    #expect(helpMissing.code == "NOT-FOUND")

                    let watch = try await connection.request("WATCH")
                    #expect(watch.ok)
                    #expect(watch.records.first?.type == "WATCHING")
                    let forbidden = try await connection.request("METRICS")
                    #expect(forbidden.code == "FORBIDDEN")

                    let logout = try await connection.request("LOGOUT")
                    #expect(logout.ok)
                    #expect(logout.others.contains { if case .bye(nil, _, _) = $0 { true } else { false } })
                    await #expect(throws: ClientConnection.Failure.self) { _ = try await connection.next() }
                }
            }
        }

        @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
            try await TestServer.run { server in
                try await server.session("minh") { connection in
                    var batch = ""
                    for index in 0..<200 { batch += "p\(index) PING n\(index)\r\n" }
                    batch += "bad\u{1} PING\r\n"
                    batch += "w1 WHOAMI\r\n"
                    try await connection.send(raw: Array(batch.utf8))
                    var tags: [String] = []
                    while tags.last != "w1" {
                        if case .completion(let completion) = try await connection.next() {
                            tags.append(completion.tag ?? "*")
                        }
                    }
                    #expect(tags == (0..<200).map { "p\($0)" } + ["*", "w1"])
                }
            }
        }

        @Test func malformedRequestsKeepTheirTagAndTheSessionGoesOn() async throws {
            try await TestServer.run { server in
                try await server.session("minh") { connection in
                    let cases: [(String, String)] = [
                        ("PING \"unterminated", "UNTERMINATED-QUOTE"), ("PING \"bad \\q\"", "BAD-ESCAPE"),
                        ("NOPE", "UNKNOWN-COMMAND"), ("TOKEN CREATE", "MISSING-ARGUMENT"),
                        ("PING a b", "TOO-MANY-ARGUMENTS"), ("TOKEN CREATE x expires=2026-02-30", "BAD-VALUE"),
                    ]
                    for (line, code) in cases {
                        let result = try await connection.request(line)
                        #expect(result.completion.status == .bad)
                        #expect(result.code == code, "\(line)")
                    }
                    #expect(try await connection.request("PING").ok)
                }
            }
        }
    }
}
