import ArgumentParser
import CaseLineDomain
import CaseLineServer
import CaseLineStore
import Foundation
import NIOPosix

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create (if absent) and serve a demo data directory with a living demo province.")

    @Option(name: .long, help: "The demo data directory.")
    var data: String = "caseline-demo"

    @OptionGroup var overrides: ServeOverrides

    func run() async throws {
        let directory = DataDirectory(url: URL(fileURLWithPath: data))
        if !directory.exists {
            var configuration = ServerConfiguration()
            // The demo listens on loopback only: it has well-known passwords.
            configuration.host = "127.0.0.1"
            let (password, _) = try await directory.initialise(
                configuration: configuration, certificate: nil, admin: "admin")
            try await DemoData.seed(directory: directory, configuration: configuration, adminPassword: password)
        }
        let data = data
        try await Serving.run(directory: directory, overrides: overrides) { line in
            let parts = line.split(separator: "|")
            FileHandle.standardOutput.write(
                Data(DemoData.banner(directory: data, port: String(parts[0]), fingerprint: String(parts[1])).utf8))
        }
    }
}

/// The demo province: accounts with well-known passwords (printed at start), so that a newcomer can log in
/// at once. The data grows with each capability of the server.
enum DemoData {
    static let password = "caseline-demo"
    static let users: [User] = [
        User(login: "admin", name: "Quản trị hệ thống", role: .admin, scope: .national),
        User(login: "lan", name: "Nguyễn Thị Lan", role: .chair, scope: .province("19")),
        User(login: "minh", name: "Hoàng Văn Minh", role: .officer, scope: .province("19")),
        User(login: "thuy", name: "Lê Thị Thủy", role: .staff, scope: .province("19")),
        User(login: "kiemtoan", name: "Phạm Quốc Bảo", role: .auditor, scope: .national),
    ]

    static func seed(directory: DataDirectory, configuration: ServerConfiguration, adminPassword: String) async throws {
        let store = try SQLiteStore(path: directory.resolve(configuration.storePath).path)
        let hasher = PasswordHasher(parameters: configuration.kdf, pool: .singleton)
        let hash = try await hasher.hash(password)
        let audit = { (user: User) in
            AuditEntry(actor: .system("demo"), command: "demo", entity: "user:\(user.login)", change: "demo account")
        }
        for user in users {
            if user.login == "admin" {
                try await store.setPassword(login: "admin", passwordHash: hash, mustChange: false, audit: audit(user))
            } else {
                try await store.createUser(user, passwordHash: hash, audit: audit(user))
            }
        }
        try await store.close()
    }

    static func banner(directory: String, port: String, fingerprint: String) -> String {
        """

        CaseLine demo is running on 127.0.0.1:\(port) (data in \(directory)/).
          Certificate SHA-256: \(fingerprint)
          Accounts (password "\(password)" for all): \(users.map { "\($0.login) (\($0.role.rawValue))" }.joined(separator: ", "))
          Try it by hand:
            openssl s_client -quiet -connect 127.0.0.1:\(port)
            a1 LOGIN lan \(password)
            a2 WHOAMI
            a3 HELP
            a4 LOGOUT
          Stop with Ctrl-C.

        """
    }
}
