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
        entries: [ListEntry], facts: [Int: HouseholdFacts], totals: [String: [Int: HouseholdTotal]],
        communes: Set<String>, years: ClosedRange<Int>, byCommune: Bool
    ) throws -> PovertyReport {
        var report = PovertyReport()
        // Each year's list by household number; and each household's classes before the first year.
        var lists: [Int: [Int: ListedHousehold]] = [:]
        for y in years { lists[y] = [:] }
        var before: [Int: [Int: ReviewClass]] = [:]
        for entry in entries where communes.contains(entry.commune) && entry.listYear <= years.upperBound {
            let listed = ListedHousehold(entry.classification, persons: entry.persons)
            if entry.listYear < years.lowerBound {
                if entry.classification.isPoorOrNearPoor {
                    before[entry.household, default: [:]][entry.listYear] = entry.classification
                }
            } else {
                lists[entry.listYear]![entry.household] = listed
            }
        }

        func year(_ y: Int, communes counted: Set<String>, entries list: [Int: ListedHousehold]) -> Year {
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
            let list = lists[y]!
            let totalYear = year(y, communes: communes, entries: list)
            report.years.append(totalYear)
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
            for group in Group.allCases {
                byGroup[group]!.poorShare = Rate.of(byGroup[group]!.poor.households, totalYear.poor.households)
                byGroup[group]!.nearPoorShare = Rate.of(
                    byGroup[group]!.nearPoor.households, totalYear.nearPoor.households)
                report.groups.append(byGroup[group]!)
            }
        }
        if byCommune {
            var entriesByCommune: [String: [Int: [Int: ListedHousehold]]] = [:]
            for entry in entries where communes.contains(entry.commune) && years.contains(entry.listYear) {
                entriesByCommune[entry.commune, default: [:]][entry.listYear, default: [:]][entry.household] =
                    ListedHousehold(entry.classification, persons: entry.persons)
            }
            var perCommune: [String: [Year]] = [:]
            for commune in communes {
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
                if said { perCommune[commune] = rows }
            }
            report.communes = perCommune.keys.sorted(by: { ($0.count, $0) < ($1.count, $1) }).map {
                ($0, perCommune[$0]!)
            }
        }
        // Flows between consecutive years. Only households on a list in either year can move on or off a list
        // (a household on neither list in both years is in no flow), so only they are handed to
        // ListTransitions, with their classes on the lists of every earlier year.
        var earlier = before
        for y in years where y < years.upperBound {
            let previous = lists[y]!
            let current = lists[y + 1]!
            var relevant = Set<Int>()
            for (id, listed) in previous where listed.classification.isPoorOrNearPoor { relevant.insert(id) }
            for (id, listed) in current where listed.classification.isPoorOrNearPoor { relevant.insert(id) }
            var from: [String: ListedHousehold] = [:]
            var to: [String: ListedHousehold] = [:]
            var history: [String: [Int: ReviewClass]] = [:]
            from.reserveCapacity(relevant.count)
            to.reserveCapacity(relevant.count)
            for id in relevant {
                let key = String(id)
                if let listed = previous[id] { from[key] = listed }
                if let listed = current[id] { to[key] = listed }
                if let classes = earlier[id] { history[key] = classes }
            }
            report.flows.append(
                try ListTransitions.derive(
                    previous: YearList(year: y, households: from), current: YearList(year: y + 1, households: to),
                    history: history
                ).get())
            for (id, listed) in previous where listed.classification.isPoorOrNearPoor {
                earlier[id, default: [:]][y] = listed.classification
            }
        }
        return report
    }
}
