import CaseLineClient
import CaseLineProtocol
import Foundation
import NIOSSL
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real `caseline-server` executable: `init`, then `serve`, then SIGTERM under load.
extension ServerSuites {
    @Suite("The caseline-server process", .timeLimit(.minutes(3)))
    struct ServerProcessTests {
        /// SwiftPM builds every product before running tests; the executable sits beside the test bundle.
        static var executable: URL {
            let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            for candidate in [beside, beside.deletingLastPathComponent()] {
                let url = candidate.appendingPathComponent("caseline-server")
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
            }
            return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug/caseline-server")
        }

        static func temporaryDirectory() -> URL {
            FileManager.default.temporaryDirectory.appendingPathComponent("caseline-process-\(UUID().uuidString)")
        }

        @Test func initRefusesToOverwriteAndPrintsAOneTimePassword() async throws {
            let data = Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: data) }
            let first = try await Peers.run(Self.executable.path, ["init", "--data", data.path], timeout: 60)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("One-time password"))
            #expect(first.stdout.contains("SHA-256"))
            let config = try String(contentsOf: data.appendingPathComponent("caseline.conf"), encoding: .utf8)
            #expect(config.contains("listen.port = 7433"))
            #expect(config.contains("# Seconds to authenticate after connecting."))
            let keyAttributes = try FileManager.default.attributesOfItem(
                atPath: data.appendingPathComponent("key.pem").path)
            #expect((keyAttributes[.posixPermissions] as? Int) == 0o600)
            let second = try await Peers.run(Self.executable.path, ["init", "--data", data.path], timeout: 60)
            #expect(second.status != 0)
            #expect(second.stderr.contains("refusing to overwrite"))
        }

        @Test func badConfigurationIsReportedWithItsLine() async throws {
            let data = Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: data) }
            _ = try await Peers.run(Self.executable.path, ["init", "--data", data.path], timeout: 60)
            let config = data.appendingPathComponent("caseline.conf")
            try (try String(contentsOf: config, encoding: .utf8) + "\nlimits.max-line = lots\n").write(
                to: config, atomically: true, encoding: .utf8)
            let serve = try await Peers.run(Self.executable.path, ["serve", "--data", data.path], timeout: 30)
            #expect(serve.status != 0)
            #expect(serve.stderr.contains("limits.max-line must be a whole number"), "\(serve.stderr)")
        }

        @Test func sigtermUnderLoadFinishesInFlightCommandsAndExitsZero() async throws {
            let data = Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: data) }
            let initialised = try await Peers.run(Self.executable.path, ["init", "--data", data.path], timeout: 60)
            let password = try #require(
                initialised.stdout.split(separator: "\n").first { $0.contains("One-time password") }?.split(
                    separator: " "
                ).last)

            let log = data.appendingPathComponent("serve.log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let process = try ChildProcess(
                Self.executable.path, ["serve", "--data", data.path, "--host", "127.0.0.1", "--port", "0"],
                standardOutput: .null, standardError: .file(log.path))

            var port = 0
            for _ in 0..<200 where port == 0 {
                try await Task.sleep(for: .milliseconds(50))
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                if let range = text.range(of: "caseline.address=[IPv4]127.0.0.1/127.0.0.1:") {
                    port = Int(text[range.upperBound...].prefix { $0.isNumber }) ?? 0
                }
            }
            try #require(port > 0, "the server did not report its port")
            let serverPort = port
            let adminPassword = String(password)

            var clientTLS = TLSConfiguration.makeClientConfiguration()
            clientTLS.trustRoots = .file(data.appendingPathComponent("cert.pem").path)
            let tls = clientTLS
            let pid = process.pid
            let (started, startedSink) = AsyncStream.makeStream(of: Void.self)
            let results = try await withThrowingTaskGroup(of: (answered: Int, sawShutdown: Bool).self) { group in
                for client in 0..<4 {
                    group.addTask {
                        try await ClientConnection.connect(
                            host: "127.0.0.1", port: serverPort, tls: tls, serverHostname: "localhost"
                        ) {
                            connection in
                            var answered = 0
                            var sent = 0
                            // Keep requests in flight until the server says goodbye.
                            while true {
                                var batch = ""
                                for _ in 0..<50 {
                                    batch += "c\(client)n\(sent) PING\r\n"
                                    sent += 1
                                }
                                if client == 0 && sent == 50 { batch += "slow LOGIN admin \(adminPassword)\r\n" }
                                // A send can fail once the server has closed; its BYE may still be waiting to be read.
                                try? await connection.send(raw: Array(batch.utf8))
                                while true {
                                    let response: Response
                                    do { response = try await connection.next() } catch { return (answered, false) }
                                    if case .bye(let code, _, _) = response { return (answered, code == "SHUTDOWN") }
                                    if case .completion(let completion) = response {
                                        #expect(completion.status == .ok, "\(completion)")
                                        answered += 1
                                        if completion.tag == "c\(client)n49" { startedSink.yield() }
                                        if completion.tag == "c\(client)n\(sent - 1)" { break }
                                    }
                                }
                            }
                        }
                    }
                }
                // SIGTERM once every client has had answers, so that all of them are mid-load when it lands.
                var ready = 0
                for await _ in started {
                    ready += 1
                    if ready == 4 { break }
                }
                try await Task.sleep(for: .milliseconds(200))
                kill(pid, SIGTERM)
                var all: [(answered: Int, sawShutdown: Bool)] = []
                for try await result in group { all.append(result) }
                return all
            }
            let status = await process.wait(timeout: .seconds(15))
            #expect(status != nil, "the server did not exit within 15 s of SIGTERM")
            #expect(status == 0)
            for result in results {
                #expect(result.answered > 0)
                #expect(result.sawShutdown, "every open session is told goodbye with BYE [SHUTDOWN]")
            }
            let text = try String(contentsOf: log, encoding: .utf8)
            #expect(text.contains("stopped"))
            #expect(!text.contains(String(password)), "the password never reaches the log")
        }
    }
}
