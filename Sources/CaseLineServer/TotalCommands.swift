import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// Household totals (CLP1.md §10.12): how many households (and persons) live in a commune in a list year —
/// the denominator of every rate a report gives. The lists count only the poor and near-poor, so the total
/// comes from the commune's register or the statistics office and is recorded with its source.
enum TotalCommands {
    static let unit = Param.unit("unit").required
    static let year = Param.number("year", 2000...2100)
    static let households = Param.number("households", 1...10_000_000).required
    static let persons = Param.number("persons", 1...100_000_000)
    static let source = Param.text("source", max: 200).required

    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "TOTAL SET", group: .reports,
            summary: "Record a commune's resident households (and persons) for a list year, with the source.",
            options: [unit, year.required, households, persons, source], access: .roles(Common.writers),
            who: "admin, chair, deputy, officer and staff, for a commune in their scope.", handler: set),
        CommandDefinition(
            "TOTAL LIST", group: .reports, summary: "List recorded household totals.",
            options: ReportUnit.options + [year, Common.limit, Common.offset], access: .authenticated,
            who: "any authenticated role, within its scope.", handler: list),
    ]

    static func record(_ total: HouseholdTotal, _ env: ServerEnvironment) -> Record {
        var fields = [Field("unit", total.unit)]
        if let name = env.units.unit(UnitRef(stored: total.unit))?.name { fields.append(Field("unit-name", name)) }
        fields += [Field("year", String(total.year)), Field("households", String(total.households))]
        if let persons = total.persons { fields.append(Field("persons", String(persons))) }
        fields += [Field("source", total.source), Field("by", total.by), Field("at", total.at)]
        return Record("TOTAL", fields)
    }

    /// What makes a total unusable, or nil: shared by `TOTAL SET` and `caseline-server import totals`.
    static func problem(_ unit: AdminUnit, year: Int, households: Int, persons: Int?, source: String) -> String? {
        guard unit.level == .commune else { return "\(unit.name) is not a commune: totals are recorded per commune" }
        // Each list year's lists were made by one edition's communes: up to 2025 by those before 1 July 2025,
        // from 2026 by the 2025 communes. A total under the other edition would be counted twice.
        let legacyYear = PovertyReport.legacyEdition(listYear: year)
        if legacyYear != (unit.ref.edition == .legacy) {
            return legacyYear
                ? "the \(year) lists were made by the communes before 1 July 2025: record the total under legacy:CODE"
                : "the \(year) lists are made by the 2025 communes: record the total under the current code"
        }
        if let problem = HouseholdTotal.problem(households: households, persons: persons, year: year) {
            return problem
        }
        if source.trimmingCharacters(in: .whitespaces).isEmpty { return "the source says where the figure comes from" }
        return nil
    }

    static func set(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let found = try env.unit(try input[unit])
        guard found.level == .commune else {
            throw DomainError(.invalid, "\(found.name) is not a commune: totals are recorded per commune")
        }
        try env.requireReach(session, input.name, .unit(found.ref))
        let listYear = try input[year.required]
        let count = try input[households]
        let text = try input[source]
        if let problem = problem(found, year: listYear, households: count, persons: input[persons], source: text) {
            throw DomainError(.invalid, problem)
        }
        let login = session.user?.login ?? ""
        let total = HouseholdTotal(
            unit: found.ref.description, year: listYear, households: count, persons: input[persons], source: text,
            by: login, at: "")
        let before = try await env.store.householdTotals(units: [total.unit], year: listYear).first
        var change = "\(found.name) \(listYear): \(count) households"
        if let people = total.persons { change += ", \(people) persons" }
        change += " (\(text))"
        if let before { change = "was \(before.households) households (\(before.source)); " + change }
        let kept = try await env.store.setHouseholdTotal(
            total,
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "unit:\(total.unit)", change: "total " + change))
        return .ok("total of \(found.name) for \(listYear) recorded", [record(kept, env)])
    }

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let scope = try ReportUnit.resolve(env, session, input)
        let totals = try await env.store.householdTotals(units: scope.communes, year: input[year])
        let records = Paging.page(totals, input) { record($0, env) }
        return .ok(Paging.summary(records, "totals"), records)
    }
}
