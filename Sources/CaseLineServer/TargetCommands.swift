import CaseLineDomain
import CaseLineProtocol
import CaseLineStore

/// Targets (chỉ tiêu, CLP1.md §10.12), set top-down: a province's leaders set the province's and its
/// communes' targets, national leaders any unit's; a commune does not set its own. `REPORT POVERTY` judges
/// them against the lists in force.
enum TargetCommands {
    static let unit = Param.unit("unit").required
    static let year = Param.number("year", 2000...2100)
    static let indicator = Param<Target.Indicator>.choice("indicator").required
    static let kind = Param<Target.Kind>.choice("kind").required
    static let value = Param.decimal("value")
    static let min = Param.decimal("min")
    static let max = Param.decimal("max")
    static let document = Param.text("document", max: 500).required

    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "TARGET SET", group: .reports,
            summary: "Set (or, with rev=, replace) a unit's target for a list year, from its deciding document.",
            options: [unit, year.required, indicator, kind, value, min, max, document, Common.rev, Common.key],
            access: .roles(Common.leaders),
            who: "admin, chair and deputy whose scope is national or a province containing the unit.",
            handler: set),
        CommandDefinition(
            "TARGET LIST", group: .reports, summary: "List targets of a unit (and the communes it counts).",
            options: ReportUnit.options + [year, Common.limit, Common.offset], access: .authenticated,
            who: "any authenticated role, within its scope.", handler: list),
    ]

    static func figure(_ hundredths: Int64, _ indicator: Target.Indicator) -> String {
        indicator.isRate ? Rate.text(hundredths) : String(hundredths / 100)
    }

    static func valueFields(_ target: Target) -> [Field] {
        target.isRange
            ? [
                Field("min", figure(target.low, target.indicator)), Field("max", figure(target.high, target.indicator)),
            ]
            : [Field("value", figure(target.low, target.indicator))]
    }

    static func record(_ target: Target, _ env: ServerEnvironment) -> Record {
        var fields = [Field("id", target.id ?? ""), Field("unit", target.unit)]
        if let name = env.units.unit(UnitRef(stored: target.unit))?.name { fields.append(Field("unit-name", name)) }
        fields += [
            Field("year", String(target.year)), Field("indicator", target.indicator.rawValue),
            Field("kind", target.kind.rawValue), Field("comparison", target.kind.comparison.rawValue),
        ]
        fields += valueFields(target)
        fields += [
            Field("document", target.document), Field("by", target.by), Field("at", target.at),
            Field("rev", String(target.revision)),
        ]
        return Record("TARGET", fields)
    }

    /// Whether the caller's scope holds the unit. A legacy district or province has no successor of its own:
    /// the scope must hold every legacy commune it contained.
    static func reaches(_ unit: AdminUnit, _ env: ServerEnvironment, _ session: SessionState, _ command: String)
        -> Bool
    {
        guard unit.ref.edition == .legacy && unit.level != .commune else {
            return env.reaches(session, command, .unit(unit.ref))
        }
        let all = env.legacyCommunes(of: unit)
        return !all.isEmpty && all.allSatisfy { env.reaches(session, command, .unit($0.ref)) }
    }

    static func set(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let claim = Idempotency.claim(input, session)
        if let id = try await Idempotency.earlier(claim, kind: "target", env: env),
            let kept = try await env.store.targets(units: nil, year: nil).first(where: { $0.id == id })
        {
            return Reply(
                responses: [.record(record(kept, env))], text: "target \(id) was set earlier with this key",
                code: "REPLAYED")
        }
        let found = try env.unit(try input[unit])
        guard found.level == .commune || found.level == .province || found.level == .district else {
            throw DomainError(.invalid, "\(found.name) is not a commune, a province or a legacy district")
        }
        guard reaches(found, env, session, input.name) else {
            throw DomainError(.outOfScope, "\(found.name) is outside your scope")
        }
        // Top-down: a commune's own people do not set the commune's targets.
        if case .commune = session.user?.scope {
            throw DomainError(.forbidden, "targets are set by the province or the nation, not by the commune")
        }
        let given = (input[value], input[min], input[max])
        let (low, high): (Int64, Int64)
        switch given {
        case (let single?, nil, nil): (low, high) = (single, single)
        case (nil, let bottom?, let top?): (low, high) = (bottom, top)
        default: throw DomainError(.invalid, "give value=, or min= and max= for a range")
        }
        var target = Target(
            unit: found.ref.description, year: try input[year.required], indicator: try input[indicator],
            kind: try input[kind], low: low, high: high, document: try input[document])
        if let problem = target.problem { throw DomainError(.invalid, problem) }
        target.by = session.user?.login ?? ""
        let values = valueFields(target).map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let kept = try await env.store.saveTarget(
            target, expectedRevision: input[Common.rev], claim: claim,
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "target:-",
                change:
                    "\(found.name) \(target.year): \(target.indicator.rawValue) \(target.kind.rawValue) \(values) (\(target.document))"
            ))
        return .ok("target \(kept.id ?? "") set", [record(kept, env)])
    }

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let scope = try ReportUnit.resolve(env, session, input)
        var units = scope.communes
        if scope.label != "national" { units.insert(scope.label) }
        var targets = try await env.store.targets(units: scope.label == "national" ? nil : units, year: input[year])
        targets = targets.filter { target in
            env.units.unit(UnitRef(stored: target.unit)).map { reaches($0, env, session, input.name) } ?? false
        }
        let records = Paging.page(targets, input) { record($0, env) }
        return .ok(Paging.summary(records, "targets"), records)
    }
}
