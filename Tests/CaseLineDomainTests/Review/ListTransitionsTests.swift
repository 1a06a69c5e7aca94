import CaseLineDomain
import Testing

@Suite struct ListTransitionsTests {
    static func list(_ year: Int, _ entries: [String: (ReviewClass, Int)]) -> YearList {
        YearList(year: year, households: entries.mapValues { ListedHousehold($0.0, persons: $0.1) })
    }

    /// A commune of ten households, 2025 → 2026, every kind of movement once.
    @Test func handMadeCommune() throws {
        let previous = Self.list(
            2025,
            [
                "HH-1": (.poor, 4),  // stays poor, a baby is born
                "HH-2": (.poor, 3),  // escapes to near-poor
                "HH-3": (.poor, 5),  // escapes to average-living
                "HH-4": (.poor, 2),  // moves away
                "HH-5": (.nearPoor, 4),  // escapes near-poverty
                "HH-6": (.nearPoor, 3),  // falls to poor (never poor before: newly poor)
                "HH-7": (.none, 6),  // falls back to poor (poor in 2023)
                "HH-8": (.none, 2),  // falls back to near-poor (near-poor in 2022)
                "HH-9": (.averageLiving, 5),  // newly near-poor
                "HH-11": (.nearPoor, 1),  // stays near-poor
            ])
        let current = Self.list(
            2026,
            [
                "HH-1": (.poor, 5), "HH-2": (.nearPoor, 3), "HH-3": (.averageLiving, 5), "HH-5": (.none, 4),
                "HH-6": (.poor, 3), "HH-7": (.poor, 6), "HH-8": (.nearPoor, 2), "HH-9": (.nearPoor, 5),
                "HH-10": (.poor, 1),  // a new household, split off, poor
                "HH-11": (.nearPoor, 1),
            ])
        let history: [String: [Int: ReviewClass]] = [
            "HH-7": [2023: .poor, 2024: .none], "HH-8": [2022: .nearPoor, 2023: .none], "HH-9": [2024: .poor],
        ]
        let flows = try ListTransitions.derive(previous: previous, current: current, history: history).get()
        let poor = flows.poor
        #expect(poor.start == Tally(households: ["HH-1", "HH-2", "HH-3", "HH-4"], persons: 14))
        #expect(poor.stayed.households == ["HH-1"] && poor.stayed.personsChange == 1)
        #expect(poor.escaped.toNearPoor == Tally(households: ["HH-2"], persons: 3))
        #expect(poor.escaped.toNotPoor == Tally(households: ["HH-3"], persons: 5))
        #expect(poor.left == Tally(households: ["HH-4"], persons: 2))
        #expect(poor.fellBack == Tally(households: ["HH-7"], persons: 6))
        #expect(poor.newly.fromNearPoor == Tally(households: ["HH-6"], persons: 3))
        #expect(poor.newly.fromElsewhere == Tally(households: ["HH-10"], persons: 1))
        #expect(poor.end == Tally(households: ["HH-1", "HH-10", "HH-6", "HH-7"], persons: 15))
        #expect(poor.households == Balance(start: 4, inflow: 3, outflow: 3, end: 4))
        #expect(poor.persons.holds)

        let near = flows.nearPoor
        #expect(near.start.households == ["HH-11", "HH-5", "HH-6"])
        #expect(near.escaped == Tally(households: ["HH-5"], persons: 4))
        #expect(near.toPoor == Tally(households: ["HH-6"], persons: 3))
        #expect(near.fromPoor == Tally(households: ["HH-2"], persons: 3))
        #expect(near.fellBack == Tally(households: ["HH-8"], persons: 2))
        // HH-9 was poor in 2024, never near-poor: "likewise" is strict, so it is newly near-poor.
        #expect(near.newly == Tally(households: ["HH-9"], persons: 5))
        #expect(near.left.count == 0 && near.stayed.households == ["HH-11"])
        #expect(near.end.count == 4 && near.households.holds && near.persons.holds)
    }

    @Test func aNearPoorHouseholdThatHadBeenPoorFallsBackToPoor() throws {
        let flows = try ListTransitions.derive(
            previous: Self.list(2025, ["A": (.nearPoor, 3)]), current: Self.list(2026, ["A": (.poor, 3)]),
            history: ["A": [2023: .poor, 2024: .nearPoor]]
        ).get()
        #expect(flows.poor.fellBack.households == ["A"])
        #expect(flows.poor.newly.total.count == 0)
        #expect(flows.nearPoor.toPoor.households == ["A"])
    }

    @Test func aHouseholdThatReturnsToTheRegisterPoorAfterLeavingIsFellBackOnlyIfItWasPoorBefore() throws {
        let flows = try ListTransitions.derive(
            previous: Self.list(2025, [:]), current: Self.list(2026, ["A": (.poor, 2), "B": (.poor, 2)]),
            history: ["A": [2023: .poor]]
        ).get()
        #expect(flows.poor.fellBack.households == ["A"])
        #expect(flows.poor.newly.fromElsewhere.households == ["B"])
    }

    @Test func badInputIsRefused() {
        let good = Self.list(2025, ["A": (.poor, 2)])
        let cases: [(YearList, YearList, [String: [Int: ReviewClass]])] = [
            (good, Self.list(2025, [:]), [:]),
            (good, Self.list(2026, ["A": (.poor, 0)]), [:]),
            (good, Self.list(2026, [:]), ["A": [2025: .poor]]),
        ]
        for (previous, current, history) in cases {
            let result = ListTransitions.derive(previous: previous, current: current, history: history)
            #expect(throws: DomainError.self) { try result.get() }
        }
    }

    /// The balance holds for households and persons over random pairs of lists, and every household of either
    /// list is counted exactly once on each side of each balance.
    @Test func theBalanceAlwaysHolds() throws {
        var random = SplitMix64(seed: 20_261_124)
        for _ in 0..<3_000 {
            let size = Int(random.next() % 40)
            var before: [String: ListedHousehold] = [:]
            var after: [String: ListedHousehold] = [:]
            var history: [String: [Int: ReviewClass]] = [:]
            for index in 0..<size {
                let id = "HH-\(index)"
                if random.next() % 6 != 0 {
                    before[id] = ListedHousehold(random.pick(ReviewClass.allCases), persons: 1 + Int(random.next() % 9))
                }
                if random.next() % 6 != 0 {
                    after[id] = ListedHousehold(random.pick(ReviewClass.allCases), persons: 1 + Int(random.next() % 9))
                }
                if random.next() % 3 == 0 {
                    history[id] = [2022: random.pick(ReviewClass.allCases), 2024: random.pick(ReviewClass.allCases)]
                }
            }
            let flows = try ListTransitions.derive(
                previous: YearList(year: 2025, households: before), current: YearList(year: 2026, households: after),
                history: history
            ).get()
            for balance in [
                flows.poor.households, flows.poor.persons, flows.nearPoor.households, flows.nearPoor.persons,
            ] {
                #expect(balance.holds, "\(balance)")
            }
            let poor = flows.poor
            let startSide = poor.stayed.households + poor.escaped.total.households + poor.left.households
            #expect(startSide.sorted() == poor.start.households.sorted())
            let endSide = poor.stayed.households + poor.newly.total.households + poor.fellBack.households
            #expect(endSide.sorted() == poor.end.households.sorted())
            let near = flows.nearPoor
            let nearStart =
                near.stayed.households + near.escaped.households + near.toPoor.households + near.left.households
            #expect(nearStart.sorted() == near.start.households.sorted())
            let nearEnd =
                near.stayed.households + near.fromPoor.households + near.newly.households + near.fellBack.households
            #expect(nearEnd.sorted() == near.end.households.sorted())
            #expect(near.fromPoor.households == poor.escaped.toNearPoor.households)
            #expect(
                Set(near.toPoor.households)
                    == Set(
                        poor.newly.fromNearPoor.households
                            + poor.fellBack.households.filter {
                                before[$0]?.classification == .nearPoor
                            }))
        }
    }
}

/// A small, seeded generator (Steele, Lea, Flood 2014) so that a failing case can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func pick<T>(_ values: [T]) -> T { values[Int(next() % UInt64(values.count))] }
}
