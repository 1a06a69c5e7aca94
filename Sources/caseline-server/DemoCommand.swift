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
            var settings = Settings()
            // The demo listens on loopback only: it has well-known passwords.
            settings.server.listen.host = "127.0.0.1"
            // `demo --store postgres://…`: the demo province in a shared store (seeded once, by the first node).
            if let url = overrides.store { settings.store.url = url }
            let (password, _) = try await directory.initialise(settings: settings, certificate: nil, admin: "admin")
            if let password {
                try await DemoData.seed(directory: directory, settings: settings, adminPassword: password)
            }
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
        // The commune chair of Bạch Thông decides the commune-level steps of the demo's approval chains.
        User(login: "son", name: "Nông Thanh Sơn", role: .chair, scope: .commune("02014")),
        User(login: "kiemtoan", name: "Phạm Quốc Bảo", role: .auditor, scope: .national),
    ]

    static func seed(directory: DataDirectory, settings: Settings, adminPassword: String) async throws {
        let store = try await directory.openStore(settings.store).store
        let hasher = PasswordHasher(parameters: settings.server.auth.kdf, pool: .singleton)
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
        try await seedTasks(store)
        try await seedHouseholds(store)
        try await seedCases(store)
        try await seedReview(store, settings: settings)
        try await seedHistory(store, settings: settings)
        try await seedProvince(store, settings: settings)
        try await seedFunding(store)
        try await store.close()
    }

    /// Two commune steering committees of Thái Nguyên with their members and assignments; one commune left
    /// without a lead. The province's own committee is left for the newcomer to create (README walkthrough).
    static func seedOrganisation(_ store: any Store) async throws {
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

    /// A day relative to today in Vietnam, `YYYY-MM-DD`.
    static func day(_ offset: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        let date = calendar.date(byAdding: .day, value: offset, to: Date())!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    /// Tasks in flight in both communes: one overdue, one waiting for the lead's review, one not yet assigned.
    static func seedTasks(_ store: any Store) async throws {
        struct Seed {
            var commune, title, creator: String
            var component: String?
            var assignee: String?
            var due: Int?
            var priority: WorkTask.Priority = .normal
            var path: [(WorkTask.State, String, String?)] = []
            var description: String? = nil
            var comment: (String, String)? = nil
        }
        let seeds = [
            Seed(
                commune: "02014", title: "Rà soát hộ nghèo, hộ cận nghèo năm 2026", creator: "minh", component: "other",
                assignee: "thuy", due: 18, priority: .high, path: [(.inprogress, "thuy", nil)],
                description:
                    "Rà soát theo QĐ 24/2021/QĐ-TTg và TT 07/2021/TT-BLĐTBXH.\nHọp thôn xong trước khi lập danh sách.",
                comment: ("thuy", "Đã họp thôn Nà Hin: 52/60 hộ đồng ý.\nBiên bản gửi kèm (2 bản).")),
            Seed(
                commune: "02014", title: "Lập danh sách hộ đề nghị hỗ trợ nhà ở", creator: "hung", component: "5",
                assignee: "thuy", due: -5, path: [(.inprogress, "thuy", nil)]),
            Seed(
                commune: "02014", title: "Kiểm tra tiến độ mô hình nuôi bò sinh sản", creator: "hung", component: "2",
                due: 30),
            Seed(
                commune: "01912", title: "Tổ chức lớp dạy nghề may công nghiệp", creator: "lan", component: "4.1",
                assignee: "minh", due: 30),
            Seed(
                commune: "01912", title: "Cấp thẻ BHYT cho người thuộc hộ cận nghèo", creator: "lan",
                component: "other",
                assignee: "minh", due: 7, priority: .urgent,
                path: [(.inprogress, "minh", nil), (.submitted, "minh", "Đã cấp 214/220 thẻ; 6 hộ chuyển đi")]),
        ]
        for seed in seeds {
            let entry = AuditEntry(actor: .system("demo"), command: "demo", entity: "task:-", change: "demo task")
            var task = try await store.createTask(
                WorkTask(
                    commune: seed.commune, title: seed.title, description: seed.description,
                    state: seed.assignee == nil ? .new : .assigned, component: seed.component, assignee: seed.assignee,
                    due: seed.due.map(day), priority: seed.priority, creator: seed.creator),
                transition: seed.assignee.map { _ in
                    TaskTransition(task: "", from: .new, to: .assigned, by: seed.creator, at: Date(), reason: nil)
                }, claim: nil, audit: entry)
            for (state, by, reason) in seed.path {
                var next = task
                next.state = state
                task = try await store.saveTask(
                    next, expectedRevision: task.revision,
                    transition: TaskTransition(
                        task: task.id, from: task.state, to: state, by: by, at: Date(), reason: reason),
                    audit: AuditEntry(
                        actor: .system("demo"), command: "demo", entity: "task:\(task.id)", change: "state: → \(state)")
                )
            }
            if let (author, text) = seed.comment {
                _ = try await store.addComment(
                    task: task.id, author: author, text: text, claim: nil,
                    audit: AuditEntry(
                        actor: .system("demo"), command: "demo", entity: "task:\(task.id)", change: "comment added"))
            }
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
          Or with the client (trust the certificate when it asks), e.g. the province officer minh:
            swift run caseline --port \(port) --user minh          (interactive; \\watch shows events live)
            swift run caseline --port \(port) --user thuy watch    (events in commune 02014 as they happen)
          Stop with Ctrl-C.

        """
    }
}
