import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// UNIT LIST, UNIT SEARCH, UNIT SHOW: reference data every role may read (CLP1.md §10.3).
enum UnitCommands {
    static let type = Param<UnitType>.choice("type")
    static let text = Param.text("text", max: 100).required
    static let unit = Param.unit("unit").required

    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "UNIT LIST", group: .units, summary: "List administrative units, filtered by province, edition, type.",
            options: [Common.province, Common.edition, type, Common.limit, Common.offset], access: .authenticated,
            reach: .anywhere, who: "any authenticated role.", handler: list),
        CommandDefinition(
            "UNIT SEARCH", group: .units, summary: "Find units by name, ignoring diacritics and case.",
            positionals: [text], options: [Common.province, Common.edition, type, Common.limit],
            access: .authenticated, reach: .anywhere, who: "any authenticated role.", handler: search),
        CommandDefinition(
            "UNIT SHOW", group: .units,
            summary: "Show a unit with its parent, lineage, responsible members and open work.", positionals: [unit],
            access: .authenticated, reach: .anywhere,
            who:
                "any authenticated role. For a unit outside the caller's scope only the `UNIT` and `LINEAGE` records are given.",
            handler: show),
    ]

    static func record(_ unit: AdminUnit, _ units: UnitDirectory, extra: [Field] = []) -> Record {
        var fields = [
            Field("code", unit.ref.code), Field("edition", unit.ref.edition.rawValue),
            Field("ref", unit.ref.description),
            Field("name", unit.name), Field("short-name", unit.shortName), Field("type", unit.type),
            Field("level", unit.level.rawValue),
        ]
        if let province = unit.provinceRef {
            fields.append(Field("province", province.description))
            if let name = units.unit(province)?.name { fields.append(Field("province-name", name)) }
        }
        if unit.level == .commune, unit.ref.edition == .legacy, let district = unit.parentRef {
            fields.append(Field("district", district.description))
            if let name = units.unit(district)?.name { fields.append(Field("district-name", name)) }
        }
        if let parent = unit.parentRef { fields.append(Field("parent", parent.description)) }
        if let lat = unit.latitude { fields.append(Field("lat", number(lat))) }
        if let lon = unit.longitude { fields.append(Field("lon", number(lon))) }
        if let area = unit.areaKm2 { fields.append(Field("area-km2", number(area))) }
        return Record("UNIT", fields + extra)
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int64(value)) : String(value)
    }

    /// `province=` as a filter: a province of the edition asked for.
    static func provinceFilter(_ env: ServerEnvironment, _ input: CommandInput) throws -> (UnitRef?, Edition?) {
        var edition = input[Common.edition]
        guard let ref = input[Common.province] else { return (nil, edition) }
        let province = try env.unit(ref)
        guard province.level == .province else { throw DomainError(.invalid, "\(province.name) is not a province") }
        if let asked = edition, asked != province.ref.edition {
            throw DomainError(
                .invalid, "province=\(ref) is of the \(province.ref.edition.rawValue) edition, not \(asked.rawValue)")
        }
        edition = edition ?? (province.ref.edition == .legacy ? .legacy : nil)
        return (province.ref, edition)
    }

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let (province, edition) = try provinceFilter(env, input)
        let found = env.units.list(.init(edition: edition ?? .current, type: input[type]?.rawValue, province: province))
        let records = Paging.page(found, input) { record($0, env.units) }
        return .ok(Paging.summary(records, "units"), records)
    }

    static func search(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let text = try input[text]
        guard NameFolding.significantCount(NameFolding.fold(text)) >= 2 else {
            throw DomainError(.invalid, "search text must have at least 2 letters or digits")
        }
        let (province, edition) = try provinceFilter(env, input)
        let found = env.units.search(text, .init(edition: edition, type: input[type]?.rawValue, province: province))
        let records = Paging.page(found, input) {
            record($0.unit, env.units, extra: [Field("match", $0.match.rawValue)])
        }
        return .ok(Paging.summary(records, "units"), records)
    }

    static func show(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let unit = try env.unit(try input[Self.unit])
        var records = [record(unit, env.units, extra: [Field("children", String(env.units.childCount(unit.ref)))])]
        for link in env.units.lineage(unit.ref) {
            let old = UnitRef(.legacy, link.legacyCode)
            let new = UnitRef(.current, link.currentCode)
            records.append(
                Record(
                    "LINEAGE",
                    [
                        Field("old", old.description), Field("old-name", env.units.unit(old)?.name ?? "?"),
                        Field("new", new.description), Field("new-name", env.units.unit(new)?.name ?? "?"),
                        Field("split", link.split ? "yes" : "no"), Field("primary", link.primary ? "yes" : "no"),
                    ]))
        }
        // The people and work of a unit are shown only where the caller could read them directly.
        if unit.ref.edition == .current, env.reaches(session, "ASSIGNMENT LIST", .unit(unit.ref)) {
            if let committee = try await env.store.committees().first(where: { $0.unit == unit.ref.code }) {
                records.append(CommitteeCommands.record(committee, env.units))
            }
            let today = env.today()
            if unit.level == .commune {
                let active = try await env.store.assignments(commune: unit.ref.code, login: nil)
                    .filter { $0.state(on: today) == .active }
                    .sorted { ($0.role == .lead ? 0 : 1, $0.from) < ($1.role == .lead ? 0 : 1, $1.from) }
                for assignment in active {
                    records.append(try await AssignmentCommands.record(assignment, env))
                }
            }
            // Work filed under a legacy commune counts under its primary successor.
            func isHere(_ commune: String) -> Bool {
                guard let current = env.units.current(UnitRef(stored: commune)) else { return false }
                return unit.level == .province ? current.province == unit.ref.code : current.ref == unit.ref
            }
            let tasks = try await env.store.tasks(communes: nil).filter { $0.state.isOpen && isHere($0.commune) }
            let cases = try await env.store.cases(communes: nil).filter { isHere($0.commune) }
            var counts = [
                Field("unit", unit.ref.description), Field("open-tasks", String(tasks.count)),
                Field("overdue-tasks", String(tasks.filter { $0.isOverdue(today: today) }.count)),
                Field("open-cases", String(cases.filter { [.draft, .submitted, .returned].contains($0.state) }.count)),
                Field("pending-cases", String(cases.filter { $0.state == .submitted }.count)),
            ]
            if unit.level == .province {
                let vacant = try await AssignmentCommands.vacantCommunes(env, province: unit.ref.code)
                counts.append(Field("vacant-communes", String(vacant.count)))
            }
            records.append(Record("WORK-COUNT", counts))
        }
        return .ok("", records)
    }
}
