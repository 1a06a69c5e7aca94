/// The lists in force of a set of communes, year by year, as a report reads them: for each list year, every
/// household's class, persons and the commune whose list it is on; and each household's register facts.
///
/// Why a matrix: a province's five years are half a million entries, and a report visits each a few times
/// (counts, groups, flows between every pair of years). Kept as one array per year indexed by a household's
/// *slot*, the visits cost no hashing and no allocation. Slots are the household numbers themselves, offset
/// by the lowest, when the unit's households are dense enough (a province's store); otherwise (one commune
/// among a nation's) they are numbered afresh, so memory follows the unit and not the store.
public struct ListMatrix: Sendable {
    /// Class codes (`ListEntry.code`); -1 when the household was not on that year's register.
    public private(set) var classes: [[Int8]] = []
    public private(set) var persons: [[Int32]] = []
    /// Index into `communeNames` of the commune whose list holds the entry.
    public private(set) var communeIndex: [[Int32]] = []
    /// Register facts by slot (`Fact` bits); `Fact.known` is set for the households the register read.
    public private(set) var factBits: [UInt8]
    public private(set) var communeNames: [String] = []
    /// The first list year held (index 0 of `classes`), when any is.
    public private(set) var firstYear: Int?

    /// Register facts as bits, so a slot's facts are one byte.
    public enum Fact {
        public static let minority: UInt8 = 1
        public static let femaleHead: UInt8 = 2
        public static let urban: UInt8 = 4
        /// The register has facts for the household (one not in it is left out of the breakdowns).
        public static let known: UInt8 = 8
    }

    // Slots: the first `denseSize` are the numbers `base …` themselves; the rest (`extras`) are looked up.
    private var base = 0
    private var denseSize = 0
    private var extras: [Int] = []
    private var slotOf: [Int: Int] = [:]
    /// The latest decision's order of each entry ((day, campaign) as one integer), while building.
    private var order: [[Int64]] = []
    private var communeLookup: [String: Int32] = [:]

    /// Number of slots: every array of a year has this many.
    public var size: Int { denseSize + extras.count }

    /// A matrix for these households (their numbers, as the register lists them): numbered densely when
    /// their numbers span at most four times their count (or a few thousand).
    public init(households: [Int]) {
        let low = households.min() ?? 0
        let high = households.max() ?? -1
        let span = high - low + 1
        factBits = []
        if span > 0 && span <= 4 * max(households.count, 1024) {
            base = low
            denseSize = span
            factBits = [UInt8](repeating: 0, count: span)
        } else {
            for number in households { _ = slot(number) }
        }
    }

    /// The household number of a slot.
    public func household(_ slot: Int) -> Int { slot < denseSize ? base + slot : extras[slot - denseSize] }

    /// The slot of a household number, when the matrix holds it.
    public func slot(of number: Int) -> Int? {
        let offset = number - base
        if offset >= 0 && offset < denseSize { return offset }
        return slotOf[number]
    }

    /// The slot of a household number, made when the household is new to the matrix (in a dense matrix, an
    /// entry of a household the register no longer places in these communes: it moved away since).
    private mutating func slot(_ number: Int) -> Int {
        let offset = number - base
        if offset >= 0 && offset < denseSize { return offset }
        if let known = slotOf[number] { return known }
        let slot = size
        slotOf[number] = slot
        extras.append(number)
        factBits.append(0)
        for y in classes.indices {
            classes[y].append(-1)
            persons[y].append(0)
            communeIndex[y].append(0)
            order[y].append(Int64.min)
        }
        return slot
    }

    /// The commune's index in `communeNames`, added when new.
    public mutating func commune(_ name: String) -> Int32 {
        if let known = communeLookup[name] { return known }
        let index = Int32(communeNames.count)
        communeNames.append(name)
        communeLookup[name] = index
        return index
    }

    /// Records a household's register facts.
    public mutating func setFacts(_ household: Int, _ bits: UInt8) {
        let slot = slot(household)
        factBits[slot] = bits | Fact.known
    }

    /// The year's row, made (and earlier years before it) when new.
    public mutating func yearIndex(_ year: Int) -> Int {
        if let first = firstYear, year >= first, year - first < classes.count { return year - first }
        let first = firstYear.map { min($0, year) } ?? year
        let last = max(firstYear.map { $0 + classes.count - 1 } ?? year, year)
        var newClasses = [[Int8]]()
        var newPersons = [[Int32]]()
        var newCommunes = [[Int32]]()
        var newOrder = [[Int64]]()
        for y in first...last {
            if let old = firstYear, y >= old, y - old < classes.count {
                newClasses.append(classes[y - old])
                newPersons.append(persons[y - old])
                newCommunes.append(communeIndex[y - old])
                newOrder.append(order[y - old])
            } else {
                newClasses.append([Int8](repeating: -1, count: size))
                newPersons.append([Int32](repeating: 0, count: size))
                newCommunes.append([Int32](repeating: 0, count: size))
                newOrder.append([Int64](repeating: Int64.min, count: size))
            }
        }
        (classes, persons, communeIndex, order, firstYear) = (newClasses, newPersons, newCommunes, newOrder, first)
        return year - first
    }

    /// Adds one assessment of the lists: kept when its decision is the latest of the household's year so far
    /// (`order`: the decision's day, then its campaign's number — as `EffectiveList` decides).
    public mutating func add(
        household: Int, yearIndex y: Int, commune: Int32, code: Int, persons count: Int, order rank: Int64
    ) {
        let slot = slot(household)
        guard rank > order[y][slot] else { return }
        order[y][slot] = rank
        classes[y][slot] = Int8(code)
        persons[y][slot] = Int32(max(1, count))
        communeIndex[y][slot] = commune
    }

    /// The class code of a slot in a year (-1 when the year is not held or the household not on it).
    public func code(_ year: Int, _ slot: Int) -> Int8 {
        guard let first = firstYear, year >= first, year - first < classes.count else { return -1 }
        return classes[year - first][slot]
    }

    /// Frees what only building needed.
    public mutating func finish() {
        communeLookup = [:]
    }
}

extension ListMatrix {
    /// The matrix of some entries (tests, and stores that read entries whole): the latest of duplicates wins
    /// in the order given.
    public init(entries: [ListEntry], facts: [Int: HouseholdFacts]) {
        self.init(households: Array(Set(entries.map(\.household)).union(facts.keys)))
        for (number, fact) in facts { setFacts(number, fact.bits) }
        for (rank, entry) in entries.enumerated() {
            let y = yearIndex(entry.listYear)
            add(
                household: entry.household, yearIndex: y, commune: commune(entry.commune),
                code: ListEntry.code(entry.classification), persons: entry.persons, order: Int64(rank))
        }
        finish()
    }

    /// The entries held, household by household (tests compare them with what was written).
    public var entries: [ListEntry] {
        guard let first = firstYear else { return [] }
        var result: [ListEntry] = []
        for y in classes.indices {
            for slot in 0..<size where classes[y][slot] >= 0 {
                result.append(
                    ListEntry(
                        household: household(slot), commune: communeNames[Int(communeIndex[y][slot])],
                        listYear: first + y, classification: ListEntry.classes[Int(classes[y][slot])],
                        persons: Int(persons[y][slot])))
            }
        }
        return result
    }

    /// The facts held, by household number.
    public var facts: [Int: HouseholdFacts] {
        var result: [Int: HouseholdFacts] = [:]
        for slot in 0..<size where factBits[slot] & Fact.known != 0 {
            result[household(slot)] = HouseholdFacts(bits: factBits[slot])
        }
        return result
    }
}

extension HouseholdFacts {
    public var bits: UInt8 {
        (minority ? ListMatrix.Fact.minority : 0) | (femaleHead ? ListMatrix.Fact.femaleHead : 0)
            | (urban ? ListMatrix.Fact.urban : 0)
    }

    public init(bits: UInt8) {
        self.init(
            minority: bits & ListMatrix.Fact.minority != 0, femaleHead: bits & ListMatrix.Fact.femaleHead != 0,
            urban: bits & ListMatrix.Fact.urban != 0)
    }
}
