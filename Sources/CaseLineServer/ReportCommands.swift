import CaseLineDomain
import CaseLineProtocol
import CaseLineStore

/// The programme's reports (CLP1.md §10.12). Each is computed by the server from one snapshot of the store,
/// for a commune, a province, a legacy district or the caller's whole scope, and answered whole (never paged:
/// its rows are bounded by communes × years), headed by a `* REPORT` record.
enum ReportCommands {
    static let year = Param.number("year", 2000...2100)
    static let fromYear = Param.number("from", 2000...2100)
    static let toYear = Param.number("to", 2000...2100)
    static let asOf = Param.date("as-of")
    static let by = Param.choice("by", words: ["commune"])
    /// The most list years one report covers.
    static let maxYears = 10

    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "REPORT POVERTY", group: .reports,
            summary: "Poor and near-poor households and rates by list year, flows, breakdowns and targets.",
            options: ReportUnit.options + [year, fromYear, toYear, asOf, by], access: .authenticated,
            who: "any authenticated role, within its scope.", handler: poverty),
        CommandDefinition(
            "REPORT WORK", group: .reports,
            summary: "Tasks open, overdue and done by commune and component; cases waiting; communes without a lead.",
            options: ReportUnit.options + ReportPeriod.options, access: .authenticated,
            who: "any authenticated role, within its scope.", handler: work),
    ]

    /// `as-of=` (default today), never after today.
    static func asOfDate(_ env: ServerEnvironment, _ input: CommandInput) throws -> CivilDate {
        let today = try ReviewCommands.today(env)
        guard let text = input[asOf] else { return today }
        guard let day = CivilDate(text) else { throw DomainError(.invalid, "as-of= is not a date") }
        guard day <= today else { throw DomainError(.invalid, "as-of= \(day) is after today (\(today))") }
        return day
    }

    static func header(_ report: String, _ unit: ReportUnit, from: String, to: String, asOf: CivilDate, rates: Bool)
        -> Record
    {
        header(
            report, unit: unit.label, name: unit.name, from: from, to: to, asOf: asOf, communes: unit.communes.count,
            rates: rates)
    }

    /// The `* REPORT` record every report begins with (CLP1.md §11).
    static func header(
        _ report: String, unit: String, name: String, from: String, to: String, asOf: CivilDate, communes: Int,
        rates: Bool
    ) -> Record {
        var fields = [
            Field("report", report), Field("unit", unit), Field("unit-name", name), Field("from", from),
            Field("to", to), Field("as-of", asOf.description), Field("communes", String(communes)),
        ]
        if rates { fields.append(Field("rounding", Rate.rule)) }
        return Record("REPORT", fields)
    }

    static func rate(_ hundredths: Int?) -> String? { hundredths.map { Rate.text(Int64($0)) } }

    static func yearFields(_ y: PovertyReport.Year) -> [Field] {
        var fields = [Field("year", String(y.year))]
        if let households = y.households { fields.append(Field("households", String(households))) }
        if let persons = y.persons { fields.append(Field("persons", String(persons))) }
        fields += [
            Field("communes-without-total", String(y.communesWithoutTotal)),
            Field("poor", String(y.poor.households)), Field("poor-persons", String(y.poor.persons)),
            Field("near-poor", String(y.nearPoor.households)),
            Field("near-poor-persons", String(y.nearPoor.persons)),
        ]
        for (key, value) in [
            ("poor-rate", rate(y.poorRate)), ("near-poor-rate", rate(y.nearPoorRate)),
            ("multidimensional-rate", rate(y.multidimensionalRate)),
        ] {
            if let value { fields.append(Field(key, value)) }
        }
        return fields
    }

    static func poverty(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let unit = try ReportUnit.resolve(env, session, input)
        let years: ClosedRange<Int>
        switch (input[year], input[fromYear], input[toYear]) {
        case (let single?, nil, nil): years = single...single
        case (nil, let first?, let last?):
            guard first <= last else { throw DomainError(.invalid, "to= is before from=") }
            years = first...last
        default: throw DomainError(.invalid, "give year=, or from= and to=")
        }
        guard years.count <= maxYears else {
            throw DomainError(.invalid, "a report covers at most \(maxYears) list years")
        }
        let day = try asOfDate(env, input)
        // The year before the first is read too: a reduction target and the first year's flows need it.
        let widened = (years.lowerBound - 1)...years.upperBound
        let snapshot = try await env.store.povertySnapshot(
            communes: unit.communes, throughYear: years.upperBound, totalYears: widened, asOf: day,
            targetUnits: unit.label == "national" ? [] : [unit.label])
        // Health insurance counts when its case was decided by the end of the as-of day.
        let decidedBy = MoneyReportCommands.end(of: day)
        var insured: [Int: Set<Int>] = [:]
        for entry in snapshot.insured where entry.decidedAt < decidedBy {
            insured[entry.year, default: []].insert(entry.household)
        }
        let report = try PovertyReport.compute(
            lists: snapshot.lists, totals: snapshot.totals, communes: unit.communes,
            years: widened, byCommune: input[by] != nil, insured: insured)
        var records = [
            header(
                "poverty", unit, from: String(years.lowerBound), to: String(years.upperBound), asOf: day, rates: true)
        ]
        let shown = report.years.filter { years.contains($0.year) }
        records += shown.map { y in
            var fields = yearFields(y)
            fields += [Field("poor-insured", String(y.poorInsured))]
            if let share = rate(y.poorInsuredShare) { fields.append(Field("poor-insured-share", share)) }
            fields.append(Field("near-poor-insured", String(y.nearPoorInsured)))
            if let share = rate(y.nearPoorInsuredShare) { fields.append(Field("near-poor-insured-share", share)) }
            return Record("POVERTY-YEAR", fields)
        }
        for (commune, rows) in report.communes {
            let name = env.units.unit(UnitRef(stored: commune))?.name
            for row in rows where years.contains(row.year) {
                var fields = yearFields(row)
                fields.insert(
                    contentsOf: [Field("commune", commune)] + (name.map { [Field("commune-name", $0)] } ?? []), at: 1)
                records.append(Record("POVERTY-COMMUNE", fields))
            }
        }
        let flows = report.flows.filter { years.contains($0.previousYear) }
        records += flows.map { ReviewCommands.flowsRecord($0, unit: unit.label) }
        for group in report.groups where years.contains(group.year) {
            var fields = [
                Field("year", String(group.year)), Field("group", group.group.rawValue),
                Field("poor", String(group.poor.households)), Field("poor-persons", String(group.poor.persons)),
                Field("near-poor", String(group.nearPoor.households)),
                Field("near-poor-persons", String(group.nearPoor.persons)),
            ]
            if let share = rate(group.poorShare) { fields.append(Field("poor-share", share)) }
            if let share = rate(group.nearPoorShare) { fields.append(Field("near-poor-share", share)) }
            records.append(Record("POVERTY-GROUP", fields))
        }
        for target in snapshot.targets where years.contains(target.year) {
            records.append(targetResult(target, report))
        }
        return .ok("poverty report of \(unit.name), \(years.lowerBound)–\(years.upperBound)", records)
    }

    static func targetResult(_ target: Target, _ report: PovertyReport) -> Record {
        var fields = [
            Field("target", target.id ?? ""), Field("unit", target.unit), Field("year", String(target.year)),
            Field("indicator", target.indicator.rawValue), Field("kind", target.kind.rawValue),
            Field("comparison", target.kind.comparison.rawValue),
        ]
        fields += TargetCommands.valueFields(target)
        let this = report.years.first { $0.year == target.year }
        let before = report.years.first { $0.year == target.year - 1 }
        let flows = report.flows.first { $0.currentYear == target.year }
        if let this, let actual = target.actual(this: this, before: before, flows: flows) {
            let result = target.judge(actual: actual)
            fields.append(Field("actual", TargetCommands.figure(result.actual, target.indicator)))
            fields.append(Field("met", result.met ? "yes" : "no"))
            if let within = result.within { fields.append(Field("within", within ? "yes" : "no")) }
            fields.append(Field("margin", TargetCommands.figure(result.margin, target.indicator)))
        }
        fields.append(Field("document", target.document))
        return Record("TARGET-RESULT", fields)
    }

    // MARK: Work

    static func work(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let unit = try ReportUnit.resolve(env, session, input)
        let today = try ReviewCommands.today(env)
        let period = try ReportPeriod.resolve(input, today: today)
        /// Work filed under a legacy commune is shown under its primary successor.
        func current(_ commune: String) -> (code: String, name: String) {
            let found = env.units.current(UnitRef(stored: commune))
            return (found?.ref.code ?? commune, found?.name ?? commune)
        }
        var records = [
            header(
                "work", unit, from: period.first.description, to: period.last.description, asOf: today, rates: false)
        ]
        // Tasks: open and overdue as of today; done = moved to done within the period.
        struct TaskRow {
            var open = 0
            var overdue = 0
            var done = 0
        }
        var taskRows: [String: [String: TaskRow]] = [:]
        var names: [String: String] = [:]
        for task in try await env.store.tasks(TaskSelection(communes: unit.communes)) {
            let (code, name) = current(task.commune)
            names[code] = name
            let component = task.component ?? "none"
            var row = taskRows[code]?[component] ?? TaskRow()
            if task.state.isOpen { row.open += 1 }
            if task.isOverdue(today: today.description) { row.overdue += 1 }
            if task.state == .done, let changed = CivilDate(ServerEnvironment.day(task.updatedAt)),
                changed >= period.first
            {
                let finished = try await env.store.transitions(task: task.id).last { $0.to == .done }
                if let finished, let day = CivilDate(ServerEnvironment.day(finished.at)), period.contains(day) {
                    row.done += 1
                }
            }
            taskRows[code, default: [:]][component] = row
        }
        for code in taskRows.keys.sorted() {
            for (component, row) in taskRows[code]!.sorted(by: { $0.key < $1.key })
            where row.open + row.done > 0 {
                records.append(
                    Record(
                        "WORK-TASKS",
                        [
                            Field("commune", code), Field("commune-name", names[code] ?? code),
                            Field("component", component), Field("open", String(row.open)),
                            Field("overdue", String(row.overdue)), Field("done", String(row.done)),
                        ]))
            }
        }
        // Cases waiting for a decision, by the step they wait at, and how long they have waited.
        struct CaseRow {
            var pending = 0
            var over7 = 0
            var over30 = 0
            var oldest: CivilDate?
        }
        var caseRows: [String: [String: CaseRow]] = [:]
        // Only submitted cases wait: read those (a few) rather than every case of the unit (a province's history
        // holds thousands of decided ones).
        for file in try await env.store.cases(state: .submitted) where unit.communes.contains(file.commune) {
            let (code, name) = current(file.commune)
            names[code] = name
            // `step` counts from 1; the record says which of how many, and who decides it.
            let step =
                file.chain.indices.contains(file.step - 1)
                ? "\(file.step)/\(file.chain.count) \(file.chain[file.step - 1])" : "\(file.step)/\(file.chain.count)"
            var row = caseRows[code]?[step] ?? CaseRow()
            row.pending += 1
            if let since = (file.waitingSince ?? file.submittedAt).flatMap({ CivilDate(ServerEnvironment.day($0)) }) {
                let waited = since.days(until: today)
                if waited > 7 { row.over7 += 1 }
                if waited > 30 { row.over30 += 1 }
                if row.oldest.map({ since < $0 }) ?? true { row.oldest = since }
            }
            caseRows[code, default: [:]][step] = row
        }
        for code in caseRows.keys.sorted() {
            for (step, row) in caseRows[code]!.sorted(by: { $0.key < $1.key }) {
                var fields = [
                    Field("commune", code), Field("commune-name", names[code] ?? code), Field("step", step),
                    Field("pending", String(row.pending)), Field("waiting-over-7", String(row.over7)),
                    Field("waiting-over-30", String(row.over30)),
                ]
                if let oldest = row.oldest { fields.append(Field("oldest", oldest.description)) }
                records.append(Record("WORK-CASES", fields))
            }
        }
        // Communes of the unit with no active lead today (2025 communes only: assignments are made to them).
        let current = Set(unit.communes.filter { !$0.hasPrefix("legacy:") })
        for vacancy in try await AssignmentCommands.vacantCommunes(env, province: nil)
        where current.contains(vacancy.commune.ref.code) {
            records.append(
                Record(
                    "WORK-UNLED",
                    [Field("commune", vacancy.commune.ref.code), Field("commune-name", vacancy.commune.name)]))
        }
        return .ok("work report of \(unit.name), \(period.first) – \(period.last)", records)
    }
}
