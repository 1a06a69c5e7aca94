import CaseLineDomain
import CaseLineProtocol

/// The unit a report (or a figure) is about and the communes it counts, as records store them (`CODE`,
/// `legacy:CODE`). A 2025 commune counts the legacy communes whose primary successor it is — a split commune's
/// records count under one successor only, as everywhere in CLP/1 — so that a province's figures never count a
/// household twice; a legacy district or province counts its legacy communes; no unit named means the caller's
/// scope (a national scope: the nation).
struct ReportUnit: Sendable {
    /// `CODE`, `legacy:CODE` or `national`.
    var label: String
    var name: String
    var communes: Set<String>

    static let commune = Param.unit("commune")
    static let province = Param.unit("province")
    static let district = Param.unit("district")
    static let options: [any ParameterDeclaration] = [commune, province, district]

    static func resolve(_ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput) throws -> ReportUnit {
        let named = [input[commune], input[province], input[district]].compactMap { $0 }
        guard named.count <= 1 else { throw DomainError(.invalid, "name one of commune=, province= and district=") }
        if let ref = input[commune] {
            let unit = try env.unit(ref)
            guard unit.level == .commune else { throw DomainError(.invalid, "\(unit.name) is not a commune") }
            try env.requireReach(session, input.name, .unit(unit.ref))
            return ReportUnit(label: unit.ref.description, name: unit.name, communes: communes(of: unit, env))
        }
        if let ref = input[district] {
            let unit = try env.unit(ref)
            guard unit.ref.edition == .legacy, unit.level == .district else {
                throw DomainError(
                    .invalid,
                    "\(unit.name) (\(unit.ref)) is not a legacy district: districts are legacy:CODE (3 digits)")
            }
            return ReportUnit(
                label: unit.ref.description, name: unit.name, communes: try env.legacyCommunes(of: unit, input, session)
            )
        }
        if let ref = input[province] {
            let unit = try env.unit(ref)
            guard unit.level == .province else { throw DomainError(.invalid, "\(unit.name) is not a province") }
            if unit.ref.edition == .legacy {
                return ReportUnit(
                    label: unit.ref.description, name: unit.name,
                    communes: try env.legacyCommunes(of: unit, input, session))
            }
            try env.requireReach(session, input.name, .unit(unit.ref))
            return ReportUnit(label: unit.ref.description, name: unit.name, communes: communes(of: unit, env))
        }
        guard let scope = session.user?.scope else { throw DomainError(.forbidden, "log in first") }
        switch scope {
        case .national:
            var all: Set<String> = []
            for unit in env.units.list(UnitDirectory.Filter(edition: .current)) where unit.level == .commune {
                all.formUnion(communes(of: unit, env))
            }
            return ReportUnit(label: "national", name: "Toàn quốc", communes: all)
        case .province(let code), .commune(let code):
            let unit = try env.unit(UnitRef(.current, code))
            return ReportUnit(label: unit.ref.description, name: unit.name, communes: communes(of: unit, env))
        }
    }

    /// A commune with its primary predecessors, or a 2025 province's communes with theirs; a legacy commune
    /// alone.
    static func communes(of unit: AdminUnit, _ env: ServerEnvironment) -> Set<String> {
        if unit.ref.edition == .legacy { return [unit.ref.description] }
        if unit.level == .province {
            var all: Set<String> = []
            for commune in env.units.list(UnitDirectory.Filter(edition: .current, province: unit.ref))
            where commune.level == .commune {
                all.formUnion(communes(of: commune, env))
            }
            return all
        }
        return Set([unit.ref.code] + env.units.lineage(unit.ref).filter(\.primary).map { "legacy:\($0.legacyCode)" })
    }
}
