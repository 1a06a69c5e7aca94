/// What the campaign machine needs to know about the person giving an input, as the server establishes it:
/// the offices they hold, the communes whose review committee they sit on (or whose register they keep), and
/// the villages they survey as a reviewer. The machine turns these into `ActorKind`s and checks them against
/// the standard's permission table; it never looks at `Role`, so a reviewer account needs no other right.
public struct ReviewActor: Sendable, Hashable, Codable {
    public var login: String
    public var offices: [OfficeHolding]
    /// Communes (`CODE` or `legacy:CODE`) whose review steering committee the user sits on, or whose
    /// household register they keep (`HouseholdRules.mayWrite`).
    public var committeeCommunes: Set<String>
    /// Rà soát viên: the villages the user surveys.
    public var reviewerScopes: [ReviewerScope]

    public init(
        login: String, offices: [OfficeHolding] = [], committeeCommunes: Set<String> = [],
        reviewerScopes: [ReviewerScope] = []
    ) {
        self.login = login
        self.offices = offices
        self.committeeCommunes = committeeCommunes
        self.reviewerScopes = reviewerScopes
    }

    /// The holding through which the user acts in `office` on `date`, if any: their own first, then one held
    /// on behalf of someone.
    public func holding(_ office: Office, on date: CivilDate) -> OfficeHolding? {
        let active = offices.filter { $0.login == login && $0.office == office && $0.isActive(on: date) }
        return active.first { $0.onBehalfOf == nil } ?? active.first
    }

    /// Whether the user surveys `village` of `commune` (village names compared the way people type them).
    public func reviews(commune: String, village: String) -> Bool {
        let folded = NameFolding.fold(village)
        return reviewerScopes.contains { $0.commune == commune && NameFolding.fold($0.village) == folded }
    }
}

/// The scope of a reviewer (rà soát viên): one village of one commune. QĐ 24 has the commune's committee
/// recruit reviewers, often people of the village itself; they enter Phiếu A and Phiếu B for the households of
/// their village and have no other right.
public struct ReviewerScope: Sendable, Hashable, Codable {
    /// `CODE` or `legacy:CODE`.
    public var commune: String
    public var village: String

    public init(commune: String, village: String) {
        self.commune = commune
        self.village = village
    }
}
