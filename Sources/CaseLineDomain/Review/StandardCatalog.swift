/// Which standard a review uses. The periodic review held in year Y produces the lists of year Y + 1 (it ends
/// by 14 December and the lists apply from 1 January), so by default it uses the standard whose period contains
/// Y + 1 — the precedent is the review of late 2021, held under NĐ 07/2021 for the lists of 2022. Review years
/// 2021–2025 therefore map to NĐ 07 and 2026–2029 to NĐ 351. Whether the review of late 2026 really applies NĐ
/// 351 is not settled in our sources, so the mapping of any review year can be overridden by configuration.
///
/// An ad-hoc review corrects the list in force in the year it is held, so it uses the standard of that year.
public struct StandardCatalog: Sendable, Hashable, Codable {
    public var standards: [StandardDescription]
    /// Periodic review year → standard id, replacing the default rule for that year.
    public var periodicOverrides: [Int: String]

    public init(standards: [StandardDescription], periodicOverrides: [Int: String] = [:]) {
        self.standards = standards
        self.periodicOverrides = periodicOverrides
    }

    /// NĐ 07/2021 and NĐ 351/2025, with the default mapping.
    public static let builtIn = StandardCatalog(standards: [.nd07, .nd351])

    public func standard(id: String) -> StandardDescription? { standards.first { $0.id == id } }

    /// The standard that classifies the list of `year`.
    public func standard(forListYear year: Int) -> Result<StandardDescription, DomainError> {
        if let standard = standards.first(where: { $0.listYears.contains(year) }) { return .success(standard) }
        return .failure(DomainError(.invalid, "no poverty standard covers the list of \(year)"))
    }

    /// The list year a review produces: the next year for a periodic review, its own year for an ad-hoc one.
    public static func listYear(kind: CampaignKind, reviewYear: Int) -> Int {
        kind == .periodic ? reviewYear + 1 : reviewYear
    }

    /// The standard a review of `kind` held in `reviewYear` applies: the configured one for a periodic review
    /// if its year is overridden, else the one covering the list it produces.
    public func standard(kind: CampaignKind, reviewYear: Int) -> Result<StandardDescription, DomainError> {
        if kind == .periodic, let id = periodicOverrides[reviewYear] {
            guard let standard = standard(id: id) else {
                return .failure(DomainError(.invalid, "review year \(reviewYear) is mapped to unknown standard \(id)"))
            }
            return .success(standard)
        }
        return standard(forListYear: Self.listYear(kind: kind, reviewYear: reviewYear))
    }

    /// Problems that make the catalog unusable (empty when none): every standard's own, ids used twice, list
    /// periods that overlap, overrides that name no standard.
    public var problems: [String] {
        var problems = standards.flatMap { standard in standard.problems.map { "\(standard.id): \($0)" } }
        if Set(standards.map(\.id)).count != standards.count { problems.append("a standard id is used twice") }
        for (index, a) in standards.enumerated() {
            for b in standards[(index + 1)...]
            where a.listYears.from <= b.listYears.through && b.listYears.from <= a.listYears.through {
                problems.append("\(a.id) and \(b.id) both cover list years")
            }
        }
        for (year, id) in periodicOverrides.sorted(by: { $0.key < $1.key }) where standard(id: id) == nil {
            problems.append("review year \(year) is mapped to unknown standard \(id)")
        }
        return problems
    }
}
