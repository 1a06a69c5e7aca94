import CaseLineDomain
import CaseLineStore
import Foundation
import Testing

/// What `import lists` asks of the store beyond survey imports (issue 18): a household of a split legacy
/// commune keeps its successor (read back by every household read, kept by later writes), a refusal names
/// where the files describe the household (`origin`), and a file that states no members matches a household
/// imported with them.
@Suite("Store contract: history import")
struct HistoryImportContractTests {
    static func imported(
        _ key: String, successor: String?, fingerprint: String, origin: String? = nil, members: Int = 0
    ) -> HouseholdImport {
        var household = Fixture.household(idNumber: nil, commune: "legacy:05461")
        household.successor = successor
        return HouseholdImport(
            key: "legacy:05461/\(key)", fingerprint: fingerprint, existing: nil, household: household,
            members: (0..<members).map {
                HouseholdMember(
                    household: "", name: "Lê Văn \($0)", gender: .male, birth: "2001-01-0\($0 + 1)", relation: "con")
            }, lines: [4, 9], origin: origin,
            mark: ImportMark(
                source: "lists.csv", line: 4, importID: "IMP-20261202-010203-abcd", key: "legacy:05461/\(key)"))
    }

    @Test(arguments: StoreBackend.all)
    func aSplitCommunesHouseholdKeepsItsSuccessor(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            let batch = Fixture.entry("household:*", "import of lists.csv")
            let done = try await store.importHouseholds(
                [
                    Self.imported("GS-1", successor: "05467", fingerprint: "a+m1", members: 2),
                    Self.imported("GS-2", successor: nil, fingerprint: "b"),
                ], campaignRevision: nil, dryRun: false, audit: batch, then: { _ in ImportSteps() })
            #expect(done.created.count == 2 && done.members == 2)
            let moved = try #require(done.ids["legacy:05461/GS-1"])
            let plain = try #require(done.ids["legacy:05461/GS-2"])
            #expect(try await store.household(id: moved)?.successor == "05467")
            #expect(try await store.household(id: moved)?.size == 3)
            #expect(try await store.household(id: plain)?.successor == nil)
            let listed = try await store.households(communes: ["legacy:05461"])
            #expect(listed.first { $0.id == moved }?.successor == "05467")
            #expect(listed.first { $0.id == plain }?.successor == nil)
            // Where each came from is kept with its key; a household not imported has no mark.
            #expect(
                try await store.householdImportMark(household: moved)
                    == ImportMark(
                        source: "lists.csv", line: 4, importID: "IMP-20261202-010203-abcd", key: "legacy:05461/GS-1"))
            let made = try await store.createHousehold(
                Fixture.household(idNumber: nil, commune: "05443"), claim: nil,
                audit: Fixture.entry("household:-", "created"))
            #expect(try await store.householdImportMark(household: made.id) == nil)
            #expect(try await store.householdImportMark(household: "HH-999999") == nil)

            // A later change to the household keeps it; a saved successor is not the writer's to change.
            var changed = try #require(try await store.household(id: moved))
            changed.village = "Tổ 5"
            changed.successor = nil
            let saved = try await store.saveHousehold(
                changed, expectedRevision: changed.revision, audit: Fixture.entry("household:\(moved)", "updated"))
            #expect(saved.village == "Tổ 5")
            #expect(try await store.household(id: moved)?.successor == "05467")

            // The same head without members stated matches the household imported with them ("a" of "a+m1");
            // other members, or another head, do not — and the refusal names the origin given.
            let again = try await store.importHouseholds(
                [Self.imported("GS-1", successor: "05467", fingerprint: "a")], campaignRevision: nil, dryRun: false,
                audit: batch, then: { _ in ImportSteps() })
            #expect(again.unchanged == ["legacy:05461/GS-1"])
            let other = try await expectRefused(.conflict, details: ["household": moved], by: store) {
                try await store.importHouseholds(
                    [
                        Self.imported(
                            "GS-1", successor: "05467", fingerprint: "a+m2",
                            origin: "lists.csv line 4, members.csv lines 2–3")
                    ], campaignRevision: nil, dryRun: false, audit: batch, then: { _ in ImportSteps() })
            }
            #expect(other?.message.contains("lists.csv line 4, members.csv lines 2–3") == true)
            let head = try await expectRefused(.conflict, details: ["household": plain], by: store) {
                try await store.importHouseholds(
                    [Self.imported("GS-2", successor: nil, fingerprint: "c")], campaignRevision: nil, dryRun: false,
                    audit: batch, then: { _ in ImportSteps() })
            }
            #expect(head?.message.contains("lines 4–9") == true, "without an origin, the lines")
            // A file stating members matches a household imported without only if it states none.
            _ = try await expectRefused(.conflict, details: ["household": plain], by: store) {
                try await store.importHouseholds(
                    [Self.imported("GS-2", successor: nil, fingerprint: "b+m1")], campaignRevision: nil,
                    dryRun: false, audit: batch, then: { _ in ImportSteps() })
            }
        }
    }
}
