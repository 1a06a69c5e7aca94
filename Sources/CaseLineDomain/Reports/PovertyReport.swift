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
    ///   - entries: the lists in force of every counted commune, for every year up to `years.upperBound`
    ///     (earlier years feed "fell back").
    ///   - facts: register facts by household id (a household without facts is left out of the breakdowns).
    ///   - totals: recorded totals by commune, then year.
    ///   - communes: the communes counted (`CODE` and `legacy:CODE`).
    public static func compute(
        entries: [ListEntry], facts: [String: HouseholdFacts], totals: [String: [Int: HouseholdTotal]],
        communes: Set<String>, years: ClosedRange<Int>, byCommune: Bool
    ) throws -> PovertyReport {
        var report = PovertyReport()
        var lists: [Int: [String: ListedHousehold]] = [:]
        var history: [String: [Int: ReviewClass]] = [:]
        var perCommune: [String: [Int: Year]] = [:]
        for entry in entries where communes.contains(entry.commune) && entry.listYear <= years.upperBound {
            lists[entry.listYear, default: [:]][entry.household] = ListedHousehold(
                entry.classification, persons: entry.persons)
            if entry.listYear < years.lowerBound {
                history[entry.household, default: [:]][entry.listYear] = entry.classification
            }
        }

        func year(_ y: Int, communes counted: Set<String>, entries list: [String: ListedHousehold]) -> Year {
            var figures = Year(year: y)
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
            for listed in list.values {
                if listed.classification == .poor { figures.poor.add(listed.persons) }
                if listed.classification == .nearPoor { figures.nearPoor.add(listed.persons) }
            }
            return figures
        }

        for y in years {
            let list = lists[y] ?? [:]
            report.years.append(year(y, communes: communes, entries: list))
            var byGroup: [Group: GroupFigures] = [:]
            for group in Group.allCases { byGroup[group] = GroupFigures(year: y, group: group) }
            for (id, listed) in list where listed.classification.isPoorOrNearPoor {
                guard let fact = facts[id] else { continue }
                var member: [Group] = [fact.urban ? .urban : .rural]
                if fact.minority { member.append(.ethnicMinority) }
                if fact.femaleHead { member.append(.femaleHead) }
                for group in member {
                    if listed.classification == .poor {
                        byGroup[group]!.poor.add(listed.persons)
                    } else {
                        byGroup[group]!.nearPoor.add(listed.persons)
                    }
                }
            }
            let totalYear = report.years.last!
            for group in Group.allCases {
                byGroup[group]!.poorShare = Rate.of(byGroup[group]!.poor.households, totalYear.poor.households)
                byGroup[group]!.nearPoorShare = Rate.of(
                    byGroup[group]!.nearPoor.households, totalYear.nearPoor.households)
                report.groups.append(byGroup[group]!)
            }
        }
        if byCommune {
            var entriesByCommune: [String: [Int: [String: ListedHousehold]]] = [:]
            for entry in entries where communes.contains(entry.commune) && years.contains(entry.listYear) {
                entriesByCommune[entry.commune, default: [:]][entry.listYear, default: [:]][entry.household] =
                    ListedHousehold(entry.classification, persons: entry.persons)
            }
            for commune in communes.sorted(by: { ($0.count, $0) < ($1.count, $1) }) {
                // A commune gives the years its edition made the lists, and any other year it has entries in.
                let rows = years.compactMap { y -> Year? in
                    let list = entriesByCommune[commune]?[y] ?? [:]
                    guard commune.hasPrefix("legacy:") == legacyEdition(listYear: y) || !list.isEmpty else {
                        return nil
                    }
                    return year(y, communes: [commune], entries: list)
                }
                // A commune of the other edition with nothing on its lists in the period says nothing.
                let said = rows.contains {
                    $0.households != nil || $0.poor.households > 0 || $0.nearPoor.households > 0
                }
                if said { perCommune[commune] = Dictionary(uniqueKeysWithValues: rows.map { ($0.year, $0) }) }
            }
            report.communes = perCommune.keys.sorted(by: { ($0.count, $0) < ($1.count, $1) }).map { commune in
                (commune, years.compactMap { perCommune[commune]?[$0] })
            }
        }
        // Flows between consecutive years; a year's history is every year before the earlier list.
        var earlier = history
        for y in years where y < years.upperBound {
            let previous = YearList(year: y, households: lists[y] ?? [:])
            let current = YearList(year: y + 1, households: lists[y + 1] ?? [:])
            report.flows.append(
                try ListTransitions.derive(previous: previous, current: current, history: earlier).get())
            for (id, listed) in lists[y] ?? [:] { earlier[id, default: [:]][y] = listed.classification }
        }
        return report
    }
}
