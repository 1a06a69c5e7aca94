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
        /// Households of the poor (near-poor) list named in an approved health-insurance case of the year.
        public var poorInsured = 0
        public var nearPoorInsured = 0

        public init(year: Int) { self.year = year }

        /// Shares of each list covered by health insurance (nil for an empty list).
        public var poorInsuredShare: Int? { Rate.of(poorInsured, poor.households) }
        public var nearPoorInsuredShare: Int? { Rate.of(nearPoorInsured, nearPoor.households) }

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

    /// Computes the report from entries (tests; the server hands in a `ListMatrix` the store built).
    public static func compute(
        entries: [ListEntry], facts: [Int: HouseholdFacts], totals: [String: [Int: HouseholdTotal]],
        communes: Set<String>, years: ClosedRange<Int>, byCommune: Bool, insured: [Int: Set<Int>] = [:]
    ) throws -> PovertyReport {
        try compute(
            lists: ListMatrix(entries: entries.filter { $0.listYear <= years.upperBound }, facts: facts),
            totals: totals, communes: communes, years: years, byCommune: byCommune, insured: insured)
    }

    /// Computes the report.
    /// - Parameters:
    ///   - lists: the lists in force of the counted communes (and of no other), for every year up to
    ///     `years.upperBound` (earlier years feed "fell back"), with the register facts of their households (a
    ///     household without facts is left out of the breakdowns).
    ///   - totals: recorded totals by commune, then year.
    ///   - communes: the communes counted (`CODE` and `legacy:CODE`).
    ///   - insured: by programme year, the households named in an approved health-insurance case of that year.
    public static func compute(
        lists: ListMatrix, totals: [String: [Int: HouseholdTotal]], communes: Set<String>,
        years: ClosedRange<Int>, byCommune: Bool, insured: [Int: Set<Int>] = [:]
    ) throws -> PovertyReport {
        var report = PovertyReport()
        let classes = ListEntry.classes
        let size = lists.size
        let absent = [Int8](repeating: -1, count: size)
        // A year's classes; years the matrix does not hold (or beyond the period) are empty.
        func row(_ y: Int) -> [Int8] {
            guard y <= years.upperBound, let first = lists.firstYear, y >= first, y - first < lists.classes.count
            else { return absent }
            return lists.classes[y - first]
        }
        func people(_ y: Int) -> [Int32] {
            guard let first = lists.firstYear, y >= first, y - first < lists.persons.count else {
                return [Int32](repeating: 0, count: size)
            }
            return lists.persons[y - first]
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

        let facts = lists.factBits
        for y in years {
            var figures = Year(year: y)
            totalsOf(y, communes, into: &figures)
            var byGroup: [GroupFigures] = Group.allCases.map { GroupFigures(year: y, group: $0) }
            let codes = row(y)
            let counts = people(y)
            for id in 0..<size where codes[id] == 1 || codes[id] == 2 {
                let persons = Int(counts[id])
                let poor = codes[id] == 1
                if poor { figures.poor.add(persons) } else { figures.nearPoor.add(persons) }
                let bits = facts[id]
                guard bits & ListMatrix.Fact.known != 0 else { continue }
                // Group order: ethnicMinority, femaleHead, rural, urban.
                func count(_ group: Int) {
                    if poor { byGroup[group].poor.add(persons) } else { byGroup[group].nearPoor.add(persons) }
                }
                count(bits & ListMatrix.Fact.urban != 0 ? 3 : 2)
                if bits & ListMatrix.Fact.minority != 0 { count(0) }
                if bits & ListMatrix.Fact.femaleHead != 0 { count(1) }
            }
            for household in insured[y] ?? [] {
                guard let slot = lists.slot(of: household) else { continue }
                if codes[slot] == 1 {
                    figures.poorInsured += 1
                } else if codes[slot] == 2 {
                    figures.nearPoorInsured += 1
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
            // Per commune and year: the lists' counts, read off the matrix once.
            let names = lists.communeNames
            var perCommune = [[Year?]](repeating: [Year?](repeating: nil, count: years.count), count: names.count)
            var seen = [[Bool]](repeating: [Bool](repeating: false, count: years.count), count: names.count)
            for y in years {
                guard let first = lists.firstYear, y >= first, y - first < lists.classes.count else { continue }
                let codes = lists.classes[y - first]
                let counts = lists.persons[y - first]
                let listedIn = lists.communeIndex[y - first]
                let column = y - years.lowerBound
                for id in 0..<size where codes[id] >= 0 {
                    let commune = Int(listedIn[id])
                    seen[commune][column] = true
                    guard codes[id] == 1 || codes[id] == 2 else { continue }
                    var figures = perCommune[commune][column] ?? Year(year: y)
                    if codes[id] == 1 {
                        figures.poor.add(Int(counts[id]))
                    } else {
                        figures.nearPoor.add(Int(counts[id]))
                    }
                    perCommune[commune][column] = figures
                }
            }
            var index: [String: Int] = [:]
            for (i, name) in names.enumerated() { index[name] = i }
            var rowsByCommune: [String: [Year]] = [:]
            for commune in communes {
                let i = index[commune]
                // A commune gives the years its edition made the lists, and any other year it has entries in.
                let rows = years.compactMap { y -> Year? in
                    let column = y - years.lowerBound
                    let listed = i.map { seen[$0][column] } ?? false
                    guard commune.hasPrefix("legacy:") == legacyEdition(listYear: y) || listed else { return nil }
                    var figures = i.flatMap { perCommune[$0][column] } ?? Year(year: y)
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
        // Flows between consecutive years, counted (not listed) by the rule of ListTransitions, household by
        // household: only households on a list in either year can move on or off a list, and "fell back"
        // looks at their classes on the lists of every earlier year held.
        let first = lists.firstYear ?? years.lowerBound
        for y in years where y < years.upperBound {
            let previous = row(y)
            let current = row(y + 1)
            let personsBefore = people(y)
            let personsAfter = people(y + 1)
            let earlier = (first..<max(first, y)).map(row)
            var flows = ListTransitions(
                previousYear: y, currentYear: y + 1, poor: PoorFlows(), nearPoor: NearPoorFlows())
            for id in 0..<size {
                let (p, c) = (previous[id], current[id])
                guard p == 1 || p == 2 || c == 1 || c == 2 else { continue }
                var wasPoor = false
                var wasNearPoor = false
                for codes in earlier {
                    if codes[id] == 1 { wasPoor = true } else if codes[id] == 2 { wasNearPoor = true }
                }
                flows.add(
                    nil, before: p >= 0 ? ListedHousehold(classes[Int(p)], persons: Int(personsBefore[id])) : nil,
                    after: c >= 0 ? ListedHousehold(classes[Int(c)], persons: Int(personsAfter[id])) : nil,
                    wasPoor: wasPoor, wasNearPoor: wasNearPoor)
            }
            report.flows.append(flows)
        }
        return report
    }
}
