/// The poverty report (CLP1.md `REPORT POVERTY`): for each list year of a period, the resident households
/// (the recorded totals), the poor and near-poor households and persons on the lists in force, and the rates;
/// the flows between consecutive years; the lists broken down by group; and the targets judged. Pure: the
/// server hands in what the store read in one snapshot.
public struct PovertyReport: Sendable, Hashable {
    public struct Counts: Sendable, Hashable {
        public var households = 0
        public var persons = 0

        mutating func add(_ persons: Int) {
            households += 1
            self.persons += persons
        }
    }

    /// One year's figures for the unit (or one commune of it).
    public struct Year: Sendable, Hashable {
        public var year: Int
        /// Resident households and persons: set only when every commune expected that year has a total.
        public var households: Int?
        public var persons: Int?
        public var communesWithoutTotal = 0
        public var poor = Counts()
        public var nearPoor = Counts()

        public init(year: Int) { self.year = year }

        public var poorRate: Int? { households.flatMap { Rate.of(poor.households, $0) } }
        public var nearPoorRate: Int? { households.flatMap { Rate.of(nearPoor.households, $0) } }
        /// (poor + near-poor) / total.
        public var multidimensionalRate: Int? {
            households.flatMap { Rate.of(poor.households + nearPoor.households, $0) }
        }
    }

    public enum Group: String, Sendable, Hashable, CaseIterable {
        case ethnicMinority = "ethnic-minority"
        case femaleHead = "female-head"
        case rural, urban
    }

    public struct GroupFigures: Sendable, Hashable {
        public var year: Int
        public var group: Group
        public var poor = Counts()
        public var nearPoor = Counts()
        /// Shares of each list's households, in hundredths of a percent.
        public var poorShare: Int?
        public var nearPoorShare: Int?
    }

    public var years: [Year] = []
    /// Per commune, with `byCommune`: commune → its years.
    public var communes: [(commune: String, years: [Year])] = []
    public var flows: [ListTransitions] = []
    public var groups: [GroupFigures] = []

    public static func == (a: PovertyReport, b: PovertyReport) -> Bool {
        a.years == b.years && a.flows == b.flows && a.groups == b.groups
            && a.communes.map(\.commune) == b.communes.map(\.commune)
            && a.communes.map(\.years) == b.communes.map(\.years)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(years) }

    /// The edition whose communes made a year's list: the lists up to 2025 were decided by the communes in
    /// force before 1 July 2025, those from 2026 (decided from September 2025) by the 2025 communes.
    public static func legacyEdition(listYear: Int) -> Bool { listYear <= 2025 }

    /// Computes the report.
    /// - Parameters:
    ///   - entries: the lists in force of the counted communes (and of no other), for every year up to `years.upperBound`
    ///     (earlier years feed "fell back").
    ///   - facts: register facts by household id (a household without facts is left out of the breakdowns).
    ///   - totals: recorded totals by commune, then year.
    ///   - communes: the communes counted (`CODE` and `legacy:CODE`).
    public static func compute(
        entries: [ListEntry], facts: [Int: HouseholdFacts], totals: [String: [Int: HouseholdTotal]],
        communes: Set<String>, years: ClosedRange<Int>, byCommune: Bool
    ) throws -> PovertyReport {
        var report = PovertyReport()
        // Household numbers are dense (HH-1, HH-2 …): each year's list is two arrays indexed by them — a
        // province's half a million entries then cost no hashing. Class codes: -1 not on the register that
        // year, else the index in `classes`.
        let classes = ListEntry.classes
        func code(_ c: ReviewClass) -> Int8 { Int8(ListEntry.code(c)) }
        // The store hands over the counted communes' entries only (`PovertySnapshot`): no commune test per entry.
        let counted = entries.filter { $0.listYear <= years.upperBound }
        // Slots: the household numbers themselves when they are dense enough; numbered afresh when the unit's
        // households are a sparse part of a larger store (a province among many), so memory follows the unit.
        let highest = counted.map(\.household).max() ?? 0
        var slotOf: [Int: Int]?
        var numberOf: [Int] = []
        if highest >= 4 * max(counted.count, 1024) {
            var slots: [Int: Int] = [:]
            for entry in counted where slots[entry.household] == nil {
                slots[entry.household] = numberOf.count
                numberOf.append(entry.household)
            }
            slotOf = slots
        }
        func slot(_ household: Int) -> Int { slotOf?[household] ?? household }
        func number(_ slot: Int) -> Int { slotOf == nil ? slot : numberOf[slot] }
        let size = slotOf == nil ? highest + 1 : numberOf.count
        let first = min(years.lowerBound, counted.map(\.listYear).min() ?? years.lowerBound)
        let span = years.upperBound - first + 1
        var classOf = [[Int8]](repeating: [Int8](repeating: -1, count: size), count: span)
        var personsOf = [[Int32]](repeating: [Int32](repeating: 0, count: size), count: span)
        for entry in counted {
            classOf[entry.listYear - first][slot(entry.household)] = code(entry.classification)
            personsOf[entry.listYear - first][slot(entry.household)] = Int32(entry.persons)
        }

        func totalsOf(_ y: Int, _ counted: Set<String>, into figures: inout Year) {
            let expected = counted.filter { $0.hasPrefix("legacy:") == legacyEdition(listYear: y) }
            var households = 0
            var persons: Int? = 0
            for commune in expected {
                if let total = totals[commune]?[y] {
                    households += total.households
                    persons = persons.flatMap { sum in total.persons.map { sum + $0 } }
                } else {
                    figures.communesWithoutTotal += 1
                }
            }
            if !expected.isEmpty && figures.communesWithoutTotal == 0 {
                figures.households = households
                figures.persons = persons
            }
        }

        for y in years {
            var figures = Year(year: y)
            totalsOf(y, communes, into: &figures)
            var byGroup: [GroupFigures] = Group.allCases.map { GroupFigures(year: y, group: $0) }
            let row = classOf[y - first]
            let people = personsOf[y - first]
            for id in 0..<size where row[id] == 1 || row[id] == 2 {
                let persons = Int(people[id])
                let poor = row[id] == 1
                if poor { figures.poor.add(persons) } else { figures.nearPoor.add(persons) }
                guard let fact = facts[number(id)] else { continue }
                // Group order: ethnicMinority, femaleHead, rural, urban.
                var member = [fact.urban ? 3 : 2]
                if fact.minority { member.append(0) }
                if fact.femaleHead { member.append(1) }
                for group in member {
                    if poor { byGroup[group].poor.add(persons) } else { byGroup[group].nearPoor.add(persons) }
                }
            }
            report.years.append(figures)
            for index in byGroup.indices {
                byGroup[index].poorShare = Rate.of(byGroup[index].poor.households, figures.poor.households)
                byGroup[index].nearPoorShare = Rate.of(byGroup[index].nearPoor.households, figures.nearPoor.households)
            }
            report.groups += byGroup
        }
        if byCommune {
            // Per commune and year: the lists' counts, read off the entries once.
            var perCommune: [String: [Int: Year]] = [:]
            var seen: [String: [Int: Bool]] = [:]
            for entry in counted where years.contains(entry.listYear) {
                seen[entry.commune, default: [:]][entry.listYear] = true
                guard entry.classification.isPoorOrNearPoor else { continue }
                var figures = perCommune[entry.commune]?[entry.listYear] ?? Year(year: entry.listYear)
                if entry.classification == .poor {
                    figures.poor.add(entry.persons)
                } else {
                    figures.nearPoor.add(entry.persons)
                }
                perCommune[entry.commune, default: [:]][entry.listYear] = figures
            }
            var rowsByCommune: [String: [Year]] = [:]
            for commune in communes {
                // A commune gives the years its edition made the lists, and any other year it has entries in.
                let rows = years.compactMap { y -> Year? in
                    let listed = seen[commune]?[y] ?? false
                    guard commune.hasPrefix("legacy:") == legacyEdition(listYear: y) || listed else { return nil }
                    var figures = perCommune[commune]?[y] ?? Year(year: y)
                    totalsOf(y, [commune], into: &figures)
                    return figures
                }
                // A commune of the other edition with nothing on its lists in the period says nothing.
                let said = rows.contains {
                    $0.households != nil || $0.poor.households > 0 || $0.nearPoor.households > 0
                }
                if said { rowsByCommune[commune] = rows }
            }
            report.communes = rowsByCommune.keys.sorted(by: { ($0.count, $0) < ($1.count, $1) }).map {
                ($0, rowsByCommune[$0]!)
            }
        }
        // Flows between consecutive years. Only households on a list in either year can move on or off a list
        // (a household on neither list in both years is in no flow), so only they are handed to
        // ListTransitions, with their classes on the lists of every earlier year.
        for y in years where y < years.upperBound {
            let previous = classOf[y - first]
            let current = classOf[y + 1 - first]
            var from: [String: ListedHousehold] = [:]
            var to: [String: ListedHousehold] = [:]
            var history: [String: [Int: ReviewClass]] = [:]
            for id in 0..<size {
                let (p, c) = (previous[id], current[id])
                guard p == 1 || p == 2 || c == 1 || c == 2 else { continue }
                let key = String(number(id))
                if p >= 0 { from[key] = ListedHousehold(classes[Int(p)], persons: Int(personsOf[y - first][id])) }
                if c >= 0 { to[key] = ListedHousehold(classes[Int(c)], persons: Int(personsOf[y + 1 - first][id])) }
                var earlier: [Int: ReviewClass] = [:]
                for back in first..<y {
                    let b = classOf[back - first][id]
                    if b == 1 || b == 2 { earlier[back] = classes[Int(b)] }
                }
                if !earlier.isEmpty { history[key] = earlier }
            }
            report.flows.append(
                try ListTransitions.derive(
                    previous: YearList(year: y, households: from), current: YearList(year: y + 1, households: to),
                    history: history
                ).get())
        }
        return report
    }
}
