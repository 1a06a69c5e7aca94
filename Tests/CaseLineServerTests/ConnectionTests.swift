import CaseLineClient
import CaseLineDomain
import CaseLineProtocol
import CaseLineServer
import CaseLineStore
import CaseLineStoreSQLite
import Foundation
import NIOSSL
import Testing

extension ServerSuites {
    @Suite("Client certificates, handshakes and session limits", .timeLimit(.minutes(2)))
    struct ConnectionTests {
        @Test func aMappedClientCertificateLogsTheSessionIn() async throws {
            try await TestServer.run { server in
                let client = try CertificateFactory.selfSigned(commonName: "minh")
                let fingerprint = client.fingerprint.lowercased().replacingOccurrences(of: ":", with: "")
                try await server.store.setCertificateFingerprint(
                    login: "minh", fingerprint: fingerprint,
                    audit: AuditEntry(
                        actor: .system("test"), command: "test", entity: "user:minh", change: "certificate"))
                var tls = server.clientTLS
                tls.certificateChain = [
                    .certificate(try NIOSSLCertificate(bytes: Array(client.certificatePEM.utf8), format: .pem))
                ]
                tls.privateKey = .privateKey(
                    try NIOSSLPrivateKey(bytes: Array(client.privateKeyPEM.utf8), format: .pem))
                try await ClientConnection.connect(
                    host: "127.0.0.1", port: server.port, tls: tls, serverHostname: "localhost"
                ) {
                    connection async throws in
                    #expect(connection.greeting?["auth"] == "certificate")
                    #expect(connection.greeting?["user"] == "minh")
                    let whoami = try await connection.request("WHOAMI")
                    #expect(whoami.records.first?["via"] == "certificate")
                }
                // An unmapped certificate is simply not a login.
                let stranger = try CertificateFactory.selfSigned(commonName: "stranger")
                tls.certificateChain = [
                    .certificate(try NIOSSLCertificate(bytes: Array(stranger.certificatePEM.utf8), format: .pem))
                ]
                tls.privateKey = .privateKey(
                    try NIOSSLPrivateKey(bytes: Array(stranger.privateKeyPEM.utf8), format: .pem))
                try await ClientConnection.connect(
                    host: "127.0.0.1", port: server.port, tls: tls, serverHostname: "localhost"
                ) {
                    connection async throws in
                    #expect(connection.greeting?["auth"] == "none")
                    #expect(try await connection.request("WHOAMI").code == "AUTH-REQUIRED")
                }
            }
        }

        @Test func aConnectionThatNeverStartsTLSIsClosedAfterTheHandshakeTimeout() async throws {
            try await TestServer.run(TestServer.configured { $0.tls.handshakeTimeout = .seconds(1) }) { server in
                let output = try await Peers.run(
                    "python3",
                    [Peers.directory.appendingPathComponent("peer.py").path, "silent", "\(server.port)", "-"],
                    timeout: 20)
                let seconds = Double(output.stdout.split(separator: " ").dropFirst(2).first ?? "") ?? -1
                #expect(seconds >= 0.9 && seconds < 5, "\(output.stdout) \(output.stderr)")
            }
        }

        @Test func sessionsPerUserAreLimited() async throws {
            try await TestServer.run(TestServer.configured { $0.limits.maxSessionsPerUser = 1 }) { server in
                try await server.session("lan") { _ async throws in
                    try await server.connect { second async throws in
                        let refused = try await second.request("LOGIN lan \"\(TestServer.password)\"")
                        #expect(refused.code == "TOO-MANY-REQUESTS")
                    }
                }
                // The first session's end frees its place.
                try await server.session("lan") { connection async throws in
                    #expect(try await connection.request("PING").ok)
                }
            }
        }
    }
}
