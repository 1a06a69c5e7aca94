import CaseLineClient
import CaseLineProtocol
import CaseLineServer
import Foundation
import Testing

extension ServerSuites {
    @Suite("Server limits", .timeLimit(.minutes(2)))
    struct ServerLimitTests {
        static func expectBye(_ connection: ClientConnection, _ code: String, within seconds: Double = 5) async throws {
            let started = ContinuousClock.now
            while true {
                let response = try await connection.next()
                if case .bye(let got, _, _) = response {
                    #expect(got == code)
                    #expect(ContinuousClock.now - started < .seconds(seconds))
                    return
                }
            }
        }

        @Test func overlongLinesAndOversizedLiteralsAreRefusedAndTheSessionContinues() async throws {
            try await TestServer.run(
                TestServer.configured {
                    $0.limits.framing = .init(maxLineBytes: 512, maxLiteralBytes: 1024, maxCommandBytes: 4096)
                }
            ) { server in
                try await server.session("minh") { connection async throws in
                    #expect(server.configuration.limits.framing.maxLineBytes == 512)
                    try await connection.send(
                        raw: Array(("l1 PING " + String(repeating: "x", count: 5000) + "\r\n").utf8))
                    let long = try await connection.read(tag: "l1")
                    #expect(long.code == "LINE-TOO-LONG")
                    try await connection.send(
                        raw: Array("l2 PING {5000}\r\n".utf8) + Array(repeating: 0x79, count: 5000) + Array("\r\n".utf8)
                    )
                    let literal = try await connection.read(tag: "l2")
                    #expect(literal.code == "LITERAL-TOO-LARGE")
                    #expect(try await connection.request("PING after").records.first?["text"] == "after")
                }
            }
        }

        @Test func tooManyConnectionsFromOneAddressAreRefused() async throws {
            try await TestServer.run(TestServer.configured { $0.limits.maxConnectionsPerAddress = 2 }) { server in
                try await server.connect { first async throws in
                    try await server.connect { second async throws in
                        // The third is refused with its reason; anything else (admitted, or closed without a
                        // BYE) fails here rather than skipping the checks after it.
                        let refusal = await #expect(throws: ClientConnection.ByeReceived.self) {
                            _ = try await server.connect { _ async throws in
                                Issue.record("a third connection was admitted")
                            }
                        }
                        guard case .bye(let code, _, _)? = refusal?.response else {
                            Issue.record("the third connection was not told why: \(String(describing: refusal))")
                            return
                        }
                        #expect(code == "TOO-MANY-CONNECTIONS")
                        #expect(try await first.request("PING").ok)
                        #expect(try await second.request("PING").ok)
                    }
                }
                // Released connections free their places.
                try await server.connect { connection async throws in #expect(try await connection.request("PING").ok) }
            }
        }

        @Test func loginTimeoutClosesUnauthenticatedConnections() async throws {
            try await TestServer.run(TestServer.configured { $0.timeouts.login = .seconds(2) }) { server in
                try await server.connect { connection async throws in
                    #expect(try await connection.request("PING").ok)
                    try await Self.expectBye(connection, "LOGIN-TIMEOUT", within: 6)
                }
                // A session that logs in in time is not affected.
                try await server.session("minh") { connection async throws in
                    try await Task.sleep(for: .milliseconds(2500))
                    #expect(try await connection.request("PING").ok)
                }
            }
        }

        @Test func idleTimeoutClosesSilentSessions() async throws {
            try await TestServer.run(TestServer.configured { $0.timeouts.idle = .seconds(2) }) { server in
                try await server.session("minh") { connection async throws in
                    // Requests more often than the timeout keep the session alive well past it.
                    for _ in 0..<10 {
                        try await Task.sleep(for: .milliseconds(300))
                        #expect(try await connection.request("PING").ok)
                    }
                    try await Self.expectBye(connection, "IDLE-TIMEOUT", within: 6)
                }
            }
        }

        @Test func tooManyBadRequestsBeforeLoginCloseTheConnection() async throws {
            try await TestServer.run { server in
                try await server.connect { connection async throws in
                    #expect(try await connection.request("NOPE").completion.status == .bad)
                    #expect(try await connection.request("WHOAMI").code == "AUTH-REQUIRED")
                    try await connection.send(raw: Array("x3 \"broken\r\n".utf8))
                    try await Self.expectBye(connection, "TOO-MANY-ERRORS")
                }
            }
        }

        @Test func tooManyBadRequestsInASessionCloseIt() async throws {
            try await TestServer.run(TestServer.configured { $0.limits.badCommands = 5 }) { server in
                try await server.session("minh") { connection async throws in
                    for _ in 0..<4 { #expect(try await connection.request("NOPE").completion.status == .bad) }
                    #expect(try await connection.request("PING").ok)
                    try await connection.send(raw: Array("x5 NOPE\r\n".utf8))
                    try await Self.expectBye(connection, "TOO-MANY-ERRORS")
                }
            }
        }
    }
}
