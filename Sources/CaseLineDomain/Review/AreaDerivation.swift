import Foundation

/// Where a household's area (urban / rural) comes from. Staff used to type it; the law ties it to the unit: a
/// ward (phường) is urban, a commune (xã) rural (NĐ 07/2021 and NĐ 351/2025 give one line per "khu vực thành
/// thị / nông thôn", which follows the administrative type of the commune-level unit). The 13 special zones
/// (đặc khu) created on 1 July 2025 are neither, so each is configured. A household that the rule places
/// wrongly (a ward's farming hamlet the province treats as rural, say) gets an explicit override that names
/// who decided it, why and on what authority; the server audits it.
public enum AreaDerivation {
    /// Unit types (as `AdminUnit.type` spells them) and the area each implies. Legacy units: a township (thị
    /// trấn) was urban like a ward. Types that are not commune-level (province, city, district…) place no
    /// household and are refused.
    public static let areaByUnitType: [String: SettlementArea] = [
        "commune": .rural, "ward": .urban, "township": .urban,
    ]

    /// How the special zones are placed: one area per zone code, and a default for zones not listed.
    public struct Configuration: Sendable, Hashable, Codable {
        public var specialZones: [String: SettlementArea]
        /// Nil: a special zone that is not listed is refused until configured.
        public var specialZoneDefault: SettlementArea?

        public init(specialZones: [String: SettlementArea] = [:], specialZoneDefault: SettlementArea? = nil) {
            self.specialZones = specialZones
            self.specialZoneDefault = specialZoneDefault
        }
    }

    /// Why a household has the area it has.
    public enum Source: Sendable, Hashable, Codable {
        /// From the type of its commune-level unit.
        case unitType(String)
        /// A special zone, from configuration.
        case specialZone(code: String)
        /// An explicit, audited decision.
        case override(AreaOverride)
    }

    public struct Derived: Sendable, Hashable, Codable {
        public var area: SettlementArea
        public var source: Source

        public init(area: SettlementArea, source: Source) {
            self.area = area
            self.source = source
        }

        /// For the audit line: `urban (ward)`, `rural (override by lan: …)`.
        public var explanation: String {
            switch source {
            case .unitType(let type): "\(area.rawValue) (\(type))"
            case .specialZone(let code): "\(area.rawValue) (special zone \(code), configured)"
            case .override(let o): "\(area.rawValue) (override by \(o.by) on \(o.on), \(o.reference): \(o.reason))"
            }
        }
    }

    /// The area of a household in `unit` (`AdminUnit.type` and code), or the override when one is given.
    /// Refused (`INVALID`) for a unit type that holds no households or an unconfigured special zone.
    public static func derive(
        unitType: String, unitCode: String, configuration: Configuration = Configuration(),
        override: AreaOverride? = nil
    ) -> Result<Derived, DomainError> {
        if let override {
            if let problem = override.problem {
                return .failure(DomainError(.invalid, problem))
            }
            return .success(Derived(area: override.area, source: .override(override)))
        }
        if let area = areaByUnitType[unitType] { return .success(Derived(area: area, source: .unitType(unitType))) }
        if unitType == "special-zone" {
            if let area = configuration.specialZones[unitCode] ?? configuration.specialZoneDefault {
                return .success(Derived(area: area, source: .specialZone(code: unitCode)))
            }
            return .failure(
                DomainError(
                    .invalid, "special zone \(unitCode) has no configured area: set it, or override the household's"))
        }
        return .failure(DomainError(.invalid, "a \(unitType) is not a commune-level unit and holds no households"))
    }
}

/// A decision that a household's area differs from its unit's: who took it, when, on what document and why.
/// The server records it in the audit trail; an assessment made under it keeps it.
public struct AreaOverride: Sendable, Hashable, Codable {
    public var area: SettlementArea
    /// The login of the person who set it.
    public var by: String
    public var on: CivilDate
    /// The document that allows it (a decision number, a letter), as written.
    public var reference: String
    public var reason: String

    public init(area: SettlementArea, by: String, on: CivilDate, reference: String, reason: String) {
        self.area = area
        self.by = by
        self.on = on
        self.reference = reference
        self.reason = reason
    }

    /// Why the override cannot be accepted, if it cannot: an override without a reason or an authority is the
    /// typed-in area this replaces.
    public var problem: String? {
        if by.trimmingCharacters(in: .whitespaces).isEmpty { return "an area override names who set it" }
        if reference.trimmingCharacters(in: .whitespaces).isEmpty {
            return "an area override cites the document that allows it"
        }
        if reason.trimmingCharacters(in: .whitespaces).isEmpty { return "an area override gives its reason" }
        return nil
    }
}
