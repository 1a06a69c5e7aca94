import CaseLineDomain
import CaseLineServer
import CaseLineStore
import Foundation
import Logging
import NIOPosix

/// The files of a data directory: `caseline.conf`, `cert.pem`, `key.pem`, `caseline.sqlite` (+ WAL files).
struct DataDirectory {
    let url: URL

    var configURL: URL { url.appendingPathComponent("caseline.conf") }

    func resolve(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : url.appendingPathComponent(path)
    }

    var exists: Bool { FileManager.default.fileExists(atPath: configURL.path) }

    /// A data directory made by `init`, or a clear error naming the path.
    static func existing(_ path: String) throws -> DataDirectory {
        let directory = DataDirectory(url: URL(fileURLWithPath: path))
        guard directory.exists else {
            throw CLIError("\(path) is not a CaseLine data directory (it has no caseline.conf)")
        }
        return directory
    }

    /// Creates the directory with its configuration, certificate and store. Refuses to touch an existing one.
    func initialise(
        settings: Settings, certificate: (cert: URL, key: URL)?, admin: String
    ) async throws -> (password: String?, fingerprint: String) {
        let manager = FileManager.default
        if manager.fileExists(atPath: url.path) {
            let contents = try manager.contentsOfDirectory(atPath: url.path)
            guard contents.isEmpty else {
                throw CLIError("\(url.path) already exists and is not empty; refusing to overwrite it")
            }
        }
        try manager.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try ConfigurationLoader.defaultFile(for: settings).write(to: configURL, atomically: true, encoding: .utf8)
        let fingerprint: String
        if let certificate {
            try manager.copyItem(at: certificate.cert, to: resolve(settings.server.tls.certificate))
            try manager.copyItem(at: certificate.key, to: resolve(settings.server.tls.key))
            fingerprint = try CertificateFactory.fingerprint(pem: String(contentsOf: certificate.cert, encoding: .utf8))
        } else {
            let generated = try CertificateFactory.selfSigned()
            try generated.certificatePEM.write(
                to: resolve(settings.server.tls.certificate), atomically: true, encoding: .utf8)
            try generated.privateKeyPEM.write(
                to: resolve(settings.server.tls.key), atomically: true, encoding: .utf8)
            fingerprint = generated.fingerprint
        }
        try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: resolve(settings.server.tls.key).path)
        let store = try await openStore(settings.store).store
        // Another node's directory on a shared store that is already set up: its units and users are there.
        if try await store.userCount() > 0 {
            try await store.close()
            return (nil, fingerprint)
        }
        let (units, links) = try UnitResource.bundled()
        try await store.replaceUnits(
            units, links: links,
            audit: AuditEntry(
                actor: .system("init"), command: "init", entity: "unit:*",
                change: "loaded \(units.count) units and \(links.count) lineage links (vietnamadminunits 1.0.4)"))
        let password = OneTimePassword.generate()
        let hasher = PasswordHasher(parameters: settings.server.auth.kdf, pool: .singleton)
        try await store.createUser(
            User(login: admin, name: "Quản trị hệ thống", role: .admin, scope: .national, mustChangePassword: true),
            passwordHash: try await hasher.hash(password),
            audit: AuditEntry(
                actor: .system("init"), command: "init", entity: "user:\(admin)", change: "first administrator created")
        )
        try await store.close()
        return (password, fingerprint)
    }

    /// The configuration file, then `CASELINE_…` variables.
    func loadConfiguration(environment: [String: String]) throws -> Settings {
        var configuration = Settings()
        let text = try String(contentsOf: configURL, encoding: .utf8)
        try ConfigurationLoader.apply(file: text, named: configURL.path, to: &configuration)
        try ConfigurationLoader.apply(environment: environment, to: &configuration)
        return configuration
    }
}

struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Random passwords for first logins: 16 characters from an alphabet without look-alikes (0/O, 1/l/I).
enum OneTimePassword {
    static let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    static func generate(length: Int = 16) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
