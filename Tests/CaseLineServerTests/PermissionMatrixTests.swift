import CaseLineClient
import CaseLineDomain
import CaseLineProtocol
import CaseLineServer
import CaseLineStore
import CaseLineStoreSQLite
import Foundation
import Testing

extension ServerSuites {
    /// Least privilege, as a generated matrix over real TLS: every command of the table × every role (in a
    /// commune, a province and the nation) × a target in the caller's own commune, in another commune of the
    /// same province, and in another province. What the policy table allows must be served; what it refuses
    /// must be refused — `FORBIDDEN` for the role, `OUT-OF-SCOPE` (or `NOT-FOUND`, where a kind's existence is
    /// hidden) for the place. A command the table gains without a template here fails the test, so a new
    /// command cannot ship without its rule being walked.
    @Suite("Permission matrix", .timeLimit(.minutes(4)))
    struct PermissionMatrixTests {
        /// The three places a target can lie, seen from a caller in commune A of province 19.
        enum Place: Int, CaseIterable, CustomStringConvertible {
            case own, otherCommune, otherProvince
            var commune: String { ["02014", "01849", "18880"][rawValue] }
            var province: String { ["19", "19", "44"][rawValue] }
            var tag: String { ["A", "B", "C"][rawValue] }
            var description: String { ["own commune", "other commune", "other province"][rawValue] }
        }

        /// The entities of one place, made directly in the store (so no command's own rules decide the
        /// fixture).
        struct Fixture {
            var committee = "", assignment = "", task = "", household = "", draft = "", submitted = ""
            var delegation = "", token = "", user = "", chair = "", staff = "", campaign = "", office = ""
            var allocation = ""
        }

        /// A caller: a login and where it stands.
        struct Caller: CustomStringConvertible {
            var login: String
            var user: User
            var description: String { "\(login) (\(user.role.rawValue), \(user.scope))" }
        }

        /// What a cell targets: a request and where its target lies (nil: the command names nothing placed).
        struct Cell {
            var request: String
            var placement: Placement?
        }

        /// Commands whose own rules (beyond role and scope) may still refuse an allowed, in-scope caller, with
        /// `FORBIDDEN` or a hidden `NOT-FOUND`: the task, household and case writers, the deciders, token and
        /// delegation owners, readers of accounts. Their finer rules are tested in their own suites.
        static let finer: Set<String> = [
            "USER SHOW", "TOKEN LIST", "TOKEN REVOKE", "HISTORY", "TASK CREATE", "TASK UPDATE", "TASK ASSIGN",
            "TASK MOVE", "TASK COMMENT", "HOUSEHOLD CREATE", "HOUSEHOLD UPDATE", "HOUSEHOLD ADD-MEMBER",
            "HOUSEHOLD REMOVE-MEMBER", "HOUSEHOLD ASSESS", "CASE CREATE", "CASE UPDATE", "CASE SUBMIT",
            "CASE APPROVE", "CASE REJECT", "CASE RETURN", "DELEGATION END", "REVIEW OPEN", "REVIEW IMPORT",
            "CASE PROGRESS",
            // Targets are set top-down: a commune-scope leader is turned away even for its own commune.
            "TARGET SET",
        ]
        /// Session commands change the session itself; their rules are tested in the session suites.
        static let sessionCommands: Set<String> = ["HELLO", "LOGIN", "AUTH", "LOGOUT", "PASSWORD"]

        /// The requests for one command at one place: each passes the access checks when they allow it and then
        /// fails harmlessly (a stale `rev=`, a blank value, a date in the past), so no cell changes what the
        /// next one finds.
        static func cells(_ command: String, _ place: Place, _ f: Fixture) -> [Cell]? {
            let commune = Placement.unit(UnitRef(.current, place.commune))
            let scope = Placement.scope(.commune(place.commune))
            let p = place.commune
            switch command {
            case "PING", "WHOAMI", "HELP", "TOKEN CREATE", "ASSIGNMENT MINE", "AUDIT VERIFY", "METRICS", "UNWATCH",
                "CHAIN LIST", "UNIT LIST", "UNIT SEARCH", "UNIT SHOW", "DELEGATION CREATE", "DELEGATION LIST",
                "CHAIN SHOW", "CHAIN SET", "STANDARD LIST":
                return nil
            case "USER CREATE":
                return [
                    Cell(
                        request: "USER CREATE mx\(place.tag) name=\" \" role=staff scope=commune:\(p)", placement: scope
                    )
                ]
            case "USER LIST": return [Cell(request: "USER LIST scope=commune:\(p)", placement: scope)]
            case "USER SHOW": return [Cell(request: "USER SHOW \(f.user)", placement: scope)]
            case "USER UPDATE": return [Cell(request: "USER UPDATE \(f.user) name=X rev=999", placement: scope)]
            case "USER DISABLE": return [Cell(request: "USER DISABLE \(f.user) rev=999", placement: scope)]
            case "USER ENABLE": return [Cell(request: "USER ENABLE \(f.user) rev=999", placement: scope)]
            case "USER UNLOCK": return [Cell(request: "USER UNLOCK \(f.user)", placement: scope)]
            case "USER RESET-PASSWORD": return [Cell(request: "USER RESET-PASSWORD \(f.user)", placement: scope)]
            case "TOKEN LIST": return [Cell(request: "TOKEN LIST user=\(f.user)", placement: scope)]
            case "TOKEN REVOKE": return [Cell(request: "TOKEN REVOKE \(f.token)", placement: scope)]
            case "COMMITTEE CREATE":
                return [Cell(request: "COMMITTEE CREATE \(p) name=X decision=1 decided=2099-01-01", placement: commune)]
            case "COMMITTEE LIST": return [Cell(request: "COMMITTEE LIST unit=\(p)", placement: commune)]
            case "COMMITTEE SHOW": return [Cell(request: "COMMITTEE SHOW \(f.committee)", placement: commune)]
            case "COMMITTEE UPDATE":
                return [Cell(request: "COMMITTEE UPDATE \(f.committee) name=X rev=999", placement: commune)]
            case "COMMITTEE ADD-MEMBER":
                return [
                    Cell(
                        request: "COMMITTEE ADD-MEMBER \(f.committee) \(f.staff) position=member rev=999",
                        placement: commune)
                ]
            case "COMMITTEE REMOVE-MEMBER":
                return [Cell(request: "COMMITTEE REMOVE-MEMBER \(f.committee) \(f.chair) rev=999", placement: commune)]
            case "ASSIGNMENT CREATE":
                return [
                    Cell(
                        request: "ASSIGNMENT CREATE \(p) \(f.chair) role=support from=2026-01-01 decision=\" \"",
                        placement: commune)
                ]
            case "ASSIGNMENT END": return [Cell(request: "ASSIGNMENT END \(f.assignment) rev=999", placement: commune)]
            case "ASSIGNMENT REASSIGN":
                return [
                    Cell(
                        request: "ASSIGNMENT REASSIGN \(p) \(f.chair) from=2026-01-01 decision=\" \"",
                        placement: commune)
                ]
            case "ASSIGNMENT LIST": return [Cell(request: "ASSIGNMENT LIST commune=\(p)", placement: commune)]
            case "ASSIGNMENT VACANT":
                return [
                    Cell(
                        request: "ASSIGNMENT VACANT province=\(place.province)",
                        placement: .unit(UnitRef(.current, place.province)))
                ]
            case "WATCH": return [Cell(request: "WATCH commune=\(p)", placement: commune)]
            case "HISTORY":
                return [
                    "task:\(f.task)", "household:\(f.household)", "case:\(f.draft)", "committee:\(f.committee)",
                    "assignment:\(f.assignment)", "delegation:\(f.delegation)", "user:\(f.user)", "token:\(f.token)",
                    "review:\(f.campaign)", "office:\(f.office)", "allocation:\(f.allocation)",
                ].map { entity in
                    let placed =
                        entity.hasPrefix("user:") || entity.hasPrefix("token:") || entity.hasPrefix("delegation:")
                    return Cell(request: "HISTORY \(entity)", placement: placed ? scope : commune)
                }
            case "AUDIT LIST": return [Cell(request: "AUDIT LIST entity=task:\(f.task)", placement: commune)]
            case "TASK CREATE": return [Cell(request: "TASK CREATE \(p) title=X due=2000-01-01", placement: commune)]
            case "TASK LIST": return [Cell(request: "TASK LIST commune=\(p)", placement: commune)]
            case "TASK SHOW": return [Cell(request: "TASK SHOW \(f.task)", placement: commune)]
            case "TASK UPDATE": return [Cell(request: "TASK UPDATE \(f.task) title=X rev=999", placement: commune)]
            case "TASK ASSIGN": return [Cell(request: "TASK ASSIGN \(f.task) \(f.staff) rev=999", placement: commune)]
            case "TASK MOVE":
                return [Cell(request: "TASK MOVE \(f.task) cancelled reason=x rev=999", placement: commune)]
            case "TASK COMMENT": return [Cell(request: "TASK COMMENT \(f.task) \" \"", placement: commune)]
            case "HOUSEHOLD CREATE":
                return [
                    Cell(
                        request: "HOUSEHOLD CREATE \(p) head=\" \" gender=male birth=1980-01-01 village=X area=rural",
                        placement: commune)
                ]
            case "HOUSEHOLD LIST": return [Cell(request: "HOUSEHOLD LIST commune=\(p)", placement: commune)]
            case "HOUSEHOLD SHOW": return [Cell(request: "HOUSEHOLD SHOW \(f.household)", placement: commune)]
            case "HOUSEHOLD UPDATE":
                return [Cell(request: "HOUSEHOLD UPDATE \(f.household) head=X rev=999", placement: commune)]
            case "HOUSEHOLD ADD-MEMBER":
                return [
                    Cell(
                        request:
                            "HOUSEHOLD ADD-MEMBER \(f.household) name=X gender=male birth=2000-01-01 relation=con rev=999",
                        placement: commune)
                ]
            case "HOUSEHOLD REMOVE-MEMBER":
                return [Cell(request: "HOUSEHOLD REMOVE-MEMBER \(f.household) P-999999 rev=999", placement: commune)]
            case "HOUSEHOLD ASSESS":
                return [Cell(request: "HOUSEHOLD ASSESS \(f.household) year=2025 income=1 rev=999", placement: commune)]
            case "CASE CREATE": return [Cell(request: "CASE CREATE inspection \(p) title=\" \"", placement: commune)]
            case "CASE LIST": return [Cell(request: "CASE LIST commune=\(p)", placement: commune)]
            case "CASE SHOW": return [Cell(request: "CASE SHOW \(f.draft)", placement: commune)]
            case "CASE UPDATE": return [Cell(request: "CASE UPDATE \(f.draft) title=X rev=999", placement: commune)]
            case "CASE SUBMIT": return [Cell(request: "CASE SUBMIT \(f.draft) rev=999", placement: commune)]
            case "CASE APPROVE": return [Cell(request: "CASE APPROVE \(f.submitted) rev=999", placement: commune)]
            case "CASE REJECT":
                return [Cell(request: "CASE REJECT \(f.submitted) reason=x rev=999", placement: commune)]
            case "CASE RETURN":
                return [Cell(request: "CASE RETURN \(f.submitted) reason=x rev=999", placement: commune)]
            case "CASE PROGRESS":
                return [
                    Cell(request: "CASE PROGRESS \(f.draft) stage=started date=2000-01-01 rev=999", placement: commune)
                ]
            case "FUND ALLOCATE":
                // Central money without its nature: refused once the caller may allocate there.
                return [
                    Cell(
                        request: "FUND ALLOCATE unit=\(p) year=2023 project=5 source=central amount=1 document=x",
                        placement: commune)
                ]
            case "FUND DISBURSE":
                return [Cell(request: "FUND DISBURSE \(f.allocation) amount=1 date=2099-01-01", placement: commune)]
            case "FUND CARRY":
                return [
                    Cell(request: "FUND CARRY \(f.allocation) year=2000 amount=1 document=x", placement: commune)
                ]
            case "FUND LIST": return [Cell(request: "FUND LIST commune=\(p)", placement: commune)]
            case "FUND SHOW": return [Cell(request: "FUND SHOW \(f.allocation)", placement: commune)]
            case "REPORT MONEY": return [Cell(request: "REPORT MONEY commune=\(p) period=2023", placement: commune)]
            case "REPORT OUTPUTS":
                return [Cell(request: "REPORT OUTPUTS commune=\(p) period=2023", placement: commune)]
            case "PENDING": return [Cell(request: "PENDING commune=\(p)", placement: commune)]
            case "DELEGATION END": return [Cell(request: "DELEGATION END \(f.delegation) rev=999", placement: scope)]
            case "REVIEW OPEN": return [Cell(request: "REVIEW OPEN commune=\(p)", placement: commune)]
            case "REVIEW LIST": return [Cell(request: "REVIEW LIST commune=\(p)", placement: commune)]
            case "REVIEW SHOW": return [Cell(request: "REVIEW SHOW \(f.campaign)", placement: commune)]
            case "REVIEW ASSESSMENTS": return [Cell(request: "REVIEW ASSESSMENTS commune=\(p)", placement: commune)]
            case "REVIEW FLOWS":
                return [Cell(request: "REVIEW FLOWS commune=\(p) from=2025 to=2026", placement: commune)]
            case "OFFICE ASSIGN":
                return [
                    Cell(
                        request:
                            "OFFICE ASSIGN unit=\(p) post=chairman login=\(f.user) from=2026-01-01 through=2025-01-01",
                        placement: commune)
                ]
            case "OFFICE LIST": return [Cell(request: "OFFICE LIST unit=\(p)", placement: commune)]
            case "TOTAL SET":
                return [
                    Cell(request: "TOTAL SET unit=\(p) year=2026 households=1 source=\" \"", placement: commune)
                ]
            case "TOTAL LIST": return [Cell(request: "TOTAL LIST commune=\(p)", placement: commune)]
            case "TARGET SET":
                return [
                    Cell(
                        request: "TARGET SET unit=\(p) year=2026 indicator=poor kind=level value=1 document=\" \"",
                        placement: commune)
                ]
            case "TARGET LIST": return [Cell(request: "TARGET LIST commune=\(p)", placement: commune)]
            case "REPORT POVERTY": return [Cell(request: "REPORT POVERTY commune=\(p) year=2026", placement: commune)]
            case "REPORT WORK": return [Cell(request: "REPORT WORK commune=\(p)", placement: commune)]
            case "OFFICE END": return [Cell(request: "OFFICE END \(f.office) through=2000-01-01", placement: commune)]
            case let step where step.hasPrefix("REVIEW "):
                // Every step of a campaign checks its revision before anything else the campaign decides.
                let options: [String: String] = [
                    "REVIEW PLAN": "reference=x adopted=2000-01-01 reviewers=a:b",
                    "REVIEW ADD": "household=\(f.household) basis=poor",
                    "REVIEW SURVEY": "household=\(f.household) score-a=1",
                    "REVIEW MEETING": "village=X held=2000-01-01 attendees=1 agreeing=1 minutes=x",
                    "REVIEW COMPLAINT": "summary=x", "REVIEW ANSWER": "complaint=K-1 answer=x",
                    "REVIEW OPINION": "reference=x date=2000-01-01 agrees=yes",
                    "REVIEW DECIDE": "number=x date=2000-01-01",
                    "REVIEW REFUSE": "household=\(f.household) reference=x date=2000-01-01 reasons=x",
                    "REVIEW IMPORT": "file=x",
                ]
                return [Cell(request: "\(step) \(f.campaign) \(options[step] ?? "") rev=999", placement: commune)]
            default: return []
            }
        }

        /// Requests for commands that name nothing placed: only the role decides (CHAIN SET: chains are
        /// national, so its target is the nation).
        static func placeless(_ command: String) -> Cell? {
            switch command {
            case "PING": Cell(request: "PING", placement: nil)
            case "WHOAMI": Cell(request: "WHOAMI", placement: nil)
            case "HELP": Cell(request: "HELP TASK", placement: nil)
            case "TOKEN CREATE": Cell(request: "TOKEN CREATE \" \" expires=2000-01-01", placement: nil)
            case "ASSIGNMENT MINE": Cell(request: "ASSIGNMENT MINE", placement: nil)
            case "AUDIT VERIFY": Cell(request: "AUDIT VERIFY", placement: nil)
            case "METRICS": Cell(request: "METRICS", placement: nil)
            case "UNWATCH": Cell(request: "UNWATCH", placement: nil)
            case "CHAIN LIST": Cell(request: "CHAIN LIST", placement: nil)
            case "CHAIN SHOW": Cell(request: "CHAIN SHOW housing-new", placement: nil)
            case "CHAIN SET":
                Cell(request: "CHAIN SET inspection steps=chair@commune rev=999", placement: .scope(.national))
            case "UNIT LIST": Cell(request: "UNIT LIST province=44", placement: nil)
            case "STANDARD LIST": Cell(request: "STANDARD LIST year=2026", placement: nil)
            case "UNIT SEARCH": Cell(request: "UNIT SEARCH \"dong hoi\"", placement: nil)
            case "UNIT SHOW": Cell(request: "UNIT SHOW 18880", placement: nil)
            case "DELEGATION CREATE":
                Cell(request: "DELEGATION CREATE lan from=2000-01-01 until=2000-01-02", placement: nil)
            case "DELEGATION LIST": Cell(request: "DELEGATION LIST", placement: nil)
            default: nil
            }
        }

        /// The callers: every role, at the levels it exists at.
        static let extraUsers: [User] = [
            User(login: "admin19", name: "Quản trị tỉnh", role: .admin, scope: .province("19")),
            User(login: "audit19", name: "Kiểm toán tỉnh", role: .auditor, scope: .province("19")),
            User(login: "chairB", name: "Chủ tịch B", role: .chair, scope: .commune("01849")),
            User(login: "chairC", name: "Chủ tịch C", role: .chair, scope: .commune("18880")),
            User(login: "staffB", name: "Cán bộ B", role: .staff, scope: .commune("01849")),
            User(login: "staffC", name: "Cán bộ C", role: .staff, scope: .commune("18880")),
            User(login: "userA", name: "Người A", role: .staff, scope: .commune("02014")),
            User(login: "userB", name: "Người B", role: .staff, scope: .commune("01849")),
            User(login: "userC", name: "Người C", role: .staff, scope: .commune("18880")),
        ]
        static let callerLogins = ["admin", "admin19", "lan", "chutich", "pho", "minh", "canbo", "kiemtoan", "audit19"]

        static func makeFixtures(_ server: TestServer) async throws -> [Place: Fixture] {
            for user in extraUsers { try await server.addUser(user) }
            let store = server.store
            let system = Actor.system("matrix")
            @Sendable func audit(_ entity: String) -> AuditEntry {
                AuditEntry(actor: system, command: "fixture", entity: entity, change: "fixture")
            }
            var fixtures: [Place: Fixture] = [:]
            let chairs = ["chutich", "chairB", "chairC"]
            let staff = ["canbo", "staffB", "staffC"]
            for place in Place.allCases {
                var f = Fixture()
                f.chair = chairs[place.rawValue]
                f.staff = staff[place.rawValue]
                f.user = ["userA", "userB", "userC"][place.rawValue]
                let committee = try await store.createCommittee(
                    unit: place.commune, name: "Ban chỉ đạo \(place.tag)", decision: "1/QĐ", decided: "2025-08-01",
                    claim: nil, audit: audit("committee:-"))
                f.committee = committee.id
                _ = try await store.addMember(
                    Committee.Member(committee: committee.id, login: f.chair, position: .chair, since: "2025-08-01"),
                    expectedRevision: nil, audit: audit("committee:\(committee.id)"))
                f.assignment = try await store.createAssignment(
                    Assignment(
                        id: "", commune: place.commune, login: f.chair, role: .lead, from: "2025-08-01",
                        decision: "2/QĐ", committee: committee.id), claim: nil, audit: audit("assignment:-")
                ).id
                f.task = try await store.createTask(
                    WorkTask(commune: place.commune, title: "Việc \(place.tag)", state: .new, creator: f.staff),
                    transition: nil, claim: nil, audit: audit("task:-")
                ).id
                f.household = try await store.createHousehold(
                    Household(
                        commune: place.commune, village: "Thôn 1", area: .rural, head: "Chủ hộ \(place.tag)",
                        gender: .female, birth: "1970-01-01"), claim: nil, audit: audit("household:-")
                ).id
                f.draft = try await store.createCase(
                    CaseFile(
                        kind: .inspection, commune: place.commune, title: "Kiểm tra \(place.tag)", creator: f.staff),
                    claim: nil, audit: audit("case:-")
                ).id
                var submitted = try await store.createCase(
                    CaseFile(kind: .inspection, commune: place.commune, title: "Trình \(place.tag)", creator: f.staff),
                    claim: nil, audit: audit("case:-"))
                let step = ChainStep(role: .chair, level: .commune)
                let revision = submitted.revision
                submitted.state = .submitted
                submitted.round = 1
                submitted.chain = [step]
                submitted.step = 1
                submitted.submitter = f.staff
                submitted.submitters = [f.staff]
                f.submitted = try await store.saveCase(
                    submitted, expectedRevision: revision,
                    steps: [CaseStep(caseID: submitted.id, round: 1, number: 1, step: step, state: .waiting)],
                    audit: audit("case:\(submitted.id)")
                ).id
                f.delegation = try await store.createDelegation(
                    Delegation(delegator: f.chair, delegate: f.staff, from: "2026-01-01", until: "2099-12-31"),
                    today: "2026-01-01", claim: nil, audit: audit("delegation:-")
                ).id
                f.token = try await store.createToken(
                    owner: f.user, label: "máy \(place.tag)", expires: nil, secretHash: "hash-\(place.tag)",
                    prefix: "abcd", claim: nil, audit: audit("token:-")
                ).id
                // A campaign as the store keeps it, made without the machine so that no date decides the fixture.
                let commune = place.commune
                f.campaign = try await store.openReviewCampaign(claim: nil) { id in
                    let day = CivilDate(year: 2026, month: 9, day: 1)!
                    let campaign = ReviewCampaign(
                        id: id, kind: .periodic, commune: commune, higherLevelUnits: HigherLevelUnits(province: nil),
                        reviewYear: 2026, listYear: 2027, standardID: "nd351-2025", standardRevision: 1, stage: .plan,
                        opened: day, reviewStart: day, decisionDue: CivilDate(year: 2026, month: 12, day: 14)!)
                    return ReviewOpening(
                        step: ReviewStep(campaign: campaign, effects: [], events: [], audit: "fixture"),
                        audit: audit("review:\(id)"))
                }.id
                f.office =
                    try await store.assignOffice(
                        OfficeHolding(
                            office: .communeChairman(commune), login: f.chair,
                            from: CivilDate(year: 2026, month: 1, day: 1)!), audit: audit("office:-")
                    ).id ?? ""
                f.allocation = try await store.createAllocation(
                    Allocation(
                        year: 2023, unit: commune, project: .housing, source: .provincial, amount: 100_000_000,
                        document: "1/QĐ", by: "admin"), claim: nil, audit: audit("allocation:-")
                ).id
                fixtures[place] = f
            }
            return fixtures
        }

        @Test func everyCommandRoleAndPlaceMeetsThePolicy() async throws {
            try await TestServer.run { server in
                let fixtures = try await Self.makeFixtures(server)
                let users = Dictionary(
                    (TestServer.users + Self.extraUsers).map { ($0.login, $0) }, uniquingKeysWith: { a, _ in a })
                let units = server.units
                let policy = CommandRegistry.policy
                var walked = 0
                var refusedForScope = 0
                for login in Self.callerLogins {
                    let caller = Caller(login: login, user: try #require(users[login]))
                    try await server.session(login) { connection async throws in
                        for spec in CommandRegistry.table.commands where !Self.sessionCommands.contains(spec.name) {
                            var cells: [Cell] = []
                            if let one = Self.placeless(spec.name) {
                                cells = [one]
                            } else {
                                for place in Place.allCases {
                                    let placed = Self.cells(spec.name, place, fixtures[place]!) ?? []
                                    cells += placed
                                }
                            }
                            #expect(!cells.isEmpty, "no template for \(spec.name): add one to the permission matrix")
                            for cell in cells {
                                let result = try await connection.request(cell.request)
                                walked += 1
                                let context = "\(caller) × \(cell.request) → \(result.completion)"
                                #expect(result.completion.status != .bad, "\(context)")
                                #expect(result.code != "UNAVAILABLE" && result.code != "INTERNAL", "\(context)")
                                guard policy.allows(caller.user.role, spec.name) else {
                                    #expect(result.code == "FORBIDDEN", "the role may not: \(context)")
                                    continue
                                }
                                let inScope =
                                    cell.placement.map {
                                        policy.reach(for: spec.name) == .anywhere
                                            || units.scope(caller.user.scope, reaches: $0)
                                    } ?? true
                                if !inScope {
                                    refusedForScope += 1
                                    // A finer rule that turns the role away (only admins list others' tokens)
                                    // may answer first: it is step 2 of the order of checks, before scope.
                                    let refusals: Set<String> =
                                        Self.finer.contains(spec.name)
                                        ? ["OUT-OF-SCOPE", "NOT-FOUND", "FORBIDDEN"] : ["OUT-OF-SCOPE", "NOT-FOUND"]
                                    #expect(
                                        refusals.contains(result.code ?? "OK"), "outside the caller's scope: \(context)"
                                    )
                                    continue
                                }
                                #expect(result.code != "OUT-OF-SCOPE", "inside the caller's scope: \(context)")
                                if !Self.finer.contains(spec.name) {
                                    #expect(result.code != "FORBIDDEN", "the role may: \(context)")
                                }
                            }
                        }
                    }
                }
                #expect(walked > 1500)
                #expect(refusedForScope > 200)
            }
        }

        /// Lists leave out silently what lies outside the caller's scope: no record a list sends names a
        /// commune, unit or scope the caller cannot reach.
        @Test func listsShowNothingOutsideTheCallersScope() async throws {
            try await TestServer.run { server in
                _ = try await Self.makeFixtures(server)
                let users = Dictionary(
                    (TestServer.users + Self.extraUsers).map { ($0.login, $0) }, uniquingKeysWith: { a, _ in a })
                let lists = [
                    "TASK LIST", "CASE LIST", "HOUSEHOLD LIST", "ASSIGNMENT LIST", "COMMITTEE LIST", "USER LIST",
                    "DELEGATION LIST", "PENDING", "ASSIGNMENT VACANT", "REVIEW LIST", "OFFICE LIST", "FUND LIST",
                ]
                var checked = 0
                for login in Self.callerLogins {
                    let user = try #require(users[login])
                    try await server.session(login) { connection async throws in
                        for list in lists where CommandRegistry.policy.allows(user.role, list) {
                            let paged = CommandRegistry.table[list]?.option(named: "limit") != nil
                            let result = try await connection.request(list + (paged ? " limit=1000" : ""))
                            #expect(result.ok, "\(login): \(list) → \(result.completion)")
                            for record in result.records {
                                if let code = record["commune"] ?? record["unit"] {
                                    checked += 1
                                    #expect(
                                        server.units.scope(user.scope, contains: UnitRef(stored: code)),
                                        "\(login) was shown \(record.type) in \(code) by \(list)")
                                }
                                if record.type == "USER", let wire = record["scope"], let scope = Scope(wire: wire) {
                                    checked += 1
                                    #expect(
                                        server.units.scope(user.scope, contains: scope), "\(login) was shown \(wire)")
                                }
                                if record.type == "DELEGATION", user.role != .admin, user.role != .auditor {
                                    #expect(record["delegator"] == login || record["delegate"] == login)
                                }
                            }
                        }
                    }
                }
                #expect(checked > 50)
            }
        }
    }
}
