public import CaseLineDomain
public import CaseLineStore
import Crypto
import Foundation

/// A province's decided poor / near-poor lists of past years (before CaseLine), from its spreadsheets, under
/// the units they were made in (format: Tools/samples/history-lists.md). One CSV row per household and list
/// year; each (unit, year) becomes one decided, imported campaign — stage `certificates`, listing basis
/// `imported`, the commune chairman's decision as the sheet gives it — whose assessments carry the persons
/// the list counted. Households are created under their unit as written (a legacy commune stays legacy and
/// counts under its primary successor, or under the successor the rows name when it was split), with the
/// members a second file gives (HistoryMembers.swift). All of the files in one transaction
/// (`Store.importHouseholds`), every error named by file, line and column, no live events, no approval chain;
/// a second run of the same files changes nothing, and a list or household already in the store with other
/// content refuses them.
public enum HistoryImporter {
    public struct Report: Sendable {
        public var households: Int
        public var created: Int
        public var unchanged: Int
        /// Members created now (with the households created now).
        public var members: Int
        /// Lists (unit × year) opened now, and lists found already imported with the same content.
        public var listsOpened: Int
        public var listsUnchanged: Int
        public var assessments: Int
        public var dryRun: Bool
        /// The run's id, kept with every household it created.
        public var importID: String = ""
    }

    enum Column: String, CaseIterable, HistoryColumn {
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
        /// The 2025 commune the household went to, kept only for a legacy commune split in 2025.
        var successor: String?
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
        var key: String
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
        _ bytes: [UInt8], source: String, members membersFile: MembersFile? = nil, dryRun: Bool, actor: Actor,
        command: String, store: any Store, units: UnitDirectory, review: ServerConfiguration.Review,
        today: CivilDate
    ) async throws -> Report {
        // One id for the run, kept with every household it creates (`householdImportMark`).
        let importID = ImportSheet.importID(Date())
        var issues: [SurveyImport.Issue] = []
        var memberIssues: [SurveyImport.Issue] = []
        /// Every problem of both files, each file's by line and column; named by file when there are two.
        func refusal() -> DomainError {
            guard let membersFile else { return SurveyImport.Failure(issues: issues).domainError }
            let all =
                issues.map { "\(source): \($0)" } + memberIssues.map { "\(membersFile.source): \($0)" }
            let more = all.count > 20 ? "; and \(all.count - 20) more" : ""
            return DomainError(
                .invalid, all.prefix(20).joined(separator: "; ") + more, details: [("errors", "\(all.count)")])
        }
        let rows: [Row]
        switch parse(bytes, units: units, review: review, today: today) {
        case .success(let parsed): rows = parsed
        case .failure(let failure):
            rows = []
            issues = failure.issues
        }
        var memberRows: [MemberRow] = []
        if let membersFile {
            (memberRows, memberIssues) = parseMembers(membersFile.bytes, units: units, today: today)
        }
        // Households: one per (unit, household key); their head's columns must agree on every row.
        var households: [String: [Row]] = [:]
        var order: [String] = []
        for row in rows {
            if households[row.key] == nil { order.append(row.key) }
            households[row.key, default: []].append(row)
        }
        // Members: each names a household of the lists file; ID numbers once across both files.
        var members: [String: [MemberRow]] = [:]
        var idNumbers: [String: String] = [:]
        for key in order {
            let first = households[key]![0]
            if let number = first.idNumber { idNumbers[number] = "\(source) line \(first.line)" }
        }
        for row in memberRows {
            guard households[row.key] != nil else {
                memberIssues.append(
                    SurveyImport.Issue(
                        line: row.line, column: row.householdColumn, field: "household",
                        message: "household \(row.household) of \(row.unit) is not in \(source)"))
                continue
            }
            if let number = row.member.idNumber, let membersFile {
                if let other = idNumbers[number] {
                    memberIssues.append(
                        SurveyImport.Issue(
                            line: row.line, column: row.idColumn, field: "id_number",
                            message: "ID number \(number) is also on \(other)"))
                } else {
                    idNumbers[number] = "\(membersFile.source) line \(row.line)"
                }
            }
            members[row.key, default: []].append(row)
        }
        var imports: [HouseholdImport] = []
        imports.reserveCapacity(order.count)
        for key in order {
            let group = households[key]!
            let first = group[0]
            for row in group.dropFirst()
            where (row.village, row.head, row.gender, row.birth, row.idNumber, row.ethnicity)
                != (first.village, first.head, first.gender, first.birth, first.idNumber, first.ethnicity)
                || row.successor != first.successor
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
            let family = members[key] ?? []
            imports.append(
                HouseholdImport(
                    key: key, fingerprint: fingerprint(first, family.map(\.member)), existing: nil,
                    household: Household(
                        commune: first.unit.ref.description, village: first.village,
                        area: area == .urban ? .urban : .rural,
                        head: first.head, gender: first.gender, birth: first.birth.description,
                        ethnicity: first.ethnicity, idNumber: first.idNumber, successor: first.successor),
                    members: family.map(\.member), lines: group.map(\.line),
                    origin: membersFile.map {
                        "\(source) \(Self.lines(group.map(\.line)))"
                            + (family.isEmpty ? "" : ", \($0.source) \(Self.lines(family.map(\.line)))")
                    },
                    mark: ImportMark(source: source, line: first.line, importID: importID, key: key)))
        }
        // Lists: one per (unit, year), with one decision.
        var lists: [String: List] = [:]
        var listed: Set<String> = []
        var listOrder: [String] = []
        for row in rows {
            let id = "\(row.unit.ref.description) \(row.listYear)"
            if lists[id] != nil {
                if let list = lists[id], (list.decision, list.decisionDate) != (row.decision, row.decisionDate) {
                    issues.append(
                        SurveyImport.Issue(
                            line: row.line, column: 1, field: "decision",
                            message: "the \(row.listYear) list of \(row.unit.ref) was decided by \(list.decision) of "
                                + "\(list.decisionDate) on line \(list.rows[0].line)"))
                }
                if !listed.insert("\(id) \(row.key)").inserted {
                    issues.append(
                        SurveyImport.Issue(
                            line: row.line, column: 1, field: "household",
                            message:
                                "household \(row.household) is on the \(row.listYear) list of \(row.unit.ref) twice"))
                }
                lists[id]!.rows.append(row)  // in place: a copy per row would be quadratic in a list's size
            } else {
                guard case .success(let standard) = review.catalog.standard(forListYear: row.listYear) else {
                    continue  // reported by parse
                }
                listed.insert("\(id) \(row.key)")
                lists[id] = List(
                    unit: row.unit, year: row.listYear, decision: row.decision, decisionDate: row.decisionDate,
                    standard: standard, rows: [row])
                listOrder.append(id)
            }
        }
        guard issues.isEmpty, memberIssues.isEmpty else { throw refusal() }
        // Lists already in the store, read at once for every unit of the file: the same content is left alone,
        // other content refuses the file.
        let planned = listOrder.map { lists[$0]! }
        var existing: [String: ReviewCampaign] = [:]
        let reviewYears = Set(planned.map { $0.year - 1 })
        for campaign in try await store.reviewCampaigns(
            communes: Set(planned.map(\.unit.ref.description)),
            reviewYear: reviewYears.count == 1 ? reviewYears.first : nil)
        where campaign.kind == .periodic && reviewYears.contains(campaign.reviewYear) {
            let id = "\(campaign.commune) \(campaign.reviewYear + 1)"
            if lists[id] != nil, existing[id] == nil { existing[id] = campaign }
        }
        let found = existing
        // With two files, messages name the lists file too.
        let named = membersFile == nil ? "" : "\(source): "
        let outcome = try await store.importHouseholds(
            imports, campaignRevision: nil, dryRun: dryRun,
            audit: AuditEntry(
                actor: actor, command: command, entity: "household:*",
                change:
                    "import of \(source)" + (membersFile.map { " and \($0.source)" } ?? "")
                    + ": \(imports.count) households, \(memberRows.count) members, \(planned.count) lists ("
                    + planned.map { "\($0.unit.ref) \($0.year)" }.joined(separator: ", ") + ")"),
            then: { ids in
                var open: [@Sendable (String) throws -> ReviewOpening] = []
                for list in planned {
                    let listID = "\(list.unit.ref.description) \(list.year)"
                    if let campaign = found[listID] {
                        guard same(campaign, list, ids) else {
                            throw DomainError(
                                .conflict,
                                "\(named)line \(list.rows[0].line): the \(list.year) list of \(list.unit.ref) is already in "
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
            members: outcome.members, listsOpened: outcome.opened.count, listsUnchanged: found.count,
            assessments: outcome.opened.reduce(0) { $0 + $1.households.count }, dryRun: dryRun, importID: importID)
    }

    /// What a re-run compares of a household: its head's columns and successor (hashed, as every import
    /// before members were imported made it), then `+` and its members' hash when the files state members. A
    /// file that states none matches a household imported with them (`HouseholdImport.fingerprint`).
    static func fingerprint(_ first: Row, _ members: [HouseholdMember]) -> String {
        var head =
            "\(first.village)|\(first.head)|\(first.gender.rawValue)|\(first.birth)|\(first.idNumber ?? "")|\(first.ethnicity ?? "")"
        if let successor = first.successor { head += "|successor:\(successor)" }
        let headHash = Hex.string(SHA256.hash(data: Data(head.utf8)))
        guard !members.isEmpty else { return headHash }
        return headHash + "+" + Hex.string(SHA256.hash(data: Data(membersFingerprint(members).utf8)))
    }

    /// `lines 3–7` or `line 12`.
    static func lines(_ lines: [Int]) -> String {
        guard let first = lines.min(), let last = lines.max() else { return "line ?" }
        return first == last ? "line \(first)" : "lines \(first)–\(last)"
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
        -> Result<[Row], SurveyImport.Failure>
    {
        let table: HistoryTable<Column>
        switch HistoryTable<Column>.read(bytes) {
        case .success(let read): table = read
        case .failure(let failure): return .failure(failure)
        }
        var issues: [SurveyImport.Issue] = []
        var rows: [Row] = []
        rows.reserveCapacity(table.records.count)
        // Units and years repeat on every row: each is looked up once.
        var unitsRead: [String: AdminUnit?] = [:]
        var standards: [Int: Result<StandardDescription, DomainError>] = [:]
        for record in table.records {
            var row = table.row(record)
            // The unit: a commune-level unit of either edition; a split legacy commune names its successor.
            let unitText = row.required(.unit)
            var unit: AdminUnit?
            if !unitText.isEmpty {
                if let known = unitsRead[unitText] {
                    unit = known
                } else {
                    unit = UnitRef(wire: unitText).flatMap { units.unit($0) }.flatMap {
                        $0.level == .commune ? $0 : nil
                    }
                    unitsRead[unitText] = unit
                }
                if unit == nil { row.fail(.unit, "\(unitText) is not a commune-level unit (CODE or legacy:CODE)") }
            }
            var successor: String?
            if let unit, unit.ref.edition == .legacy {
                let successors = units.lineage(unit.ref).map(\.currentCode)
                let named = row.cell(.successor)
                if successors.count > 1 {
                    if let named, successors.contains(named) {
                        successor = named
                    } else {
                        row.fail(
                            .successor,
                            "\(unit.name) (\(unit.ref)) was split in 2025 between " + successors.joined(separator: ", ")
                                + ": name the household's successor")
                    }
                } else if let named, !successors.contains(named) {
                    row.fail(.successor, "\(unit.ref)'s successor is \(successors.first ?? "none"), not \(named)")
                }
            }
            let household = row.required(.household)
            if household.contains("/") || household.count > 40 {
                row.fail(.household, "a household key has 1–40 characters and no /")
            }
            let village = row.required(.village)
            let head = row.required(.head)
            let gender = row.gender(.gender)
            let birth = row.date(.birth, today: today)
            let idNumber = row.cell(.idNumber)
            if let idNumber, !Household.isValidIDNumber(idNumber) {
                row.fail(.idNumber, "an ID number has 12 digits (CCCD) or 9 (CMND)")
            }
            var ethnicity: String?
            if let text = row.cell(.ethnicity) {
                if let group = EthnicGroup.lookup(text) {
                    ethnicity = group.name
                } else {
                    row.fail(.ethnicity, "\(text) is not one of the 54 groups of the official list")
                }
            }
            var persons = 1
            if let text = row.cell(.persons) {
                if let value = Int(text), (1...50).contains(value) {
                    persons = value
                } else {
                    row.fail(.persons, "persons is a whole number from 1 to 50")
                }
            }
            let yearText = row.required(.listYear)
            let listYear = Int(yearText) ?? 0
            if !yearText.isEmpty {
                if listYear > today.year {
                    row.fail(.listYear, "\(listYear) is after this year")
                } else {
                    let standard = standards[listYear] ?? review.catalog.standard(forListYear: listYear)
                    standards[listYear] = standard
                    if case .failure(let error) = standard { row.fail(.listYear, error.message) }
                }
            }
            let classification: ReviewClass
            switch NameFolding.fold(row.required(.class)) {
            // Folded: case, tones and hyphens ignored ("near-poor" reads as "near poor").
            case "poor", "ngheo", "ho ngheo": classification = .poor
            case "near poor", "can ngheo", "ho can ngheo": classification = .nearPoor
            case "average living", "trung binh", "muc song trung binh": classification = .averageLiving
            case "none", "khong", "": classification = .none
            default:
                row.fail(
                    .class, "class is poor, near-poor, average-living or none (nghèo, cận nghèo, trung bình, không)")
                classification = .none
            }
            let decision = row.required(.decision)
            let decisionDate = row.date(.decisionDate, today: today)
            issues += row.issues
            guard row.issues.isEmpty, let unit, let birth, let decisionDate else { continue }
            rows.append(
                Row(
                    line: record.line, unit: unit, successor: successor, household: household, village: village,
                    head: head, gender: gender, birth: birth, idNumber: idNumber,
                    ethnicity: ethnicity, persons: persons, listYear: listYear, classification: classification,
                    decision: decision, decisionDate: decisionDate, key: "\(unit.ref.description)/\(household)"))
        }
        guard issues.isEmpty else { return .failure(SurveyImport.Failure(issues: issues)) }
        guard !rows.isEmpty else {
            return .failure(
                SurveyImport.Failure(issues: [SurveyImport.Issue(line: 2, column: 1, field: nil, message: "no rows")]))
        }
        return .success(rows)
    }
}
