import Foundation
import NIOSSL
import PostgresNIO

/// Where the PostgreSQL store is and how to reach it: `postgres://USER@HOST:PORT/DATABASE?sslmode=…`. The
/// password never travels in the URL (a URL is seen in `ps`, logs and shell history): it comes from a file or
/// the environment (`password`), and a URL that carries one is refused.
public struct PostgresStoreConfiguration: Sendable, Hashable {
    /// How the connection is protected, as libpq's `sslmode` names it (the subset that means something here).
    public enum TLSMode: String, Sendable, Hashable {
        /// Plain TCP (a loopback or a private network).
        case disable
        /// TLS, the server's certificate verified against `rootCertificate` or the system's roots, and its name.
        case verifyFull = "verify-full"
        /// TLS, the certificate not verified (encryption against a passive listener only).
        case require
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// PEM file of the authority that signed the server's certificate (`sslrootcert=`), for `verify-full`.
    public var rootCertificate: String?
    /// Connections per node (the pool's maximum); one more is held for LISTEN.
    public var maximumConnections: Int
    /// How long opening waits to reach the server before it refuses to start.
    public var openTimeout: Duration = .seconds(20)

    public init(
        host: String, port: Int = 5432, user: String, password: String? = nil, database: String,
        tls: TLSMode = .disable, rootCertificate: String? = nil, maximumConnections: Int = 16
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.tls = tls
        self.rootCertificate = rootCertificate
        self.maximumConnections = maximumConnections
    }

    /// Reads `postgres://USER@HOST[:PORT]/DATABASE[?sslmode=disable|require|verify-full&sslrootcert=FILE]`.
    public init(url text: String, password: String? = nil) throws {
        guard let components = URLComponents(string: text),
            components.scheme == "postgres" || components.scheme == "postgresql"
        else { throw PostgresStoreConfigurationError("\(text) is not a postgres:// URL") }
        guard components.password == nil else {
            throw PostgresStoreConfigurationError(
                "the URL holds a password; give it in a file or the environment instead (never on a command line)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw PostgresStoreConfigurationError("the URL names no host")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw PostgresStoreConfigurationError("the URL names no database") }
        self.init(
            host: host, port: components.port ?? 5432, user: components.user ?? "postgres", password: password,
            database: database)
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = TLSMode(rawValue: item.value ?? "") else {
                    throw PostgresStoreConfigurationError(
                        "sslmode=\(item.value ?? "") is not one of disable, require, verify-full")
                }
                tls = mode
            case "sslrootcert": rootCertificate = item.value
            case "pool":
                guard let value = item.value.flatMap(Int.init), (1...500).contains(value) else {
                    throw PostgresStoreConfigurationError("pool= must be a number from 1 to 500")
                }
                maximumConnections = value
            default: throw PostgresStoreConfigurationError("unknown URL option \(item.name)")
            }
        }
    }

    /// The URL without the password, for logs.
    public var description: String {
        var text = "postgres://\(user)@\(host):\(port)/\(database)"
        if tls != .disable { text += "?sslmode=\(tls.rawValue)" }
        return text
    }

    func clientConfiguration() throws -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: try clientTLS())
        configuration.options.maximumConnections = maximumConnections
        // Every connection of the pool starts with commits flushed before they are acknowledged, whatever the
        // server's or the role's default; `Durability.require` checks it is in force.
        configuration.options.additionalStartupParameters = [("synchronous_commit", "on")]
        if tls == .verifyFull { configuration.options.tlsServerName = host }
        return configuration
    }

    func clientTLS() throws -> PostgresClient.Configuration.TLS {
        switch tls {
        case .disable: return .disable
        case .require:
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            return .require(tls)
        case .verifyFull:
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .fullVerification
            if let rootCertificate {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(rootCertificate))
            }
            return .require(tls)
        }
    }
}

/// A store URL or setting that cannot be used.
public struct PostgresStoreConfigurationError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
