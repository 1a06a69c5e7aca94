/// What changed between two years' lists, in the terms of the programme's reports (TT 10/2022: poor and
/// near-poor counts, escaped, newly poor, fell back), with household and person counts. "Escaped" is not a
/// class: it is derived here, from the two lists and each household's earlier years.
///
/// For a household h, let P be its class on the earlier list (`previous`), C its class on the later one
/// (`current`) — either may be missing when h was not in the register that year — and H the classes of its
/// years before `previous` (`history`).
///
/// The poor list:
/// - **thoát nghèo** (escaped poor): P = poor and C is a class other than poor; split into those now near-poor
///   (`toNearPoor`) and those on neither list (`toNotPoor`: average-living or not classified).
/// - **left**: P = poor and h is absent from the later list (moved, merged, died out) — leaving the register is
///   not escaping.
/// - **tái nghèo** (fell back): C = poor, P is not poor (or missing), and h was poor in some year of H: it had
///   been poor, was not, and is again.
/// - **phát sinh nghèo** (newly poor): C = poor, P is not poor (or missing), and h was never poor in H; split
///   into those that were near-poor (`fromNearPoor`) and the rest.
///
/// The near-poor list:
/// - **thoát cận nghèo** (escaped near-poor): P = near-poor and C is average-living or not classified.
/// - **toPoor**: P = near-poor and C = poor (counted in the poor list as newly poor or fell back).
/// - **left**: P = near-poor and h is absent from the later list.
/// - **fromPoor**: P = poor and C = near-poor (the poor list's `escaped.toNearPoor`).
/// - **tái cận nghèo** (fell back): C = near-poor, P is neither poor nor near-poor (or missing), and h was
///   near-poor in some year of H. A household that had been poor, but never near-poor, and comes back as
///   near-poor is newly near-poor: "likewise" is read strictly.
/// - **phát sinh cận nghèo** (newly near-poor): C = near-poor, P is neither poor nor near-poor (or missing),
///   and h was never near-poor in H.
///
/// Each list balances: start + inflows − outflows = end, for households exactly, and for persons once the
/// change in size of the households that stayed is added (`stayed.personsChange`).
public struct ListTransitions: Sendable, Hashable, Codable {
    public var previousYear: Int
    public var currentYear: Int
    public var poor: PoorFlows
    public var nearPoor: NearPoorFlows

    /// Derives the flows. Refused (`INVALID`) when the later list is not later, a household counts fewer than
    /// one person, or the history has a year that is not before the earlier list.
    public static func derive(
        previous: YearList, current: YearList, history: [String: [Int: ReviewClass]] = [:]
    ) -> Result<ListTransitions, DomainError> {
        guard current.year > previous.year else {
            return .failure(DomainError(.invalid, "the later list (\(current.year)) must follow \(previous.year)"))
        }
        for (list, name) in [(previous, "\(previous.year)"), (current, "\(current.year)")] {
            if let (id, _) = list.households.first(where: { $0.value.persons < 1 }) {
                return .failure(DomainError(.invalid, "household \(id) counts no person on the \(name) list"))
            }
        }
        for (id, years) in history {
            if let year = years.keys.first(where: { $0 >= previous.year }) {
                return .failure(
                    DomainError(.invalid, "history of \(id) has \(year), not before the \(previous.year) list"))
            }
        }

        var flows = ListTransitions(
            previousYear: previous.year, currentYear: current.year, poor: PoorFlows(), nearPoor: NearPoorFlows())
        let ids = Set(previous.households.keys).union(current.households.keys).sorted()
        for id in ids {
            let earlier = Set((history[id] ?? [:]).values)
            flows.add(
                id, before: previous.households[id], after: current.households[id],
                wasPoor: earlier.contains(.poor), wasNearPoor: earlier.contains(.nearPoor))
        }
        return .success(flows)
    }

    /// Where one household goes, the rule above applied once: `before` / `after` are its entries on the earlier
    /// and later lists (nil when not on the register), `wasPoor` / `wasNearPoor` whether it had that class in
    /// an earlier year. `id` is kept in the tallies when given; reports that need only counts pass nil.
    public mutating func add(
        _ id: String?, before: ListedHousehold?, after: ListedHousehold?, wasPoor: Bool, wasNearPoor: Bool
    ) {
        let p = before?.classification
        let c = after?.classification
        let personsBefore = before?.persons ?? 0
        let personsAfter = after?.persons ?? 0

        // The poor list.
        if p == .poor { poor.start.add(id, personsBefore) }
        if c == .poor { poor.end.add(id, personsAfter) }
        if p == .poor, c == .poor {
            poor.stayed.add(id, before: personsBefore, after: personsAfter)
        } else if p == .poor, c == .nearPoor {
            poor.escaped.toNearPoor.add(id, personsBefore)
        } else if p == .poor, c != nil {
            poor.escaped.toNotPoor.add(id, personsBefore)
        } else if p == .poor {
            poor.left.add(id, personsBefore)
        } else if c == .poor, wasPoor {
            poor.fellBack.add(id, personsAfter)
        } else if c == .poor, p == .nearPoor {
            poor.newly.fromNearPoor.add(id, personsAfter)
        } else if c == .poor {
            poor.newly.fromElsewhere.add(id, personsAfter)
        }

        // The near-poor list.
        if p == .nearPoor { nearPoor.start.add(id, personsBefore) }
        if c == .nearPoor { nearPoor.end.add(id, personsAfter) }
        if p == .nearPoor, c == .nearPoor {
            nearPoor.stayed.add(id, before: personsBefore, after: personsAfter)
        } else if p == .nearPoor, c == .poor {
            nearPoor.toPoor.add(id, personsBefore)
        } else if p == .nearPoor, c != nil {
            nearPoor.escaped.add(id, personsBefore)
        } else if p == .nearPoor {
            nearPoor.left.add(id, personsBefore)
        } else if c == .nearPoor, p == .poor {
            nearPoor.fromPoor.add(id, personsAfter)
        } else if c == .nearPoor, wasNearPoor {
            nearPoor.fellBack.add(id, personsAfter)
        } else if c == .nearPoor {
            nearPoor.newly.add(id, personsAfter)
        }
    }
}

/// Households (their ids, sorted) and the persons they count.
public struct Tally: Sendable, Hashable, Codable {
    /// The households' ids, when they were counted with their ids (REVIEW FLOWS; a report counts only).
    public var households: [String] = []
    public var count: Int = 0
    public var persons: Int = 0

    public init(households: [String] = [], persons: Int = 0) {
        self.households = households
        self.count = households.count
        self.persons = persons
    }

    mutating func add(_ id: String?, _ persons: Int) {
        if let id { households.append(id) }
        count += 1
        self.persons += persons
    }

    static func + (a: Tally, b: Tally) -> Tally {
        var sum = Tally(households: (a.households + b.households).sorted(), persons: a.persons + b.persons)
        sum.count = a.count + b.count
        return sum
    }
}

/// Households on the same list both years; their size may change.
public struct StayedTally: Sendable, Hashable, Codable {
    public var households: [String] = []
    public var count: Int = 0
    public var personsBefore: Int = 0
    public var personsAfter: Int = 0

    public init() {}

    public var personsChange: Int { personsAfter - personsBefore }

    mutating func add(_ id: String?, before: Int, after: Int) {
        if let id { households.append(id) }
        count += 1
        personsBefore += before
        personsAfter += after
    }
}

/// One list's start, end and what moved in between, with its balance.
public struct Balance: Sendable, Hashable, Codable {
    public var start: Int
    public var inflow: Int
    public var outflow: Int
    public var end: Int

    public init(start: Int, inflow: Int, outflow: Int, end: Int) {
        self.start = start
        self.inflow = inflow
        self.outflow = outflow
        self.end = end
    }

    public var holds: Bool { start + inflow - outflow == end }
}

public struct PoorFlows: Sendable, Hashable, Codable {
    public struct Escaped: Sendable, Hashable, Codable {
        public var toNearPoor = Tally()
        public var toNotPoor = Tally()
        public var total: Tally { toNearPoor + toNotPoor }
    }

    public struct Newly: Sendable, Hashable, Codable {
        public var fromNearPoor = Tally()
        public var fromElsewhere = Tally()
        public var total: Tally { fromNearPoor + fromElsewhere }
    }

    public var start = Tally()
    public var stayed = StayedTally()
    /// Thoát nghèo.
    public var escaped = Escaped()
    public var left = Tally()
    /// Phát sinh nghèo.
    public var newly = Newly()
    /// Tái nghèo.
    public var fellBack = Tally()
    public var end = Tally()

    public init() {}

    public var households: Balance {
        Balance(
            start: start.count, inflow: newly.total.count + fellBack.count,
            outflow: escaped.total.count + left.count, end: end.count)
    }

    public var persons: Balance {
        Balance(
            start: start.persons, inflow: newly.total.persons + fellBack.persons + stayed.personsChange,
            outflow: escaped.total.persons + left.persons, end: end.persons)
    }
}

public struct NearPoorFlows: Sendable, Hashable, Codable {
    public var start = Tally()
    public var stayed = StayedTally()
    /// Thoát cận nghèo.
    public var escaped = Tally()
    public var toPoor = Tally()
    public var left = Tally()
    public var fromPoor = Tally()
    /// Phát sinh cận nghèo.
    public var newly = Tally()
    /// Tái cận nghèo.
    public var fellBack = Tally()
    public var end = Tally()

    public init() {}

    public var households: Balance {
        Balance(
            start: start.count, inflow: fromPoor.count + newly.count + fellBack.count,
            outflow: toPoor.count + escaped.count + left.count, end: end.count)
    }

    public var persons: Balance {
        Balance(
            start: start.persons,
            inflow: fromPoor.persons + newly.persons + fellBack.persons + stayed.personsChange,
            outflow: toPoor.persons + escaped.persons + left.persons, end: end.persons)
    }
}
