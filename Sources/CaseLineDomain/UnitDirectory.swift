/// Every administrative unit of both editions and the lineage between them, in memory: units are
/// reference data (about 14,000 rows) that change only by an offline import, and every scope check and
/// search needs them, so they are loaded once when the server starts.
public struct UnitDirectory: Sendable {
    public enum Match: String, Sendable, Comparable {
        case exact, prefix, contains

        private var rank: Int {
            switch self {
            case .exact: 0
            case .prefix: 1
            case .contains: 2
            }
        }

        public static func < (a: Match, b: Match) -> Bool { a.rank < b.rank }
    }

    public struct Filter: Sendable {
        public var edition: Edition?
        public var type: String?
        /// Units inside this province (for search: or the province itself).
        public var province: UnitRef?

        public init(edition: Edition? = nil, type: String? = nil, province: UnitRef? = nil) {
            self.edition = edition
            self.type = type
            self.province = province
        }
    }

    private struct Entry: Sendable {
        var unit: AdminUnit
        var foldedName: String
        var foldedShort: String
        var nameWords: [Substring]
        var shortWords: [Substring]
    }

    private let entries: [UnitRef: Entry]
    /// Sorted by reference: 2025 edition first, then by code.
    private let ordered: [UnitRef]
    private let children: [UnitRef: Int]
    /// 2025 code → its predecessors; legacy code → its successors (primary first).
    private let predecessors: [String: [UnitLink]]
    private let successors: [String: [UnitLink]]

    public init(units: [AdminUnit], links: [UnitLink]) {
        var entries: [UnitRef: Entry] = [:]
        var children: [UnitRef: Int] = [:]
        for unit in units {
            let name = NameFolding.fold(unit.name)
            let short = NameFolding.fold(unit.shortName)
            entries[unit.ref] = Entry(
                unit: unit, foldedName: name, foldedShort: short, nameWords: name.split(separator: " "),
                shortWords: short.split(separator: " "))
            if let parent = unit.parentRef { children[parent, default: 0] += 1 }
        }
        self.entries = entries
        self.ordered = entries.keys.sorted()
        self.children = children
        var successors = Dictionary(grouping: links, by: \.legacyCode)
        for (code, list) in successors {
            var sorted = list.sorted { ($0.primary ? 0 : 1, $0.currentCode) < ($1.primary ? 0 : 1, $1.currentCode) }
            // Every legacy unit with successors reports under exactly one of them.
            if !sorted.contains(where: \.primary) { sorted[0].primary = true }
            successors[code] = sorted
        }
        self.successors = successors
        self.predecessors = Dictionary(grouping: successors.values.flatMap { $0 }, by: \.currentCode)
            .mapValues { $0.sorted { $0.legacyCode < $1.legacyCode } }
    }

    public var count: Int { entries.count }

    public func unit(_ ref: UnitRef) -> AdminUnit? { entries[ref]?.unit }

    public func childCount(_ ref: UnitRef) -> Int { children[ref] ?? 0 }

    /// For a 2025 unit: the legacy units that went into it. For a legacy unit: its successors, primary first.
    public func lineage(_ ref: UnitRef) -> [UnitLink] {
        ref.edition == .current ? predecessors[ref.code] ?? [] : successors[ref.code] ?? []
    }

    /// The 2025 unit a reference stands for: itself, or a legacy unit's primary successor.
    public func current(_ ref: UnitRef) -> AdminUnit? {
        if ref.edition == .current { return unit(ref) }
        return lineage(ref).first(where: \.primary).flatMap { unit(UnitRef(.current, $0.currentCode)) }
    }

    /// The 2025 province a unit lies in (itself for a province), following lineage for legacy units.
    public func currentProvince(of ref: UnitRef) -> String? {
        guard let unit = current(ref) else { return nil }
        return unit.level == .province ? unit.ref.code : unit.province
    }

    /// Whether a scope contains a unit (§10 "Scope"): a legacy unit is in a scope when its primary successor is.
    public func scope(_ scope: Scope, contains ref: UnitRef) -> Bool {
        switch scope {
        case .national: return true
        case .province(let code): return currentProvince(of: ref) == code
        case .commune(let code):
            guard let unit = current(ref) else { return false }
            return unit.level == .commune && unit.ref.code == code
        }
    }

    /// Whether `inner` lies inside `outer` (a user X is in the caller's scope when X's scope lies inside it).
    public func scope(_ outer: Scope, contains inner: Scope) -> Bool {
        switch (outer, inner) {
        case (.national, _): return true
        case (_, .national): return false
        case (_, .province(let code)):
            if case .province(let own) = outer { return own == code }
            return false
        case (_, .commune(let code)): return scope(outer, contains: UnitRef(.current, code))
        }
    }

    /// Whether a scope reaches a placed entity.
    public func scope(_ scope: Scope, reaches target: Placement) -> Bool {
        switch target {
        case .unit(let ref): self.scope(scope, contains: ref)
        case .scope(let inner): self.scope(scope, contains: inner)
        case .everywhere: true
        }
    }

    /// Units in filter order (edition, code), for UNIT LIST.
    public func list(_ filter: Filter) -> [AdminUnit] {
        ordered.lazy.compactMap { entries[$0]?.unit }.filter { unit in
            unit.ref.edition == (filter.edition ?? .current) && filter.type.map { unit.type == $0 } ?? true
                && filter.province.map { unit.provinceRef == $0 } ?? true
        }
    }

    /// Name search, ignoring case and diacritics, ranked exact → prefix → contains; then 2025 before legacy,
    /// provinces before districts before communes, then by code.
    public func search(_ text: String, _ filter: Filter) -> [(unit: AdminUnit, match: Match)] {
        let query = NameFolding.fold(text)
        let queryWords = query.split(separator: " ")
        guard !queryWords.isEmpty else { return [] }
        var results: [(unit: AdminUnit, match: Match)] = []
        for ref in ordered {
            guard let entry = entries[ref] else { continue }
            let unit = entry.unit
            if let edition = filter.edition, unit.ref.edition != edition { continue }
            if let type = filter.type, unit.type != type { continue }
            if let province = filter.province, unit.provinceRef != province, unit.ref != province { continue }
            let match: Match
            if entry.foldedName == query || entry.foldedShort == query {
                match = .exact
            } else if entry.foldedName.hasPrefix(query) || entry.foldedShort.hasPrefix(query) {
                match = .prefix
            } else if Self.wordsBegin(queryWords, in: entry.nameWords) {
                match = .contains
            } else {
                continue
            }
            results.append((unit, match))
        }
        func levelRank(_ unit: AdminUnit) -> Int {
            switch unit.level {
            case .province: 0
            case .district: 1
            case .commune: 2
            }
        }
        return results.sorted { a, b in
            if a.match != b.match { return a.match < b.match }
            if a.unit.ref.edition != b.unit.ref.edition { return a.unit.ref.edition == .current }
            if levelRank(a.unit) != levelRank(b.unit) { return levelRank(a.unit) < levelRank(b.unit) }
            return a.unit.ref.code < b.unit.ref.code
        }
    }

    /// Every query word begins a word of the name, in order ("bach thong" in "xa bach thong", "b th" too).
    static func wordsBegin(_ query: [Substring], in words: [Substring]) -> Bool {
        var index = words.startIndex
        for word in query {
            guard let found = words[index...].firstIndex(where: { $0.hasPrefix(word) }) else { return false }
            index = words.index(after: found)
        }
        return true
    }
}
