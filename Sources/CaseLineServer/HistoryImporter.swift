public import CaseLineDomain
public import CaseLineStore
import Crypto
import Foundation

/// A province's decided poor / near-poor lists of past years (before CaseLine), from its spreadsheets, under
/// the units they were made in (format: Tools/samples/history-lists.md). One CSV row per household and list
/// year; each (unit, year) becomes one decided, imported campaign — stage `certificates`, listing basis
/// `imported`, the commune chairman's decision as the sheet gives it — whose assessments carry the persons
/// the list counted. Households are created under their unit as written (a legacy commune stays legacy and
/// counts under its primary successor). All of a file in one transaction (`Store.importHouseholds`), every
/// error named by line and column, no live events, no approval chain; a second run of the same file changes
/// nothing, and a list already in the store with other content refuses the file.
public enum HistoryImporter {
    public struct Report: Sendable {
        public var households: Int
        public var created: Int
        public var unchanged: Int
        /// Lists (unit × year) opened now, and lists found already imported with the same content.
        public var listsOpened: Int
        public var listsUnchanged: Int
        public var assessments: Int
        public var dryRun: Bool
    }

    enum Column: String, CaseIterable {
        case unit, successor, household, village, head, gender, birth
        case idNumber = "id_number"
        case ethnicity, persons
        case listYear = "list_year"
        case `class`, decision
        case decisionDate = "decision_date"

        static let required: [Column] = [
            .unit, .household, .village, .head, .gender, .birth, .listYear, .class, .decision, .decisionDate,
        ]
    }

    struct Row {
        var line: Int
        var unit: AdminUnit
        var household: String
        var village: String
        var head: String
        var gender: Household.Gender
        var birth: CivilDate
        var idNumber: String?
        var ethnicity: String?
        var persons: Int
        var listYear: Int
        var classification: ReviewClass
        var decision: String
        var decisionDate: CivilDate
        var key: String { "\(unit.ref.description)/\(household)" }
    }

    /// A list of one unit and year, as the file gives it.
    struct List {
        var unit: AdminUnit
        var year: Int
        var decision: String
        var decisionDate: CivilDate
        var standard: StandardDescription
        var rows: [Row]
    }

    public static func run(
        _ bytes: [UInt8], source: String, dryRun: Bool, actor: Actor, command: String, store: any Store,
        units: UnitDirectory, review: ServerConfiguration.Review, today: CivilDate
    ) async throws -> Report {
        let rows = try parse(bytes, units: units, review: review, today: today)
        // Households: one per (unit, household key); their head's columns must agree on every row.
        var households: [String: [Row]] = [:]
        var order: [String] = []
        for row in rows {
            if households[row.key] == nil { order.append(row.key) }
            households[row.key, default: []].append(row)
        }
        var issues: [SurveyImport.Issue] = []
        var imports: [HouseholdImport] = []
        for key in order {
            let group = households[key]!
            let first = group[0]
            for row in group.dropFirst()
            where (row.village, row.head, row.gender, row.birth, row.idNumber, row.ethnicity)
                != (first.village, first.head, first.gender, first.birth, first.idNumber, first.ethnicity)
            {
                issues.append(
                    SurveyImport.Issue(
                        line: row.line, column: 1, field: "household",
                        message:
                            "household \(first.household) of \(first.unit.ref) is described otherwise on line \(first.line)"
                    ))
            }
            let area: SettlementArea =
                (try? AreaDerivation.derive(
                    unitType: first.unit.type, unitCode: first.unit.ref.code, configuration: review.area
                ).get().area) ?? .rural
            let fingerprint = Hex.string(
                SHA256.hash(
                    data: Data(
                        "\(first.village)|\(first.head)|\(first.gender.rawValue)|\(first.birth)|\(first.idNumber ?? "")|\(first.ethnicity ?? "")"
                            .utf8)))
            imports.append(
                HouseholdImport(
                    key: key, fingerprint: fingerprint, existing: nil,
                    household: Household(
                        commune: first.unit.ref.description, village: first.village,
                        area: area == .urban ? .urban : .rural,
                        head: first.head, gender: first.gender, birth: first.birth.description,
                        ethnicity: first.ethnicity, idNumber: first.idNumber),
                    members: [], lines: group.map(\.line)))
        }
        // Lists: one per (unit, year), with one decision.
        var lists: [String: List] = [:]
        var listOrder: [String] = []
        for row in rows {
            let id = "\(row.unit.ref.description) \(row.listYear)"
            if var list = lists[id] {
                if (list.decision, list.decisionDate) != (row.decision, row.decisionDate) {
                    issues.append(
                        SurveyImport.Issue(
                            line: row.line, column: 1, field: "decision",
                            message: "the \(row.listYear) list of \(row.unit.ref) was decided by \(list.decision) of "
                                + "\(list.decisionDate) on line \(list.rows[0].line)"))
                }
                if list.rows.contains(where: { $0.key == row.key }) {
                    issues.append(
                        SurveyImport.Issue(
                            line: row.line, column: 1, field: "household",
                            message:
                                "household \(row.household) is on the \(row.listYear) list of \(row.unit.ref) twice"))
                }
                list.rows.append(row)
                lists[id] = list
            } else {
                guard case .success(let standard) = review.catalog.standard(forListYear: row.listYear) else {
                    continue  // reported by parse
                }
                lists[id] = List(
                    unit: row.unit, year: row.listYear, decision: row.decision, decisionDate: row.decisionDate,
                    standard: standard, rows: [row])
                listOrder.append(id)
            }
        }
        guard issues.isEmpty else { throw SurveyImport.Failure(issues: issues).domainError }
        // Lists already in the store: the same content is left alone, other content refuses the file.
        var existing: [String: ReviewCampaign] = [:]
        for id in listOrder {
            let list = lists[id]!
            if let found = try await store.reviewCampaigns(
                communes: [list.unit.ref.description], reviewYear: list.year - 1
            ).first(where: { $0.kind == .periodic }) {
                existing[id] = found
            }
        }
        let planned = listOrder.map { lists[$0]! }
        let found = existing
        let outcome = try await store.importHouseholds(
            imports, campaignRevision: nil, dryRun: dryRun,
            audit: AuditEntry(
                actor: actor, command: command, entity: "household:*",
                change:
                    "import of \(source): \(imports.count) households, \(planned.count) lists ("
                    + planned.map { "\($0.unit.ref) \($0.year)" }.joined(separator: ", ") + ")"),
            then: { ids in
                var open: [@Sendable (String) throws -> ReviewOpening] = []
                for list in planned {
                    let listID = "\(list.unit.ref.description) \(list.year)"
                    if let campaign = found[listID] {
                        guard same(campaign, list, ids) else {
                            throw DomainError(
                                .conflict,
                                "line \(list.rows[0].line): the \(list.year) list of \(list.unit.ref) is already in "
                                    + "\(campaign.id) with other content", details: [("campaign", campaign.id)])
                        }
                        continue
                    }
                    open.append { id in
                        opening(id, list, ids, source: source, actor: actor, command: command, units: units)
                    }
                }
                return ImportSteps(open: open)
            })
        return Report(
            households: imports.count, created: outcome.created.count, unchanged: outcome.unchanged.count,
            listsOpened: outcome.opened.count, listsUnchanged: found.count,
            assessments: outcome.opened.reduce(0) { $0 + $1.households.count }, dryRun: dryRun)
    }

    /// Whether a list in the store holds exactly the households, classes and persons the file gives.
    static func same(_ campaign: ReviewCampaign, _ list: List, _ ids: [String: String]) -> Bool {
        guard campaign.decision?.number == list.decision, campaign.households.count == list.rows.count else {
            return false
        }
        return list.rows.allSatisfy { row in
            guard let id = ids[row.key], let household = campaign.households[id] else { return false }
            return household.survey?.classification.result == row.classification
        }
    }

    /// The decided campaign of one imported list.
    static func opening(
        _ id: String, _ list: List, _ ids: [String: String], source: String, actor: Actor, command: String,
        units: UnitDirectory
    ) -> ReviewOpening {
        let unit = list.unit.ref.description
        let decision = ReviewDecision(
            number: list.decision, date: list.decisionDate,
            signature: OfficeSignature(office: .communeChairman(unit), login: "import"))
        var campaign = ReviewCampaign(
            id: id, kind: .periodic, commune: unit,
            higherLevelUnits: HigherLevelUnits(province: units.currentProvince(of: list.unit.ref)),
            reviewYear: list.year - 1, listYear: list.year, standardID: list.standard.id,
            standardRevision: list.standard.revision, stage: .certificates, opened: list.decisionDate,
            reviewStart: list.decisionDate, decisionDue: list.decisionDate, decision: decision)
        var effects: [ReviewEffect] = []
        var tally: [ReviewClass: Int] = [:]
        for row in list.rows {
            guard let household = ids[row.key] else { continue }
            let area = AreaDerivation.Derived(area: .rural, source: .unitType(list.unit.type))
            let survey = HouseholdSurvey(
                figures: SurveyFigures(), area: area,
                classification: Classification(
                    result: row.classification, standardID: list.standard.id,
                    standardRevision: list.standard.revision, area: .rural, deprived: [], scoreB: 0, reasons: [],
                    unverifiedFigures: []),
                by: "import", on: list.decisionDate)
            let basis = ListingBasis.imported(source: "\(source):\(row.line)")
            campaign.households[household] = CampaignHousehold(
                id: household, village: row.village, basis: basis, state: .decided, survey: survey)
            effects.append(
                .recordAssessment(
                    ReviewAssessment(
                        household: household, campaign: id, kind: .periodic, reviewYear: list.year - 1,
                        listYear: list.year, commune: unit, village: row.village, basis: basis, survey: survey,
                        decision: decision, persons: row.persons)))
            tally[row.classification, default: 0] += 1
        }
        let counts = ReviewClass.allCases.map { "\($0.rawValue)=\(tally[$0] ?? 0)" }.joined(separator: " ")
        let audit =
            "\(campaign.name): the \(list.year) list imported from \(source) (lines "
            + "\(list.rows.map(\.line).min() ?? 0)–\(list.rows.map(\.line).max() ?? 0)), decided by \(list.decision) of "
            + "\(list.decisionDate): \(list.rows.count) households, \(counts)"
        return ReviewOpening(
            step: ReviewStep(campaign: campaign, effects: effects, events: [], audit: audit),
            audit: AuditEntry(actor: actor, command: command, entity: "review:\(id)", change: audit))
    }

    // MARK: Reading the file

    static func parse(_ bytes: [UInt8], units: UnitDirectory, review: ServerConfiguration.Review, today: CivilDate)
        throws -> [Row]
    {
        let records: [CSVReader.Record]
        switch CSVReader.read(bytes) {
        case .success(let read): records = read
        case .failure(let failure):
            throw SurveyImport.Failure(
                issues: failure.problems.map {
                    SurveyImport.Issue(line: $0.line, column: $0.column, field: nil, message: $0.message)
                }
            ).domainError
        }
        guard let header = records.first else {
            throw DomainError(.invalid, "line 1: the file is empty")
        }
        var issues: [SurveyImport.Issue] = []
        var columns: [Column: Int] = [:]
        for (index, field) in header.fields.enumerated() {
            let name = field.value.trimmingCharacters(in: .whitespaces).lowercased()
            guard let column = Column(rawValue: name) else {
                issues.append(
                    SurveyImport.Issue(
                        line: field.line, column: field.column, field: nil,
                        message: "unknown column \"\(field.value)\"; known: "
                            + Column.allCases.map(\.rawValue).joined(separator: ", ")))
                continue
            }
            if columns[column] != nil {
                issues.append(
                    SurveyImport.Issue(line: field.line, column: field.column, field: name, message: "column repeated"))
            }
            columns[column] = index
        }
        for column in Column.required where columns[column] == nil {
            issues.append(
                SurveyImport.Issue(
                    line: header.line, column: 1, field: column.rawValue, message: "required column is missing"))
        }
        guard issues.isEmpty else { throw SurveyImport.Failure(issues: issues).domainError }
        var rows: [Row] = []
        for record in records.dropFirst() where !record.fields.allSatisfy({ $0.value.isEmpty }) {
            guard record.fields.count == header.fields.count else {
                issues.append(
                    SurveyImport.Issue(
                        line: record.line, column: 1, field: nil,
                        message: "\(record.fields.count) fields where the header has \(header.fields.count)"))
                continue
            }
            func cell(_ column: Column) -> (text: String, column: Int)? {
                guard let index = columns[column] else { return nil }
                let field = record.fields[index]
                let text = field.value.trimmingCharacters(in: .whitespaces)
                return text.isEmpty ? nil : (text, field.column)
            }
            func fail(_ column: Column, _ message: String) {
                issues.append(
                    SurveyImport.Issue(
                        line: record.line, column: columns[column].map { record.fields[$0].column } ?? 1,
                        field: column.rawValue, message: message))
            }
            var ok = true
            func required(_ column: Column) -> String {
                guard let value = cell(column)?.text else {
                    fail(column, "\(column.rawValue) is required")
                    ok = false
                    return ""
                }
                return value
            }
            // The unit: a commune-level unit of either edition; a split legacy commune names its successor.
            let unitText = required(.unit)
            var unit: AdminUnit?
            if !unitText.isEmpty {
                if let ref = UnitRef(wire: unitText), let found = units.unit(ref), found.level == .commune {
                    unit = found
                } else {
                    fail(.unit, "\(unitText) is not a commune-level unit (CODE or legacy:CODE)")
                    ok = false
                }
            }
            if let unit, unit.ref.edition == .legacy {
                let successors = units.lineage(unit.ref).map(\.currentCode)
                let named = cell(.successor)?.text
                if successors.count > 1 {
                    if !(named.map(successors.contains) ?? false) {
                        fail(
                            .successor,
                            "\(unit.name) (\(unit.ref)) was split in 2025 between " + successors.joined(separator: ", ")
                                + ": name the household's successor")
                        ok = false
                    }
                } else if let named, !successors.contains(named) {
                    fail(.successor, "\(unit.ref)'s successor is \(successors.first ?? "none"), not \(named)")
                    ok = false
                }
            }
            let household = required(.household)
            if household.contains("/") || household.count > 40 {
                fail(.household, "a household key has 1–40 characters and no /")
                ok = false
            }
            let village = required(.village)
            let head = required(.head)
            var gender = Household.Gender.male
            switch NameFolding.fold(required(.gender)) {
            case "nam", "male": gender = .male
            case "nu", "female": gender = .female
            case "": break
            default:
                fail(.gender, "gender is nam or nữ (male or female)")
                ok = false
            }
            let birth = CivilDate(required(.birth))
            if birth == nil || birth.map({ $0 > today }) == true {
                fail(.birth, "birth is a date YYYY-MM-DD, not in the future")
                ok = false
            }
            let idNumber = cell(.idNumber)?.text
            if let idNumber, !Household.isValidIDNumber(idNumber) {
                fail(.idNumber, "an ID number has 12 digits (CCCD) or 9 (CMND)")
                ok = false
            }
            var ethnicity: String?
            if let text = cell(.ethnicity)?.text {
                if let group = EthnicGroup.lookup(text) {
                    ethnicity = group.name
                } else {
                    fail(.ethnicity, "\(text) is not one of the 54 groups of the official list")
                    ok = false
                }
            }
            var persons = 1
            if let text = cell(.persons)?.text {
                if let value = Int(text), (1...50).contains(value) {
                    persons = value
                } else {
                    fail(.persons, "persons is a whole number from 1 to 50")
                    ok = false
                }
            }
            let yearText = required(.listYear)
            let listYear = Int(yearText) ?? 0
            if !yearText.isEmpty {
                if listYear > today.year {
                    fail(.listYear, "\(listYear) is after this year")
                    ok = false
                } else if case .failure(let error) = review.catalog.standard(forListYear: listYear) {
                    fail(.listYear, error.message)
                    ok = false
                }
            }
            let classification: ReviewClass
            switch NameFolding.fold(required(.class)) {
            // Folded: case, tones and hyphens ignored ("near-poor" reads as "near poor").
            case "poor", "ngheo", "ho ngheo": classification = .poor
            case "near poor", "can ngheo", "ho can ngheo": classification = .nearPoor
            case "average living", "trung binh", "muc song trung binh": classification = .averageLiving
            case "none", "khong", "": classification = .none
            default:
                fail(.class, "class is poor, near-poor, average-living or none (nghèo, cận nghèo, trung bình, không)")
                ok = false
                classification = .none
            }
            let decision = required(.decision)
            let decisionDate = CivilDate(required(.decisionDate))
            if decisionDate == nil || decisionDate.map({ $0 > today }) == true {
                fail(.decisionDate, "decision_date is a date YYYY-MM-DD, not in the future")
                ok = false
            }
            guard ok, let unit, let birth, let decisionDate else { continue }
            rows.append(
                Row(
                    line: record.line, unit: unit, household: household, village: village, head: head, gender: gender,
                    birth: birth, idNumber: idNumber, ethnicity: ethnicity, persons: persons, listYear: listYear,
                    classification: classification, decision: decision, decisionDate: decisionDate))
        }
        guard issues.isEmpty else { throw SurveyImport.Failure(issues: issues).domainError }
        guard !rows.isEmpty else { throw DomainError(.invalid, "line 2: no rows") }
        return rows
    }
}
