import CaseLineDomain
import Testing

@Suite struct TaskRulesTests {
    /// The table at the top of CLP1.md §10.7, written out again.
    static let moves: [(WorkTask.State, WorkTask.State, TaskRules.Mover)] = [
        (.assigned, .inprogress, .assignee), (.returned, .inprogress, .assignee), (.inprogress, .blocked, .assignee),
        (.blocked, .inprogress, .assignee), (.inprogress, .submitted, .assignee), (.submitted, .done, .reviewer),
        (.submitted, .returned, .reviewer), (.new, .cancelled, .manager), (.assigned, .cancelled, .manager),
        (.inprogress, .cancelled, .manager), (.blocked, .cancelled, .manager), (.submitted, .cancelled, .manager),
        (.returned, .cancelled, .manager),
    ]

    @Test func theStateMachineHasExactlyTheDocumentedMoves() {
        for from in WorkTask.State.allCases {
            for to in WorkTask.State.allCases {
                let expected = Self.moves.first { $0.0 == from && $0.1 == to }?.2
                #expect(TaskRules.mover(from: from, to: to) == expected, "\(from) → \(to)")
            }
        }
    }

    static func facts(_ role: Role, _ login: String = "u", responsible: Bool = false, lead: Bool = false)
        -> TaskRules.Facts
    {
        TaskRules.Facts(
            user: User(login: login, name: login, role: role, scope: .province("19")), responsible: responsible,
            lead: lead, inScope: true)
    }

    @Test func whoMayMove() {
        let task = WorkTask(
            id: "T-1", commune: "02014", title: "t", state: .submitted, assignee: "thuy", creator: "hung")
        #expect(TaskRules.mayMove(task, to: .done, Self.facts(.officer, lead: true)))
        #expect(TaskRules.mayMove(task, to: .done, Self.facts(.chair)))
        #expect(!TaskRules.mayMove(task, to: .done, Self.facts(.deputy)), "a deputy manages but does not review")
        #expect(
            !TaskRules.mayMove(task, to: .done, Self.facts(.staff, "thuy")),
            "the assignee cannot approve their own work")
        var started = task
        started.state = .assigned
        #expect(TaskRules.mayMove(started, to: .inprogress, Self.facts(.staff, "thuy")))
        #expect(!TaskRules.mayMove(started, to: .inprogress, Self.facts(.officer, lead: true)))
        #expect(TaskRules.mayMove(started, to: .cancelled, Self.facts(.deputy)))
        #expect(TaskRules.mayMove(started, to: .cancelled, Self.facts(.officer, "hung")), "the creator manages")
        #expect(!TaskRules.mayMove(started, to: .cancelled, Self.facts(.staff, "thuy")))
    }

    @Test func whoMayCreateAndComment() {
        #expect(TaskRules.mayCreate(Self.facts(.chair)))
        #expect(!TaskRules.mayCreate(Self.facts(.officer)))
        #expect(TaskRules.mayCreate(Self.facts(.officer, responsible: true)))
        #expect(!TaskRules.mayCreate(Self.facts(.admin)))
        #expect(!TaskRules.mayCreate(Self.facts(.auditor)))
        let task = WorkTask(id: "T-1", commune: "02014", title: "t", state: .done, assignee: "minh", creator: "hung")
        #expect(TaskRules.mayComment(task, Self.facts(.officer, "minh")), "the assignee comments, even when done")
        #expect(!TaskRules.mayComment(task, Self.facts(.officer, "other")))
        #expect(!TaskRules.mayComment(task, Self.facts(.auditor)))
    }

    @Test func overdueIsDerived() {
        var task = WorkTask(commune: "02014", title: "t", state: .inprogress, due: "2026-11-20", creator: "hung")
        #expect(task.isOverdue(today: "2026-11-21"))
        #expect(!task.isOverdue(today: "2026-11-20"), "due today is not yet overdue")
        task.state = .done
        #expect(!task.isOverdue(today: "2026-12-01"))
    }
}
