import Foundation

/// Reviewers' survey spreadsheets: households, their members and their Phiếu B results, one row per person
/// (format: Tools/samples/survey-import.md). Parsed all or nothing: either every row becomes a typed value, or
/// every problem is reported by its 1-based line and column, so a reviewer fixes the sheet in one pass. Each
/// household and person has a stable key, and each household a fingerprint of its content, so that loading the
/// same file twice can be recognised and do nothing (`caseline-server import households` and the protocol
/// path both use this). Pure: no store, no unit directory — the server checks the communes and households it
/// knows afterwards.
public enum SurveyImport {
    /// The columns, by header name. Order is free; names are matched without regard to case.
    public enum Column: String, Sendable, Hashable, CaseIterable {
        case commune, household, village, relation, name, gender, birth
        case idNumber = "id_number"
        case ethnicity, disability
        case socialAllowance = "social_allowance"
        case merit
        case phieuA = "phieu_a"
        case scoreA = "score_a"
        case scoreB = "score_b"
        case deprived, income, livelihood
        case surveyedOn = "surveyed_on"
        case reviewer

        public static let required: [Column] = [.commune, .household, .village, .relation, .name, .gender, .birth]

        /// Household-level columns: on the head's row only.
        public static let survey: [Column] = [
            .phieuA, .scoreA, .scoreB, .deprived, .income, .livelihood, .surveyedOn, .reviewer,
        ]
    }

    public struct Issue: Error, Sendable, Hashable, Codable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        /// The column's header name, when the issue concerns one.
        public var field: String?
        public var message: String

        public init(line: Int, column: Int, field: String?, message: String) {
            self.line = line
            self.column = column
            self.field = field
            self.message = message
        }

        /// `line 4, column 7 (birth): …`
        public var description: String {
            "line \(line), column \(column)" + (field.map { " (\($0))" } ?? "") + ": \(message)"
        }
    }

    /// Every problem of a refused file, in line and column order.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public var issues: [Issue]

        public init(issues: [Issue]) { self.issues = issues }

        public var description: String { issues.map(\.description).joined(separator: "\n") }

        /// The refusal for the protocol: `INVALID`, the first problems in the message, the count in details.
        public var domainError: DomainError {
            let shown = issues.prefix(20).map(\.description).joined(separator: "; ")
            let more = issues.count > 20 ? "; and \(issues.count - 20) more" : ""
            return DomainError(.invalid, shown + more, details: [("errors", "\(issues.count)")])
        }
    }

    public struct Person: Sendable, Hashable, Codable {
        public var line: Int
        /// `commune/household/folded name/birth`: the same person in a later import.
        public var key: String
        public var name: String
        public var gender: Gender
        public var birth: CivilDate
        public var profile: MemberProfile
    }

    public struct Survey: Sendable, Hashable, Codable {
        public var figures: SurveyFigures
        public var surveyedOn: CivilDate
        public var reviewer: String?
    }

    public struct Household: Sendable, Hashable, Codable {
        /// `commune/household`: the household in a later import of the same sheet.
        public var key: String
        public var commune: String
        /// The sheet's household key: a CaseLine id (`HH-n`) of a known household, or the reviewer's own
        /// number for a new one.
        public var reference: String
        public var village: String
        public var lines: [Int]
        public var head: Person
        public var members: [Person]
        public var survey: Survey?
        /// FNV-1a 64 (hex) of the household's canonical content: equal fingerprints mean nothing changed.
        public var fingerprint: String
    }

    public struct Parsed: Sendable, Hashable {
        public var households: [Household]
        /// Accepted, but worth a look (CCCD numbers that disagree with the record …).
        public var warnings: [Issue]
    }

    /// Parses a whole file against the standard whose indicators its Phiếu B results use, on `today` (no date
    /// may be later).
    public static func parse(
        _ bytes: [UInt8], standard: StandardDescription, today: CivilDate
    ) -> Result<Parsed, Failure> {
        let records: [CSVReader.Record]
        switch CSVReader.read(bytes) {
        case .success(let read): records = read
        case .failure(let failure):
            return .failure(
                Failure(
                    issues: failure.problems.map {
                        Issue(line: $0.line, column: $0.column, field: nil, message: $0.message)
                    }))
        }
        var issues: [Issue] = []
        var warnings: [Issue] = []
        guard let header = records.first else {
            return .failure(Failure(issues: [Issue(line: 1, column: 1, field: nil, message: "the file is empty")]))
        }
        // The header.
        var columns: [Column: Int] = [:]
        for field in header.fields {
            let name = field.value.trimmingCharacters(in: .whitespaces).lowercased()
            guard let column = Column(rawValue: name) else {
                issues.append(
                    Issue(
                        line: field.line, column: field.column, field: nil,
                        message: "unknown column \"\(field.value)\"; known: "
                            + Column.allCases.map(\.rawValue).joined(separator: ", ")))
                continue
            }
            if columns[column] != nil {
                issues.append(Issue(line: field.line, column: field.column, field: name, message: "column repeated"))
            }
            columns[column] = field.column
        }
        for column in Column.required where columns[column] == nil {
            issues.append(
                Issue(line: header.line, column: 1, field: column.rawValue, message: "required column is missing"))
        }
        guard issues.isEmpty else { return .failure(Failure(issues: issues)) }
        guard records.count > 1 else {
            return .failure(Failure(issues: [Issue(line: header.line, column: 1, field: nil, message: "no rows")]))
        }

        // The rows.
        var rows: [Row] = []
        for record in records.dropFirst() {
            var row = Row(record: record, columns: columns, headerCount: header.fields.count)
            row.read(standard: standard, today: today)
            issues += row.issues
            warnings += row.warnings
            rows.append(row)
        }

        // Households: group rows by key, in order of first appearance.
        var order: [String] = []
        var grouped: [String: [Row]] = [:]
        for row in rows {
            guard let key = row.householdKey else { continue }
            if grouped[key] == nil { order.append(key) }
            grouped[key, default: []].append(row)
        }
        var households: [Household] = []
        var personKeys: [String: Int] = [:]
        var idNumbers: [String: Int] = [:]
        for key in order {
            let group = grouped[key] ?? []
            guard let first = group.first else { continue }
            let heads = group.filter { $0.relation == .head }
            // A row whose relation could not be read may be the missing head: its own issue says enough.
            if heads.count != 1, group.allSatisfy({ $0.relation != nil }) {
                let row = heads.count > 1 ? heads[1] : first
                issues.append(
                    row.issue(
                        .relation,
                        "household \(first.reference) has \(heads.count) heads (chủ hộ); it needs exactly one"))
            }
            for row in group where row.village != nil && first.village != nil {
                if let village = row.village, let firstVillage = first.village,
                    NameFolding.fold(village) != NameFolding.fold(firstVillage)
                {
                    issues.append(
                        row.issue(.village, "household \(first.reference) is in \(firstVillage) on line \(first.line)"))
                }
            }
            for row in group {
                if let personKey = row.personKey {
                    if let earlier = personKeys[personKey] {
                        issues.append(row.issue(.name, "the same person as on line \(earlier)"))
                    } else {
                        personKeys[personKey] = row.line
                    }
                }
                if let id = row.idNumber?.digits {
                    if let earlier = idNumbers[id] {
                        issues.append(row.issue(.idNumber, "the same CCCD number as on line \(earlier)"))
                    } else {
                        idNumbers[id] = row.line
                    }
                }
                if row.relation != .head, row.hasSurvey {
                    issues.append(
                        row.issue(row.firstSurveyColumn ?? .phieuA, "Phiếu A/B figures go on the head's row only"))
                }
            }
            guard heads.count == 1, let head = heads.first, let headPerson = head.person,
                let village = first.village, let commune = first.commune
            else { continue }
            let members = group.filter { $0.relation != .head }.compactMap(\.person)
            guard members.count == group.count - 1 else { continue }
            var household = Household(
                key: key, commune: commune, reference: first.reference, village: village, lines: group.map(\.line),
                head: headPerson, members: members, survey: head.survey, fingerprint: "")
            household.fingerprint = fingerprint(of: household)
            households.append(household)
        }
        guard issues.isEmpty else {
            return .failure(Failure(issues: issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) }))
        }
        return .success(Parsed(households: households, warnings: warnings))
    }

    /// FNV-1a, 64 bits, over the canonical text of everything the household's rows say (not their lines), so
    /// that reordering rows or re-saving the sheet changes nothing.
    static func fingerprint(of household: Household) -> String {
        var text = "\(household.key)|\(NameFolding.fold(household.village))"
        for person in [household.head] + household.members.sorted(by: { $0.key < $1.key }) {
            let p = person.profile
            text += "|\(person.key)|\(person.name)|\(person.gender.rawValue)|\(person.birth)"
            text += "|\(p.idNumber?.digits ?? "")|\(p.ethnicity?.codeText ?? "")|\(p.disability?.rawValue ?? "")"
            text += "|\(p.socialAllowance)|\(p.merit)|\(p.relation.code)"
        }
        if let survey = household.survey {
            text += "|\(survey.figures.summary)|\(survey.surveyedOn)|\(survey.reviewer ?? "")"
        }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
