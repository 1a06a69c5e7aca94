public import CaseLineDomain
public import CaseLineStore
public import Foundation

/// A province's decided cases of past years (support already decided or paid: housing, health insurance,
/// vocational classes, livelihood …), from its spreadsheets, under the units they were made in (format:
/// Tools/samples/history-cases.md). One CSV row per case. A case comes in as decided — `approved` or
/// `rejected`, with its decision and decision date — without an approval chain, steps or four-eyes checks,
/// and raises no live event; an approved one counts in REPORT OUTPUTS for its programme year (a legacy
/// commune's under its successor). All of a file in one transaction (`Store.importCases`), every error named
/// by line and column, a dry run that keeps nothing, and a second run of the same file changes nothing.
public enum CaseImporter {
    public struct Report: Sendable {
        public var rows: Int
        public var created: Int
        public var unchanged: Int
        /// The id the created cases carry (`IMP-…`).
        public var importID: String
        public var dryRun: Bool
    }

    /// Amount columns, one per funding source (`fund_central` …).
    static let fundingColumns = FundingSource.allCases.map { "fund_\($0.rawValue)" }
    /// Beneficiary columns, the categories of `beneficiaries=` (`near-poor` written `near_poor`).
    static let beneficiaryColumns = ["poor", "near_poor", "escaped", "other", "minority"]
    static let known =
        [
            "unit", "successor", "key", "kind", "title", "description", "year", "state", "decision", "decision_date",
        ] + fundingColumns + beneficiaryColumns + ["households", "started", "finished", "handed_over"]
    static let required = ["unit", "key", "kind", "title", "year", "state", "decision", "decision_date"]
    /// The most households one case names (as CASE CREATE).
    static let maxHouseholds = 500

    public static func run(
        _ bytes: [UInt8], source: String, dryRun: Bool, creator: String, actor: Actor, command: String,
        store: any Store, units: UnitDirectory, today: CivilDate, now: Date = Date()
    ) async throws -> Report {
        let importID = ImportSheet.importID(now)
        let imports = try parse(
            bytes, source: source, importID: importID, creator: creator, units: units, today: today, now: now)
        let outcome = try await store.importCases(
            imports, dryRun: dryRun,
            audit: AuditEntry(
                actor: actor, command: command, entity: "case:*",
                change: "import \(importID) of \(source): \(imports.count) cases (lines "
                    + "\(imports.first?.file.imported?.line ?? 0)–\(imports.last?.file.imported?.line ?? 0))"))
        return Report(
            rows: imports.count, created: outcome.created.count, unchanged: outcome.unchanged.count,
            importID: importID, dryRun: dryRun)
    }

    /// The file's cases, or every problem found in it.
    static func parse(
        _ bytes: [UInt8], source: String, importID: String, creator: String, units: UnitDirectory, today: CivilDate,
        now: Date
    ) throws -> [CaseImport] {
        let sheet = try ImportSheet.read(bytes, known: known, required: required)
        var imports: [CaseImport] = []
        var keys: [(key: String, line: Int, column: Int)] = []
        var issues = sheet.rows { row in
            let place = row.unit(units)
            let key = row.key()
            var kind: CaseFile.Kind?
            if let text = row.required("kind") {
                kind = CaseFile.Kind(rawValue: text.lowercased())
                if kind == nil {
                    row.fail(
                        "kind",
                        "\(text) is not a case kind: "
                            + CaseFile.Kind.allCases.map(\.rawValue).joined(separator: ", "))
                }
            }
            let title = row.text("title", required: true, max: 200)
            let description = row.text("description", required: false, max: 100_000)
            let year = row.number("year", 2021...Int64(today.year), required: true)
            var state: CaseFile.State?
            if let text = row.required("state") {
                switch text.lowercased() {
                case "approved": state = .approved
                case "rejected": state = .rejected
                default:
                    row.fail(
                        "state",
                        "\(text): history holds decided cases only (approved or rejected); "
                            + "cases still to decide are made in CaseLine with CASE CREATE")
                }
            }
            let decision = row.text("decision", required: true, max: 100)
            let decided = row.date("decision_date", required: true, today: today)
            // Amounts by funding source; the total is their sum.
            var funding: [CaseFile.Funding] = []
            for (source, column) in zip(FundingSource.allCases, fundingColumns) {
                if let amount = row.number(column, 0...1_000_000_000_000_000), amount > 0 {
                    funding.append(CaseFile.Funding(source: source.rawValue, amount: amount))
                }
            }
            let total = funding.reduce(Int64(0)) { $0 + $1.amount }
            if total > 1_000_000_000_000_000 {
                row.fail(fundingColumns[0], "the amounts add up to more than 10^15 VND")
            }
            if let kind, kind.needsFunding, state == .approved, total == 0 {
                row.fail(
                    fundingColumns[0],
                    "an approved \(kind.rawValue) case needs its amount by funding source (fund_central … "
                        + "fund_household)")
            }
            var counts: [Int] = []
            for column in beneficiaryColumns {
                counts.append(Int(row.number(column, 0...10_000_000) ?? 0))
            }
            let beneficiaries = Beneficiaries(
                poor: counts[0], nearPoor: counts[1], escaped: counts[2], other: counts[3], minority: counts[4])
            if let problem = beneficiaries.problem { row.fail("minority", problem) }
            let households = (row.text("households") ?? "").split(separator: "|").map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
            if let kind, kind.needsHouseholds, households.isEmpty {
                row.fail(
                    "households",
                    "a \(kind.rawValue) case names at least one household (HH-n or unit/household of `import lists`)")
            }
            if households.count > maxHouseholds {
                row.fail("households", "a case names at most \(maxHouseholds) households")
            }
            if Set(households).count != households.count {
                row.fail("households", "a household is named twice")
            }
            // A house's progress: housing kinds, approved, stage after stage, from the decision on.
            var progress = HousingProgress()
            for (stage, column) in zip(HousingStage.allCases, ["started", "finished", "handed_over"]) {
                guard let day = row.date(column, required: false, today: today) else { continue }
                guard let kind, kind.isHousing, state == .approved else {
                    row.fail(column, "only an approved housing case records a house's progress")
                    continue
                }
                let sofar = CaseFile(
                    id: key ?? "", kind: kind, commune: "", title: "", state: .approved, creator: "",
                    progress: progress)
                switch HousingProgress.advance(sofar, to: stage, on: day, decided: decided, today: today) {
                case .success(let next): progress = next
                case .failure(let error): row.fail(column, error.message)
                }
            }
            guard row.issues.isEmpty, let place, let key, let kind, let title, let year, let state, let decision,
                let decided
            else { return }
            let fullKey = "\(place.unit.ref.description)/\(key)"
            keys.append((fullKey, row.line, row.column("key")))
            let fingerprint = ImportSheet.fingerprint(
                [
                    fullKey, place.successor ?? "", kind.rawValue, title, description ?? "", String(year),
                    state.rawValue, decision, decided.description,
                    RecordText.fundingItems(funding).joined(separator: ","),
                    beneficiaries.wire, households.joined(separator: "|"), progress.started?.description ?? "",
                    progress.finished?.description ?? "", progress.handedOver?.description ?? "",
                ])
            let mark = ImportMark(
                source: source, line: row.line, importID: importID, key: fullKey, successor: place.successor)
            let file = CaseFile(
                kind: kind, commune: place.unit.ref.description, title: title, description: description, state: state,
                amount: funding.isEmpty ? nil : total, funding: funding, creator: creator,
                decidedAt: ServerEnvironment.startOfDay(decided.description), createdAt: now, updatedAt: now,
                year: Int(year), beneficiaries: beneficiaries, progress: progress, decision: decision, imported: mark)
            var change =
                "imported from \(source) line \(row.line) (import \(importID), key \(fullKey)): kind=\(kind.rawValue) "
                + "commune=\(file.commune) state=\(state.rawValue) decision=\(decision) decided=\(decided) year=\(year)"
            if !funding.isEmpty {
                change += " amount=\(total) funding=" + RecordText.fundingItems(funding).joined(separator: ",")
            }
            if !beneficiaries.isEmpty { change += " beneficiaries=\(beneficiaries.wire)" }
            if !households.isEmpty { change += " households=" + households.joined(separator: "|") }
            change += "; title: \(title)"
            imports.append(
                CaseImport(
                    file: file, fingerprint: fingerprint, households: households,
                    householdColumn: row.column("households"),
                    communes: ImportSheet.communes(of: place.unit, units), change: change))
        }
        issues += ImportSheet.duplicates(keys)
        guard issues.isEmpty else {
            throw SurveyImport.Failure(issues: issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
                .domainError
        }
        guard !imports.isEmpty else { throw DomainError(.invalid, "line 2: no rows") }
        return imports
    }
}
