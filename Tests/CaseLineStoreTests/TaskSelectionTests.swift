import CaseLineDomain
import CaseLineStore
import CaseLineStoreSQLite
import Foundation
import Testing

/// A task list narrowed in SQL must return exactly what filtering every task in Swift returns.
@Suite("Task selection")
struct TaskSelectionTests {
    @Test func selectionsMatchFilteringEveryTask() async throws {
        let actor = Actor(login: "lan", connection: "c1@127.0.0.1")
        for store in try SQLiteStoreTests.stores() {
            for login in ["lan", "minh", "thuy"] {
                try await store.createUser(
                    User(login: login, name: login, role: .chair, scope: .province("19")), passwordHash: "h",
                    audit: AuditEntry(actor: actor, command: "TEST", entity: "user:\(login)", change: "created"))
            }
            var generator = SystemRandomNumberGenerator()
            for index in 0..<120 {
                let task = WorkTask(
                    commune: ["02014", "01912", "legacy:05800"].randomElement(using: &generator)!,
                    title: "Việc \(index)", state: WorkTask.State.allCases.randomElement(using: &generator)!,
                    assignee: [nil, "minh", "thuy"].randomElement(using: &generator)!, creator: "lan")
                _ = try await store.createTask(
                    task, transition: nil, claim: nil,
                    audit: AuditEntry(actor: actor, command: "TEST", entity: "task:-", change: "created"))
            }
            let all = try await store.tasks(communes: nil)
            #expect(all.count == 120)
            let open = Set(WorkTask.State.allCases.filter(\.isOpen))
            let selections = [
                TaskSelection(), TaskSelection(communes: ["02014"]),
                TaskSelection(communes: ["02014", "legacy:05800"]),
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
            try await store.close()
        }
    }
}
