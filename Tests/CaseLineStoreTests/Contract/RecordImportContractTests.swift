import CaseLineDomain
import CaseLineStore
import Foundation
import Testing

/// Case and task imports (`importCases`, `importTasks`): a whole file in one transaction, idempotent by key,
/// refused whole on a changed record or an unknown household, nothing kept by a dry run, no events.
@Suite("Store contract: case and task imports")
struct RecordImportContractTests {
    static func mark(_ key: String, line: Int) -> ImportMark {
        ImportMark(source: "cases.csv", line: line, importID: "IMP-1", key: "\(Fixture.commune)/\(key)")
    }

    static func decided(_ key: String, line: Int, households: [String], fingerprint: String = "f1") -> CaseImport {
        CaseImport(
            file: CaseFile(
                kind: .housingRepair, commune: Fixture.commune, title: "Sửa nhà hộ Lò Văn Pá", state: .approved,
                amount: 30_000_000, funding: [.init(source: "central", amount: 30_000_000)], creator: "lan",
                decidedAt: Date(timeIntervalSince1970: 1_655_226_000), year: 2022,
                beneficiaries: Beneficiaries(poor: 4, minority: 4), decision: "415/QĐ-UBND",
                imported: mark(key, line: line)),
            fingerprint: fingerprint, households: households, householdColumn: 9,
            communes: [Fixture.commune], change: "imported \(key)")
    }

    @Test(arguments: StoreBackend.all)
    func casesAreImportedWholeOnceAsDecidedWithoutEvents(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            try await Fixture.users(["lan"], in: store)
            let household = try await store.createHousehold(
                Fixture.household(idNumber: nil), claim: nil, audit: Fixture.entry("household:-"))
            let file = [
                Self.decided("HT-1", line: 2, households: [household.id]),
                Self.decided("HT-2", line: 3, households: [household.id]),
            ]
            let batch = Fixture.entry("case:*", "import IMP-1 of cases.csv")
            // A dry run counts and keeps nothing.
            let before = try await Footprint(store)
            let dry = try await store.importCases(file, dryRun: true, audit: batch)
            #expect(dry.created == ["02014/HT-1", "02014/HT-2"] && dry.unchanged.isEmpty)
            #expect(try await Footprint(store) == before)
            #expect(try await store.cases(communes: nil).isEmpty)

            let done = try await store.importCases(file, dryRun: false, audit: batch)
            #expect(done.created.count == 2)
            let id = try #require(done.ids["02014/HT-1"])
            let stored = try #require(try await store.caseFile(id: id))
            #expect(stored.state == .approved && stored.decision == "415/QĐ-UBND" && stored.round == 0)
            #expect(stored.decidedAt == Date(timeIntervalSince1970: 1_655_226_000) && stored.chain.isEmpty)
            #expect(stored.households == [household.id] && stored.year == 2022 && stored.amount == 30_000_000)
            #expect(stored.imported == Self.mark("HT-1", line: 2))
            #expect(try await store.steps(caseID: id).isEmpty)
            #expect(try await store.auditRecords(entity: "case:\(id)", limit: 5, offset: 0).count == 1)
            #expect(try await store.auditRecords(entity: "case:*", limit: 5, offset: 0).count == 1)
            let after = try await Footprint(store)
            #expect(after.auditRecords == before.auditRecords + 3 && after.eventHead == before.eventHead)
            let outputs = try await store.caseOutputs(communes: [Fixture.commune], years: 2022...2022)
            #expect(outputs.count == 2 && outputs.allSatisfy { $0.amount == 30_000_000 })

            // Again: nothing changes, nothing is written.
            let again = try await store.importCases(file, dryRun: false, audit: batch)
            #expect(again.created.isEmpty && again.unchanged.count == 2 && again.ids == done.ids)
            #expect(try await Footprint(store) == after)

            // A changed case refuses the whole file, a new case with it included.
            try await expectRefused(.conflict, details: ["case": id], by: store) {
                try await store.importCases(
                    [
                        Self.decided("HT-3", line: 2, households: [household.id]),
                        Self.decided("HT-1", line: 3, households: [household.id], fingerprint: "f2"),
                    ], dryRun: false, audit: batch)
            }
            // Households that are not there, or not of the case's commune: every one named by line and column.
            let elsewhere = try await store.createHousehold(
                Fixture.household(idNumber: nil, commune: Fixture.otherCommune), claim: nil,
                audit: Fixture.entry("household:-"))
            let refusal = try await expectRefused(.invalid, by: store) {
                try await store.importCases(
                    [
                        Self.decided("HT-4", line: 5, households: ["HH-999"]),
                        Self.decided("HT-5", line: 6, households: ["02014/NH-77", elsewhere.id]),
                    ], dryRun: false, audit: batch)
            }
            let message = refusal?.message ?? ""
            #expect(message.contains("line 5, column 9 (households): no household HH-999"), "\(message)")
            #expect(message.contains("line 6, column 9 (households): no household was imported under the key"))
            #expect(message.contains("is filed under \(Fixture.otherCommune)"))
            #expect(try await store.cases(communes: nil).count == 2)
        }
    }

    static func task(_ key: String, state: WorkTask.State, closed: Date?, fingerprint: String = "t1") -> TaskImport {
        TaskImport(
            task: WorkTask(
                commune: Fixture.commune, title: "Rà soát hộ nghèo tổ 3", state: state, component: "other",
                creator: "lan",
                imported: ImportMark(
                    source: "tasks.csv", line: 2, importID: "IMP-2", key: "\(Fixture.commune)/\(key)",
                    successor: "05467")
            ), fingerprint: fingerprint,
            transition: closed.map { TaskTransition(task: "", from: .new, to: state, by: "lan", at: $0, reason: nil) },
            change: "imported \(key)")
    }

    @Test(arguments: StoreBackend.all)
    func tasksAreImportedWholeOnceWithTheirMoveToDone(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, clock in
            try await Fixture.users(["lan"], in: store)
            let day = Date(timeIntervalSince1970: 1_669_309_200)
            let file = [Self.task("CV-1", state: .done, closed: day), Self.task("CV-2", state: .new, closed: nil)]
            let batch = Fixture.entry("task:*", "import IMP-2 of tasks.csv")
            let before = try await Footprint(store)
            let dry = try await store.importTasks(file, dryRun: true, audit: batch)
            #expect(dry.created.count == 2)
            #expect(try await Footprint(store) == before)
            #expect(try await store.tasks(communes: nil).isEmpty)

            let done = try await store.importTasks(file, dryRun: false, audit: batch)
            let id = try #require(done.ids["02014/CV-1"])
            let task = try #require(try await store.task(id: id))
            #expect(task.state == .done && task.imported?.successor == "05467" && task.imported?.line == 2)
            #expect(task.createdAt == clock.now)
            let moves = try await store.transitions(task: id)
            #expect(moves.count == 1 && moves.first?.at == day && moves.first?.to == .done)
            #expect(try await store.transitions(task: done.ids["02014/CV-2"] ?? "").isEmpty)
            #expect(try await store.auditRecords(entity: "task:\(id)", limit: 5, offset: 0).count == 1)
            let after = try await Footprint(store)
            #expect(after.auditRecords == before.auditRecords + 3 && after.eventHead == before.eventHead)

            let again = try await store.importTasks(file, dryRun: false, audit: batch)
            #expect(again.created.isEmpty && again.unchanged.count == 2)
            #expect(try await Footprint(store) == after)
            try await expectRefused(.conflict, details: ["task": id], by: store) {
                try await store.importTasks(
                    [
                        Self.task("CV-3", state: .new, closed: nil),
                        Self.task("CV-1", state: .done, closed: day, fingerprint: "t2"),
                    ],
                    dryRun: false, audit: batch)
            }
            #expect(try await store.tasks(communes: nil).count == 2)
        }
    }
}
