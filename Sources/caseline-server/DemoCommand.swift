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
        User(login: "hung", name: "Trần Văn Hùng", role: .deputy, scope: .province("19")),
        User(login: "thuy", name: "Lê Thị Thủy", role: .staff, scope: .commune("02014")),
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
        try await seedOrganisation(store)
        try await store.close()
    }

    /// Two commune steering committees of Thái Nguyên with their members and assignments; one commune left
    /// without a lead. The province's own committee is left for the newcomer to create (README walkthrough).
    static func seedOrganisation(_ store: SQLiteStore) async throws {
        let actor = Actor.system("demo")
        func entry(_ entity: String, _ change: String) -> AuditEntry {
            AuditEntry(actor: actor, command: "demo", entity: entity, change: change)
        }
        let bachThong = try await store.createCommittee(
            unit: "02014", name: "Ban Chỉ đạo xã Bạch Thông", decision: "88/QĐ-UBND", decided: "2025-09-02",
            claim: nil, audit: entry("committee:-", "demo committee"))
        let choRa = try await store.createCommittee(
            unit: "01912", name: "Ban Chỉ đạo xã Chợ Rã", decision: "102/QĐ-UBND", decided: "2025-09-10",
            claim: nil, audit: entry("committee:-", "demo committee"))
        let seats: [(Committee, String, Committee.Position)] = [
            (bachThong, "hung", .deputy), (bachThong, "minh", .standing), (bachThong, "thuy", .member),
            (choRa, "lan", .member), (choRa, "minh", .member),
        ]
        for (committee, login, position) in seats {
            _ = try await store.addMember(
                Committee.Member(committee: committee.id, login: login, position: position, since: committee.decided),
                expectedRevision: nil, audit: entry("committee:\(committee.id)", "member added: \(login)"))
        }
        let assignments: [(String, String, Assignment.Role, String, Committee)] = [
            ("02014", "minh", .lead, "12/QĐ-BCĐ", bachThong), ("02014", "thuy", .support, "12/QĐ-BCĐ", bachThong),
            ("01912", "lan", .lead, "15/QĐ-BCĐ", choRa), ("01912", "minh", .support, "15/QĐ-BCĐ", choRa),
        ]
        for (commune, login, role, decision, committee) in assignments {
            _ = try await store.createAssignment(
                Assignment(
                    id: "", commune: commune, login: login, role: role, from: "2025-09-15", decision: decision,
                    committee: committee.id),
                claim: nil, audit: entry("assignment:-", "demo assignment"))
        }
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
