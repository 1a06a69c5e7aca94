import CaseLineDomain
import CaseLineStore
import Foundation
import Testing

/// Tasks, their transitions and comments, and the selections a task list reads.
@Suite("Store contract: tasks")
struct TaskContractTests {
    @Test(arguments: StoreBackend.all)
    func aTaskIsCreatedWithItsFirstTransitionAndSavedByRevision(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, clock in
            try await Fixture.users(["lan", "thuy"], in: store)
            let created = Fixture.draft(.taskCreated, details: [EventDetail("task", EventDraft.newID)])
            let task = try await store.createTask(
                Fixture.task("Rà soát hộ nghèo", assignee: "thuy", creator: "lan"),
                transition: TaskTransition(
                    task: "-", from: .new, to: .assigned, by: "lan", at: .distantPast, reason: nil),
                claim: Fixture.claim("t1", login: "lan"), audit: Fixture.entry("task:-", "created", events: [created]))
            #expect(task.id == "T-1" && task.revision == 1 && task.state == .assigned && task.comments == 0)
            #expect(task.createdAt == clock.now && task.updatedAt == clock.now)
            #expect(task.title == "Rà soát hộ nghèo" && task.description == "Mô tả" && task.component == "1")
            #expect(
                task.assignee == "thuy" && task.due == "2026-07-01" && task.priority == .high && task.creator == "lan")
            #expect(try await store.task(id: "T-1") == task)
            #expect(try await store.task(id: "T-2") == nil)
            #expect(try await store.task(id: "C-1") == nil)
            // The transition is stamped by the store.
            let first = try await store.transitions(task: "T-1")
            #expect(first.count == 1)
            #expect(first.first?.from == .new && first.first?.to == .assigned && first.first?.at == clock.now)
            #expect(first.first?.task == "T-1" && first.first?.by == "lan")
            #expect(try await store.auditRecords(entity: "task:T-1", limit: 5, offset: 0).count == 1)
            #expect(try await store.idempotencyRecord(login: "lan", key: "t1", maxAge: 60)?.entity == "task:T-1")
            #expect(try await store.events(after: 0, through: nil, limit: 5).first?.draft["task"] == "T-1")

            clock.advance(60)
            var edited = task
            edited.state = .inprogress
            edited.title = "Rà soát hộ nghèo 2026"
            edited.due = nil
            let saved = try await store.saveTask(
                edited, expectedRevision: 1,
                transition: TaskTransition(
                    task: "T-1", from: .assigned, to: .inprogress, by: "thuy", at: .distantPast, reason: "bắt đầu"),
                audit: Fixture.entry("task:T-1", "state"))
            #expect(
                saved.revision == 2 && saved.state == .inprogress && saved.title == edited.title && saved.due == nil)
            #expect(saved.updatedAt == clock.now && saved.createdAt == task.createdAt)
            #expect(try await store.task(id: "T-1") == saved)
            let second = try await store.transitions(task: "T-1")
            #expect(second.map(\.to) == [.assigned, .inprogress])
            #expect(second.last?.reason == "bắt đầu" && second.last?.at == clock.now)

            // No transition given: none recorded.
            edited = saved
            edited.priority = .low
            _ = try await store.saveTask(edited, expectedRevision: 2, transition: nil, audit: Fixture.entry("task:T-1"))
            #expect(try await store.transitions(task: "T-1").count == 2)
            try await expectRefused(.conflict, details: ["current": "3"], by: store) {
                try await store.saveTask(edited, expectedRevision: 2, transition: nil, audit: Fixture.entry("task:T-1"))
            }
            #expect(try await store.task(id: "T-1")?.priority == .low)
            var missing = edited
            missing.id = "T-99"
            try await expectRefused(.notFound, by: store) {
                try await store.saveTask(
                    missing, expectedRevision: 1, transition: nil, audit: Fixture.entry("task:T-99"))
            }
            #expect(try await store.transitions(task: "T-99").isEmpty)
        }
    }

    @Test(arguments: StoreBackend.all)
    func commentsAreAppendedWithoutChangingTheTasksRevision(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, clock in
            try await Fixture.users(["lan", "thuy"], in: store)
            let task = try await store.createTask(
                Fixture.task("Họp thôn", creator: "lan"), transition: nil, claim: nil, audit: Fixture.entry("task:-"))
            let commented = Fixture.draft(
                .taskCommented, details: [EventDetail("task", task.id), EventDetail("comment", EventDraft.newID)])
            let comment = try await store.addComment(
                task: task.id, author: "thuy", text: "Đã liên hệ trưởng thôn.\nHẹn thứ Hai.",
                claim: Fixture.claim("m1", login: "thuy"),
                audit: Fixture.entry("task:\(task.id)", "comment", events: [commented]))
            #expect(comment.id.hasPrefix("TC-") && comment.task == task.id && comment.author == "thuy")
            #expect(comment.text == "Đã liên hệ trưởng thôn.\nHẹn thứ Hai." && comment.at == clock.now)
            #expect(try await store.comment(id: comment.id) == comment)
            #expect(try await store.comment(id: "TC-99") == nil)
            #expect(
                try await store.idempotencyRecord(login: "thuy", key: "m1", maxAge: 60)?.entity
                    == "comment:\(comment.id)")
            #expect(try await store.events(after: 0, through: nil, limit: 5).last?.draft["comment"] == comment.id)
            clock.advance(1)
            let second = try await store.addComment(
                task: task.id, author: "lan", text: "OK", claim: nil, audit: Fixture.entry("task:\(task.id)"))
            #expect(try await store.comments(task: task.id) == [comment, second])
            #expect(try await store.comments(task: "T-99").isEmpty)
            let stored = try #require(try await store.task(id: task.id))
            #expect(stored.comments == 2 && stored.revision == 1)
            try await expectRefused(.notFound, by: store) {
                try await store.addComment(
                    task: "bogus", author: "lan", text: "x", claim: nil, audit: Fixture.entry("task:bogus"))
            }
        }
    }

    /// A list narrowed by the store must return exactly what filtering every task in Swift returns.
    @Test(arguments: StoreBackend.all)
    func selectionsMatchFilteringEveryTask(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            try await Fixture.users(["lan", "minh", "thuy"], in: store)
            var generator = SystemRandomNumberGenerator()
            var created: [String] = []
            for index in 0..<120 {
                let task = WorkTask(
                    commune: ["02014", "01912", "legacy:05800"].randomElement(using: &generator)!,
                    title: "Việc \(index)", state: WorkTask.State.allCases.randomElement(using: &generator)!,
                    assignee: [nil, "minh", "thuy"].randomElement(using: &generator)!, creator: "lan")
                created.append(
                    try await store.createTask(task, transition: nil, claim: nil, audit: Fixture.entry("task:-")).id)
            }
            let all = try await store.tasks(TaskSelection())
            #expect(all.count == 120)
            #expect(all.map(\.id) == created, "in id order, which is creation order")
            let open = Set(WorkTask.State.allCases.filter(\.isOpen))
            let selections = [
                TaskSelection(communes: ["02014"]), TaskSelection(communes: ["02014", "legacy:05800"]),
                TaskSelection(communes: []), TaskSelection(assignee: "minh"), TaskSelection(assignee: "nobody"),
                TaskSelection(states: open), TaskSelection(states: [.blocked]), TaskSelection(states: []),
                TaskSelection(communes: ["01912"], assignee: "thuy", states: open),
            ]
            for selection in selections {
                let expected = all.filter { task in
                    (selection.communes?.contains(task.commune) ?? true)
                        && (selection.assignee.map { task.assignee == $0 } ?? true)
                        && (selection.states?.contains(task.state) ?? true)
                }
                let found = try await store.tasks(selection)
                #expect(found.map(\.id) == expected.map(\.id), "\(selection)")
            }
        }
    }
}
