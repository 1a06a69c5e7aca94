import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// REPORT MONEY and REPORT OUTPUTS (CLP1.md §10.13): the funding ledger and the approved cases' outputs of a
/// unit over a period, as of a day, computed by the server from one read of the store (integers; rates from
/// integers, rounded half up). Units resolve as for REPORT POVERTY (ReportUnit): a 2025 commune counts the legacy communes whose
/// primary successor it is; a legacy district sums its legacy communes.
enum MoneyReportCommands {
    static let period = Param.text("period", max: 7)
    static let from = Param.date("from")
    static let through = Param.date("through")
    static let asOf = Param.date("as-of")
    static let by = Param.choice("by", words: ["commune"])

    static let options: [any ParameterDeclaration] = [
        Common.commune, Common.province, Common.district, period, from, through, asOf, by,
    ]

    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "REPORT MONEY", group: .reports,
            summary: "Allocated, carried, disbursed and left by project and source, with the disbursement rate.",
            options: options, access: .authenticated, who: "any authenticated role, within its scope.",
            handler: money),
        CommandDefinition(
            "REPORT OUTPUTS", group: .reports,
            summary: "Approved cases by kind: amounts, beneficiaries by category, houses by stage.",
            options: options, access: .authenticated, who: "any authenticated role, within its scope.",
            handler: outputs),
    ]

    /// `count / total` as a percentage with 2 decimals, rounded half up from integers:
    /// hundredths = (count × 10000 × 2 + total) / (2 × total); nil for a total of 0.
    static func percentage(_ count: Int64, of total: Int64) -> String? { Rate.of(count, total).map(Rate.text) }

    // MARK: The unit and the period

    /// What a report covers: the units whose records count (as stored; nil: all), the report's unit as named,
    /// whether it is a legacy unit (rows by stored legacy commune) or a current one (rows by 2025 successor).
    struct Place {
        var units: Set<String>?
        var unit: String
        var name: String
        var legacy: Bool
        var communes: Int
    }

    static func place(_ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput) throws -> Place {
        if var named = try FundCommands.ledgerUnits(env, session, input) {
            let ref = (input[Common.commune] ?? input[Common.district] ?? input[Common.province])!
            let unit = try env.unit(ref)
            if input[Common.commune] != nil {
                // A commune's figures count what REPORT POVERTY counts for it (ReportUnit): a 2025 commune with
                // the legacy communes whose primary successor it is, so a split commune's money and outputs are
                // not counted under each of its successors.
                let current = env.units.current(unit.ref) ?? unit
                named = ReportUnit.communes(of: unit.ref.edition == .legacy ? unit : current, env)
            }
            let legacy = ref.edition == .legacy && unit.level != .commune
            let counted = named.filter { env.units.unit(UnitRef(stored: $0))?.level == .commune }
            let communes = legacy ? counted.count : counted.filter { !$0.hasPrefix("legacy:") }.count
            return Place(units: named, unit: ref.description, name: unit.name, legacy: legacy, communes: communes)
        }
        guard let user = session.user else { throw DomainError(.authRequired, "log in first") }
        switch user.scope {
        case .national:
            let communes = env.units.list(UnitDirectory.Filter(edition: .current)).filter { $0.level == .commune }
            return Place(units: nil, unit: "national", name: "national", legacy: false, communes: communes.count)
        case .province(let code):
            var units: Set<String> = [code]
            var count = 0
            for unit in env.units.list(UnitDirectory.Filter(edition: .current, province: UnitRef(.current, code)))
            where unit.level == .commune {
                count += 1
                units.insert(unit.ref.code)
                for link in env.units.lineage(unit.ref) {
                    units.insert("legacy:\(link.legacyCode)")
                    if let legacy = env.units.unit(UnitRef(.legacy, link.legacyCode))?.provinceRef {
                        units.insert(legacy.description)
                    }
                }
            }
            let name = env.units.unit(UnitRef(.current, code))?.name ?? code
            return Place(units: units, unit: code, name: name, legacy: false, communes: count)
        case .commune(let code):
            let ref = UnitRef(.current, code)
            let units = Set([code] + env.units.lineage(ref).map { "legacy:\($0.legacyCode)" })
            return Place(
                units: units, unit: code, name: env.units.unit(ref)?.name ?? code, legacy: false, communes: 1)
        }
    }

    /// The period's first and last day: `period=YYYY`, `YYYY-H1` (1 January – 30 June), `YYYY-H2`, or
    /// `from=` and `through=`; at most 10 years.
    static func period(_ input: CommandInput) throws -> (from: CivilDate, through: CivilDate) {
        let named = input[period]
        guard (named != nil) != (input[from] != nil || input[through] != nil) else {
            throw DomainError(.invalid, "name period=YYYY|YYYY-H1|YYYY-H2, or from= and through=")
        }
        if let named {
            let parts = named.split(separator: "-", omittingEmptySubsequences: false)
            guard parts[0].count == 4, let year = Int(parts[0]), (2000...2100).contains(year), parts.count <= 2,
                parts.count == 1 || parts[1] == "H1" || parts[1] == "H2"
            else { throw DomainError(.invalid, "period= is YYYY, YYYY-H1 or YYYY-H2, not \(named)") }
            let half = parts.count == 2 ? String(parts[1]) : nil
            return (
                CivilDate(year: year, month: half == "H2" ? 7 : 1, day: 1)!,
                CivilDate(year: year, month: half == "H1" ? 6 : 12, day: half == "H1" ? 30 : 31)!
            )
        }
        guard let first = input[from].flatMap(CivilDate.init), let last = input[through].flatMap(CivilDate.init)
        else { throw DomainError(.invalid, "from= needs through=, and through= needs from=") }
        guard first <= last else { throw DomainError(.invalid, "from= is after through=") }
        guard last.year - first.year < 10 else { throw DomainError(.invalid, "a report spans at most 10 years") }
        return (first, last)
    }

    static func asOf(_ env: ServerEnvironment, _ input: CommandInput) throws -> CivilDate {
        if let day = input[asOf].flatMap(CivilDate.init) { return day }
        return try ReviewCommands.today(env)
    }

    static func header(
        _ report: String, _ place: Place, _ span: (from: CivilDate, through: CivilDate), _ asOf: CivilDate,
        rates: Bool
    ) -> Record {
        ReportCommands.header(
            report, unit: place.unit, name: place.name, from: span.from.description, to: span.through.description,
            asOf: asOf, communes: place.communes, rates: rates)
    }

    /// The row a stored unit falls in with `by=commune`: itself in a legacy report, its 2025 successor otherwise.
    static func row(_ stored: String, _ place: Place, _ env: ServerEnvironment) -> (code: String, name: String) {
        let ref = UnitRef(stored: stored)
        let unit = place.legacy ? env.units.unit(ref) : (env.units.current(ref) ?? env.units.unit(ref))
        guard let unit else { return (stored, stored) }
        return (place.legacy ? unit.ref.description : unit.ref.code, unit.name)
    }

    /// The first instant after `day` in the server's zone: an instant is on or before `day` when it is earlier.
    /// Compared as instants, so that no stored time is turned into a date (18,000 cases cost a third of a second
    /// that way).
    static func end(of day: CivilDate) -> Date {
        ServerEnvironment.startOfDay(day.adding(days: 1).description) ?? .distantFuture
    }

    // MARK: REPORT MONEY

    /// Sums of one row.
    struct MoneyFigures {
        var allocated: Int64 = 0
        var carriedIn: Int64 = 0
        var disbursedBefore: Int64 = 0
        var disbursed: Int64 = 0
        var carriedOut: Int64 = 0
        var overrides = 0

        var remaining: Int64 { allocated + carriedIn - disbursedBefore - disbursed - carriedOut }

        mutating func add(_ other: MoneyFigures) {
            allocated += other.allocated
            carriedIn += other.carriedIn
            disbursedBefore += other.disbursedBefore
            disbursed += other.disbursed
            carriedOut += other.carriedOut
            overrides += other.overrides
        }
    }

    struct MoneyKey: Hashable, Comparable {
        var commune: String
        var project: String
        var source: String
        var nature: String

        static func < (a: MoneyKey, b: MoneyKey) -> Bool {
            let order = FundingRules.projects.map(\.rawValue)
            let sources = FundingSource.allCases.map(\.rawValue)
            return (
                a.commune, order.firstIndex(of: a.project) ?? 99, sources.firstIndex(of: a.source) ?? 99, a.nature
            ) < (b.commune, order.firstIndex(of: b.project) ?? 99, sources.firstIndex(of: b.source) ?? 99, b.nature)
        }
    }

    /// The figures of a ledger for the period and day: allocations of the period's years recorded by `asOf`
    /// (carried-over ones as carried in), their payments dated and recorded by `asOf` — before the period,
    /// or in it — and the carry-overs made from them by `asOf`. Remaining = allocated + carried in − disbursed
    /// (before and in the period) − carried out: what was left at the period's end.
    static func moneyFigures(
        _ ledger: FundLedger, span: (from: CivilDate, through: CivilDate), asOf: CivilDate,
        key: (Allocation) -> MoneyKey
    ) -> [MoneyKey: MoneyFigures] {
        let years = span.from.year...span.through.year
        let recorded = end(of: asOf)
        let counted = ledger.allocations.filter { years.contains($0.year) && $0.recordedAt < recorded }
        let byID = Dictionary(uniqueKeysWithValues: counted.map { ($0.id, $0) })
        var rows: [MoneyKey: MoneyFigures] = [:]
        for a in counted {
            if a.carriedFrom == nil {
                rows[key(a), default: MoneyFigures()].allocated += a.amount
            } else {
                rows[key(a), default: MoneyFigures()].carriedIn += a.amount
            }
        }
        let last = min(span.through, asOf)
        for d in ledger.disbursements {
            guard let a = byID[d.allocation], d.date <= last, d.recordedAt < recorded else { continue }
            if d.date < span.from {
                rows[key(a), default: MoneyFigures()].disbursedBefore += d.amount
            } else {
                rows[key(a), default: MoneyFigures()].disbursed += d.amount
                if d.override != nil { rows[key(a), default: MoneyFigures()].overrides += 1 }
            }
        }
        for carried in ledger.allocations where carried.recordedAt < recorded {
            guard let from = carried.carriedFrom, let a = byID[from] else { continue }
            rows[key(a), default: MoneyFigures()].carriedOut += carried.amount
        }
        return rows
    }

    static func moneyRecord(_ key: MoneyKey, _ f: MoneyFigures, commune: (code: String, name: String)?) -> Record {
        var fields = [Field("project", key.project), Field("source", key.source)]
        if !key.nature.isEmpty { fields.append(Field("nature", key.nature)) }
        if let commune { fields += [Field("commune", commune.code), Field("commune-name", commune.name)] }
        fields += [
            Field("allocated", String(f.allocated)), Field("carried-in", String(f.carriedIn)),
            Field("disbursed-before", String(f.disbursedBefore)), Field("disbursed", String(f.disbursed)),
            Field("carried-out", String(f.carriedOut)), Field("remaining", String(f.remaining)),
        ]
        if let rate = percentage(f.disbursedBefore + f.disbursed, of: f.allocated + f.carriedIn) {
            fields.append(Field("rate", rate))
        }
        fields.append(Field("overrides", String(f.overrides)))
        return Record("MONEY", fields)
    }

    static func money(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let place = try place(env, session, input)
        let span = try period(input)
        let asOf = try asOf(env, input)
        let byCommune = input[by] == "commune"
        let ledger = try await env.store.fundLedger(units: place.units, years: nil)
        var names: [String: String] = [:]
        var resolved: [String: String] = [:]
        let rows = moneyFigures(ledger, span: span, asOf: asOf) { a in
            var commune = ""
            if byCommune {
                if let known = resolved[a.unit] {
                    commune = known
                } else {
                    let row = row(a.unit, place, env)
                    names[row.code] = row.name
                    resolved[a.unit] = row.code
                    commune = row.code
                }
            }
            return MoneyKey(
                commune: commune, project: a.project.rawValue, source: a.source.rawValue,
                nature: a.nature?.rawValue ?? "")
        }
        var records = [header("money", place, span, asOf, rates: true)]
        var perCommune: [String: MoneyFigures] = [:]
        var total = MoneyFigures()
        for key in rows.keys.sorted() {
            let figures = rows[key]!
            records.append(
                moneyRecord(key, figures, commune: byCommune ? (key.commune, names[key.commune] ?? "") : nil))
            perCommune[key.commune, default: MoneyFigures()].add(figures)
            total.add(figures)
        }
        if byCommune {
            for commune in perCommune.keys.sorted() {
                records.append(
                    moneyRecord(
                        MoneyKey(commune: commune, project: "all", source: "all", nature: ""), perCommune[commune]!,
                        commune: (commune, names[commune] ?? "")))
            }
        }
        records.append(
            moneyRecord(
                MoneyKey(commune: "", project: "all", source: "all", nature: ""), total,
                commune: byCommune ? ("all", "") : nil))
        return .ok("money of \(place.name), \(span.from) – \(span.through), as of \(asOf)", records)
    }

    // MARK: REPORT OUTPUTS

    struct OutputFigures {
        var cases = 0
        var households = 0
        var amount: Int64 = 0
        var beneficiaries = Beneficiaries()
        var started = 0
        var finished = 0
        var handedOver = 0

        mutating func add(_ o: OutputFigures) {
            cases += o.cases
            households += o.households
            amount += o.amount
            beneficiaries.poor += o.beneficiaries.poor
            beneficiaries.nearPoor += o.beneficiaries.nearPoor
            beneficiaries.escaped += o.beneficiaries.escaped
            beneficiaries.other += o.beneficiaries.other
            beneficiaries.minority += o.beneficiaries.minority
            started += o.started
            finished += o.finished
            handedOver += o.handedOver
        }
    }

    /// A case counts when it was approved before `decidedBefore` (the first instant after the period's end or
    /// `as-of`, whichever is earlier; its programme year is one of the period's, as the store selected it); a
    /// house counts at each stage reached by `end`.
    static func outputFigures(_ c: CaseOutput, by end: CivilDate, decidedBefore: Date) -> OutputFigures? {
        guard c.decidedAt < decidedBefore else { return nil }
        var f = OutputFigures(cases: 1, households: c.households, amount: c.amount, beneficiaries: c.beneficiaries)
        if c.kind.isHousing {
            f.started = (c.progress.started.map { $0 <= end } ?? false) ? 1 : 0
            f.finished = (c.progress.finished.map { $0 <= end } ?? false) ? 1 : 0
            f.handedOver = (c.progress.handedOver.map { $0 <= end } ?? false) ? 1 : 0
        }
        return f
    }

    static func outputRecord(_ commune: (code: String, name: String), kind: String, _ f: OutputFigures) -> Record {
        var fields = [Field("commune", commune.code)]
        if commune.code != "all" { fields.append(Field("commune-name", commune.name)) }
        fields += [
            Field("kind", kind), Field("cases", String(f.cases)), Field("households", String(f.households)),
            Field("amount", String(f.amount)), Field("persons", String(f.beneficiaries.persons)),
            Field("poor", String(f.beneficiaries.poor)), Field("near-poor", String(f.beneficiaries.nearPoor)),
            Field("escaped", String(f.beneficiaries.escaped)), Field("other", String(f.beneficiaries.other)),
            Field("minority", String(f.beneficiaries.minority)),
        ]
        if kind.hasPrefix("housing") {
            fields += [
                Field("started", String(f.started)), Field("finished", String(f.finished)),
                Field("handed-over", String(f.handedOver)),
            ]
        }
        return Record("OUTPUT", fields)
    }

    static func outputs(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let place = try place(env, session, input)
        let span = try period(input)
        let asOf = try asOf(env, input)
        let byCommune = input[by] == "commune"
        let communes = place.units?.filter { env.units.unit(UnitRef(stored: $0))?.level != .province }
        let last = min(span.through, asOf)
        let decidedBy = end(of: last)
        let cases = try await env.store.caseOutputs(communes: communes, years: span.from.year...span.through.year)
        var rows: [String: [CaseFile.Kind: OutputFigures]] = [:]
        var names: [String: String] = [:]
        var totals: [CaseFile.Kind: OutputFigures] = [:]
        // Each commune is placed once, not once per case.
        var placed: [String: (code: String, name: String)?] = [:]
        for file in cases {
            if placed[file.commune] == nil {
                placed[file.commune] =
                    env.reaches(session, input.name, .unit(UnitRef(stored: file.commune)))
                    ? row(file.commune, place, env) : .some(nil)
            }
            guard let row = placed[file.commune] ?? nil,
                let figures = outputFigures(file, by: last, decidedBefore: decidedBy)
            else { continue }
            names[row.code] = row.name
            rows[row.code, default: [:]][file.kind, default: OutputFigures()].add(figures)
            totals[file.kind, default: OutputFigures()].add(figures)
        }
        var records = [header("outputs", place, span, asOf, rates: false)]
        if byCommune {
            for commune in rows.keys.sorted() {
                for kind in CaseFile.Kind.allCases {
                    guard let figures = rows[commune]?[kind] else { continue }
                    records.append(outputRecord((commune, names[commune] ?? commune), kind: kind.rawValue, figures))
                }
            }
        }
        var all = OutputFigures()
        for kind in CaseFile.Kind.allCases {
            guard let figures = totals[kind] else { continue }
            records.append(outputRecord(("all", ""), kind: kind.rawValue, figures))
            all.add(figures)
        }
        var grand = outputRecord(("all", ""), kind: "all", all)
        grand.fields.removeAll { ["started", "finished", "handed-over"].contains($0.key) }
        records.append(grand)
        return .ok("outputs of \(place.name), \(span.from) – \(span.through), as of \(asOf)", records)
    }
}
