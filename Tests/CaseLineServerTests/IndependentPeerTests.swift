import CaseLineClient
import CaseLineProtocol
import Foundation
import Testing

/// The same protocol spoken by programs that share no code with CaseLine: OpenSSL's s_client and Python's ssl.
extension ServerSuites {
    @Suite("Independent peers: openssl s_client and Python ssl", .timeLimit(.minutes(3)))
    struct IndependentPeerTests {
        @Test func aSessionTypedThroughOpensslSClient() async throws {
            try await TestServer.run { server in
                // Bare LF line endings, as s_client sends them; -no_ign_eof would close at once, so s_client's stdin
                // is a script that ends with LOGOUT and the server's close ends the session.
                let script = "a1 LOGIN lan \"\(TestServer.password)\"\na2 PING \"Đồng Hới\"\na3 WHOAMI\na4 LOGOUT\n"
                let output = try await Peers.run(
                    "openssl",
                    [
                        "s_client", "-quiet", "-connect", "127.0.0.1:\(server.port)", "-CAfile", server.certificateFile,
                        "-verify_return_error", "-servername", "localhost",
                    ], input: script, timeout: 20)
                let lines = output.stdout.split(separator: "\r\n").map(String.init)
                #expect(
                    lines.first?.hasPrefix("* GREETING protocol=CLP/1") == true, "\(output.stdout)\n\(output.stderr)")
                #expect(lines.contains("a1 OK logged in"))
                #expect(lines.contains { $0.hasPrefix("* PONG") && $0.contains("text=\"Đồng Hới\"") })
                #expect(lines.contains { $0.hasPrefix("* SESSION user=lan") })
                #expect(lines.contains("* BYE logging out"))
                #expect(lines.last == "a4 OK goodbye")
            }
        }

        /// The audit chain as CLP1.md §10.6 documents it, recomputed by Python from AUDIT LIST: the spec's
        /// description, not our code, is what an external auditor would follow.
        @Test func pythonRecomputesTheAuditChainFromTheSpecification() async throws {
            try await TestServer.run { server in
                try await server.session("admin") { admin async throws in
                    #expect(
                        try await admin.request(
                            "COMMITTEE CREATE 19 name=\"Ban Chỉ đạo \\\"MTQG\\\" tỉnh Thái Nguyên\" decision=1234/QĐ-UBND decided=2025-08-15"
                        ).ok)
                    #expect(try await admin.request("COMMITTEE ADD-MEMBER CM-1 lan position=chair").ok)
                    #expect(try await admin.request("USER DISABLE minh reason=\"dòng 1\\ndòng 2\"").ok)
                    _ = try await admin.request("LOGIN nobody x")
                }
                try await server.connect { anonymous async throws in
                    _ = try await anonymous.request("LOGIN nobody wrong")
                }
                let output = try await Peers.run(
                    "python3",
                    [
                        Peers.directory.appendingPathComponent("peer.py").path, "audit", "\(server.port)",
                        server.certificateFile,
                    ],
                    environment: ["CASELINE_PASSWORD": TestServer.password], timeout: 20)
                #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
                #expect(output.stdout.contains("audit ok"), "\(output.stdout)")
            }
        }

        @Test func aSessionThroughPythonSSL() async throws {
            try await TestServer.run { server in
                let output = try await Peers.run(
                    "python3",
                    [
                        Peers.directory.appendingPathComponent("peer.py").path, "session", "\(server.port)",
                        server.certificateFile,
                    ],
                    environment: ["CASELINE_PASSWORD": TestServer.password], timeout: 20)
                #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
                #expect(output.stdout.contains("session ok"))
            }
        }

        @Test func tls11AndCleartextAreRefusedPromptly() async throws {
            try await TestServer.run { server in
                let peer = Peers.directory.appendingPathComponent("peer.py").path
                let tls11 = try await Peers.run(
                    "python3", [peer, "tls11", "\(server.port)", server.certificateFile], timeout: 10)
                #expect(tls11.stdout.hasPrefix("refused"), "\(tls11.stdout)\n\(tls11.stderr)")
                let plain = try await Peers.run(
                    "python3", [peer, "plain", "\(server.port)", server.certificateFile], timeout: 10)
                #expect(plain.stdout.hasPrefix("closed"), "\(plain.stdout)\n\(plain.stderr)")
                let openssl11 = try await Peers.run(
                    "openssl",
                    ["s_client", "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0", "-connect", "127.0.0.1:\(server.port)"],
                    timeout: 10)
                #expect(openssl11.status != 0)
                #expect(!openssl11.stdout.contains("GREETING"))
                // The server is unharmed.
                try await server.session("minh") { connection async throws in
                    #expect(try await connection.request("PING").ok)
                }
            }
        }

        @Test func aClientThatNeverReadsIsStoppedWithoutHarmingOthers() async throws {
            try await TestServer.run { server in
                let before = Self.residentBytes()
                let peer = Peers.directory.appendingPathComponent("peer.py").path
                async let flood = Peers.run(
                    "python3", [peer, "flood", "\(server.port)", server.certificateFile], timeout: 90)
                // While it floods, another session is served normally.
                try await Task.sleep(for: .seconds(1))
                try await server.session("minh") { connection async throws in
                    for _ in 0..<20 { #expect(try await connection.request("PING").ok) }
                }
                let output = try await flood
                let fields = output.stdout.split(separator: " ")
                let sent = Int(fields.count > 1 ? fields[1] : "") ?? -1
                #expect(output.stdout.contains("blocked yes"), "\(output.stdout)\n\(output.stderr)")
                // The server stopped reading long before 256 MiB: what it accepted is bounded by its in-flight
                // depth, its output buffer and the kernel's socket buffers.
                #expect(sent > 0 && sent < 64 << 20, "sent \(sent) bytes before the server stopped reading")
                let growth = Self.residentBytes() - before
                #expect(growth < 150 << 20, "resident memory grew by \(growth >> 20) MiB")
            }
        }

        static func residentBytes() -> Int {
            guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
            let pages = Int(statm.split(separator: " ")[1]) ?? 0
            return pages * 4096
        }
    }
}
