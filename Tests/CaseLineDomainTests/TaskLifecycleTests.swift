import CaseLineDomain
import Foundation
import Testing

/// The task machine, every act from every state by every kind of person, without I/O.
@Suite struct TaskLifecycleTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let today = "2026-12-01"

    static func user(_ login: String, _ role: Role, scope: Scope = .province("19"), disabled: Bool = false) -> User {
        User(login: login, name: login, role: role, scope: scope, disabled: disabled)
    }

    /// The people a task meets: its assignee, its creator, the commune's lead, a chair, a deputy, an officer who is
    /// not responsible, staff of the commune, someone out of scope, an admin and an auditor.
    static let people: [(String, TaskRules.Facts)] = [
        (
            "assignee",
            TaskRules.Facts(
                user: user("thuy", .staff, scope: .commune("02014")), responsible: false, lead: false, inScope: true)
        ),
        ("creator", TaskRules.Facts(user: user("hung", .deputy), responsible: false, lead: false, inScope: true)),
        ("lead", TaskRules.Facts(user: user("minh", .officer), responsible: true, lead: true, inScope: true)),
        ("chair", TaskRules.Facts(user: user("lan", .chair), responsible: false, lead: false, inScope: true)),
        ("deputy", TaskRules.Facts(user: user("pho", .deputy), responsible: false, lead: false, inScope: true)),
        ("officer", TaskRules.Facts(user: user("an", .officer), responsible: false, lead: false, inScope: true)),
        (
            "outsider",
            TaskRules.Facts(
                user: user("xa", .chair, scope: .province("44")), responsible: false, lead: false, inScope: false)
        ),
        (
            "admin",
            TaskRules.Facts(
                user: user("admin", .admin, scope: .national), responsible: false, lead: false, inScope: true)
        ),
        (
            "auditor",
            TaskRules.Facts(
                user: user("kt", .auditor, scope: .national), responsible: false, lead: false, inScope: true)
        ),
    ]

    static func task(_ state: WorkTask.State) -> WorkTask {
        WorkTask(
            id: "T-1", commune: "02014", title: "Rà soát", state: state, assignee: "thuy", due: "2026-12-10",
            creator: "hung", revision: 3)
    }

    static func context(_ facts: TaskRules.Facts, rev: Int64? = nil) -> TaskLifecycle.Context {
        TaskLifecycle.Context(facts: facts, today: today, now: now, expectedRevision: rev)
    }

    /// Every move from every state by every person: allowed exactly where the table and the people rules say,
    /// refused with the code the order of checks gives otherwise; an allowed move records its transition and
    /// event and keeps a reason only where one is required.
    @Test(arguments: WorkTask.State.allCases)
    func everyMoveFromEveryStateByEveryone(_ from: WorkTask.State) {
        for to in WorkTask.State.allCases {
            for (who, facts) in Self.people {
                for reason in [nil, "  ", "Thiếu số liệu"] as [String?] {
                    let result = TaskLifecycle.apply(
                        .move(to: to, reason: reason), to: Self.task(from), Self.context(facts))
                    let label = "\(who): \(from) → \(to), reason \(reason ?? "none")"
                    guard TaskRules.mover(from: from, to: to) != nil else {
                        #expect(result.code == .invalidTransition, "\(label)")
                        continue
                    }
                    guard TaskRules.mayMove(Self.task(from), to: to, facts) else {
                        #expect(result.code == .forbidden, "\(label)")
                        continue
                    }
                    let blank = (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty
                    if TaskRules.reasonRequired.contains(to) && blank {
                        #expect(result.code == .invalid, "\(label)")
                        continue
                    }
                    guard case .success(let outcome) = result else {
                        Issue.record("\(label) refused: \(result)")
                        continue
                    }
                    #expect(outcome.task.state == to)
                    #expect(outcome.task.reason == (TaskRules.reasonRequired.contains(to) ? reason : nil))
                    #expect(outcome.transition?.from == from && outcome.transition?.to == to)
                    #expect(outcome.transition?.by == facts.user.login)
                    #expect(outcome.event == .taskState)
                    #expect(outcome.details == [EventDetail("from", from.rawValue), EventDetail("to", to.rawValue)])
                }
            }
        }
    }

    @Test func aStaleRevisionIsAConflictBeforeAnythingElse() {
        let result = TaskLifecycle.apply(
            .move(to: .done, reason: nil), to: Self.task(.new), Self.context(Self.people[7].1, rev: 2))
        #expect(result.code == .conflict)
    }

    @Test func creatingNeedsACreatorATitleAFutureDueDateAndAWorker() {
        let draft = TaskLifecycle.Draft(commune: "02014", communeName: "Xã Bạch Thông", title: "Họp thôn")
        for (who, facts) in Self.people {
            let result = TaskLifecycle.apply(.create(draft), to: nil, Self.context(facts))
            #expect((result.code == nil) == TaskRules.mayCreate(facts), "\(who)")
        }
        let chair = Self.context(Self.people[3].1)
        var blank = draft
        blank.title = "  "
        #expect(TaskLifecycle.apply(.create(blank), to: nil, chair).code == .invalid)
        var late = draft
        late.due = "2026-11-30"
        #expect(TaskLifecycle.apply(.create(late), to: nil, chair).code == .invalid)
        let workers: [(TaskLifecycle.Assignee, DomainError.Code?)] = [
            (.unknown(login: "ma"), .notFound),
            (.user(Self.user("thuy", .staff, disabled: true), coversCommune: true), .disabled),
            (.user(Self.user("kt", .auditor), coversCommune: true), .invalid),
            (.user(Self.user("xa", .staff), coversCommune: false), .invalid),
            (.user(Self.user("thuy", .staff), coversCommune: true), nil),
        ]
        for (worker, code) in workers {
            var given = draft
            given.assignee = worker
            let result = TaskLifecycle.apply(.create(given), to: nil, chair)
            #expect(result.code == code, "\(worker)")
            if case .success(let outcome) = result {
                #expect(outcome.task.state == .assigned && outcome.task.assignee == "thuy")
                #expect(outcome.transition?.from == .new && outcome.transition?.to == .assigned)
                #expect(outcome.details == [EventDetail("assignee", "thuy")])
            }
        }
        if case .success(let plain) = TaskLifecycle.apply(.create(draft), to: nil, chair) {
            #expect(plain.task.state == .new && plain.transition == nil && plain.task.creator == "lan")
            #expect(plain.change == "created: commune=02014 title=Họp thôn state=new")
        }
    }

    @Test(arguments: WorkTask.State.allCases)
    func assigningFromEveryState(_ state: WorkTask.State) {
        let lead = Self.context(Self.people[2].1)
        let other = TaskLifecycle.Assignee.user(Self.user("an", .officer), coversCommune: true)
        let result = TaskLifecycle.apply(.assign(other), to: Self.task(state), lead)
        if [.submitted, .done, .cancelled].contains(state) {
            #expect(result.code == .invalidTransition)
            return
        }
        guard case .success(let outcome) = result else {
            Issue.record("\(state): \(result)")
            return
        }
        #expect(outcome.task.assignee == "an")
        #expect(outcome.task.state == (state == .new ? .assigned : state))
        #expect((outcome.transition != nil) == (state == .new))
        let same = TaskLifecycle.Assignee.user(Self.user("thuy", .staff), coversCommune: true)
        #expect(TaskLifecycle.apply(.assign(same), to: Self.task(state), lead).code == .invalid)
        #expect(
            TaskLifecycle.apply(.assign(other), to: Self.task(state), Self.context(Self.people[5].1)).code == .forbidden
        )
    }

    @Test(arguments: WorkTask.State.allCases)
    func editingFromEveryState(_ state: WorkTask.State) {
        let creator = Self.context(Self.people[1].1)
        let result = TaskLifecycle.apply(.edit(.init(due: "2026-12-20")), to: Self.task(state), creator)
        guard state.isOpen else {
            #expect(result.code == .invalidTransition)
            return
        }
        guard case .success(let outcome) = result else {
            Issue.record("\(state): \(result)")
            return
        }
        #expect(outcome.task.due == "2026-12-20" && outcome.transition == nil)
        #expect(outcome.change == "due: 2026-12-10 → 2026-12-20")
        #expect(TaskLifecycle.apply(.edit(.init(due: "2026-12-10")), to: Self.task(state), creator).code == .invalid)
        #expect(TaskLifecycle.apply(.edit(.init(title: " ")), to: Self.task(state), creator).code == .invalid)
        #expect(TaskLifecycle.apply(.edit(.init(due: "2020-01-01")), to: Self.task(state), creator).code == .invalid)
        #expect(
            TaskLifecycle.apply(.edit(.init(title: "x")), to: Self.task(state), Self.context(Self.people[0].1)).code
                == .forbidden, "the assignee does not manage the task")
    }

    @Test func commentsBelongToCreatorsTheAssigneeAndTheCreator() {
        for (who, facts) in Self.people {
            let result = TaskLifecycle.apply(.comment(text: "Đã xong"), to: Self.task(.inprogress), Self.context(facts))
            #expect((result.code == nil) == TaskRules.mayComment(Self.task(.inprogress), facts), "\(who)")
        }
        #expect(
            TaskLifecycle.apply(.comment(text: " \n"), to: Self.task(.new), Self.context(Self.people[3].1)).code
                == .invalid)
    }
}

extension Result where Failure == DomainError {
    /// The refusal's code, nil on success.
    var code: DomainError.Code? {
        if case .failure(let error) = self { return error.code }
        return nil
    }
}
