import CaseLineDomain
import Testing

@Suite struct ListMatrixTests {
    @Test func theLatestDecisionOfAHouseholdsYearWinsWhateverTheOrderRowsArriveIn() {
        var lists = ListMatrix(households: [10, 11, 12])
        let commune = lists.commune("legacy:00001")
        let y2024 = lists.yearIndex(2024)
        lists.add(household: 11, yearIndex: y2024, commune: commune, code: 1, persons: 4, order: 20)
        lists.add(household: 11, yearIndex: y2024, commune: commune, code: 2, persons: 3, order: 10)
        // A later year first, then an earlier one: the rows shift and nothing is lost.
        let y2026 = lists.yearIndex(2026)
        lists.add(household: 10, yearIndex: y2026, commune: commune, code: 3, persons: 2, order: 1)
        let y2022 = lists.yearIndex(2022)
        lists.add(household: 12, yearIndex: y2022, commune: commune, code: 1, persons: 0, order: 1)
        lists.finish()
        #expect(lists.firstYear == 2022 && lists.classes.count == 5)
        let entries = Set(lists.entries)
        #expect(
            entries == [
                ListEntry(household: 11, commune: "legacy:00001", listYear: 2024, classification: .poor, persons: 4),
                ListEntry(
                    household: 10, commune: "legacy:00001", listYear: 2026, classification: .averageLiving, persons: 2),
                // At least one person: a list never counts a household of nobody.
                ListEntry(household: 12, commune: "legacy:00001", listYear: 2022, classification: .poor, persons: 1),
            ])
    }

    @Test(arguments: [false, true])
    func householdsOutsideTheRegistersNumbersGetSlotsOfTheirOwn(_ sparse: Bool) {
        let spacing = sparse ? 1_000_000 : 1
        let register = (1...50).map { $0 * spacing }
        var lists = ListMatrix(households: register)
        for number in register { lists.setFacts(number, number % 2 == 0 ? ListMatrix.Fact.femaleHead : 0) }
        let commune = lists.commune("00010")
        let y = lists.yearIndex(2026)
        // A household that moved away from these communes since: not in the register read, still on the list.
        let moved = 999_999_999
        lists.add(household: moved, yearIndex: y, commune: commune, code: 2, persons: 5, order: 1)
        lists.add(household: register[3], yearIndex: y, commune: commune, code: 1, persons: 2, order: 1)
        lists.finish()
        #expect(lists.size == 51)
        #expect(
            Set(lists.entries.map(\.household)) == [moved, register[3]] && lists.facts.count == 50
                && lists.facts[moved] == nil)
        #expect(lists.facts[2 * spacing] == HouseholdFacts(minority: false, femaleHead: true, urban: false))
    }
}
