import CaseLineDomain
import Foundation

/// The members file of `import lists --members` (Tools/samples/history-lists.md, "The members file"): one row
/// per member other than the head, naming its household by the lists file's unit and key.
extension HistoryImporter {
    /// The members file, as read from disk.
    public struct MembersFile: Sendable {
        public var bytes: [UInt8]
        /// The file's name, for messages and the audit trail.
        public var source: String

        public init(bytes: [UInt8], source: String) {
            self.bytes = bytes
            self.source = source
        }
    }

    enum MemberColumn: String, CaseIterable, HistoryColumn {
        case unit, household, name, gender, birth, relation
        case idNumber = "id_number"
        case ethnicity, disability
        case socialAllowance = "social_allowance"
        case merit

        static let required: [MemberColumn] = [.unit, .household, .name, .gender, .birth, .relation]
    }

    /// One member row: the household's key (`unit/household`, as the lists file's rows make it) and the member.
    struct MemberRow {
        var line: Int
        /// The unit as stored (`legacy:CODE`) and the household's key within it.
        var unit: String
        var household: String
        var member: HouseholdMember
        /// The `household` and `id_number` cells' columns, for a household the lists lack and a number found
        /// twice.
        var householdColumn: Int
        var idColumn: Int
        var key: String { "\(unit)/\(household)" }
    }

    /// Every member row of the file, or the problems of the file by line and column.
    static func parseMembers(_ bytes: [UInt8], units: UnitDirectory, today: CivilDate) -> (
        rows: [MemberRow], issues: [SurveyImport.Issue]
    ) {
        let table: HistoryTable<MemberColumn>
        switch HistoryTable<MemberColumn>.read(bytes) {
        case .success(let read): table = read
        case .failure(let failure): return ([], failure.issues)
        }
        var rows: [MemberRow] = []
        var issues: [SurveyImport.Issue] = []
        for record in table.records {
            var row = table.row(record)
            let unitText = row.required(.unit)
            var unit: AdminUnit?
            if !unitText.isEmpty {
                if let ref = UnitRef(wire: unitText), let found = units.unit(ref), found.level == .commune {
                    unit = found
                } else {
                    row.fail(.unit, "\(unitText) is not a commune-level unit (CODE or legacy:CODE)")
                }
            }
            let household = row.required(.household)
            let name = row.required(.name)
            if name.count > 100 { row.fail(.name, "a name has at most 100 characters") }
            let gender = row.gender(.gender)
            let birth = row.date(.birth, today: today)
            let relation = row.required(.relation)
            if !relation.isEmpty {
                switch RelationToHead.parse(relation) {
                case nil:
                    row.fail(
                        .relation,
                        "relation \(relation) is not one the forms use (vợ, chồng, con, cháu, bố, mẹ, anh, chị, em …, "
                            + "or other: …)")
                case .head?:
                    row.fail(.relation, "the head is the lists file's head column: list only the other members")
                default:
                    if relation.count > 50 { row.fail(.relation, "a relation has at most 50 characters") }
                }
            }
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
            var disability: DisabilityLevel?
            if let text = row.cell(.disability) {
                disability = DisabilityLevel(rawValue: text.lowercased()) ?? DisabilityLevel.parse(text)
                if disability == nil {
                    row.fail(.disability, "disability is mild, severe or extremely-severe (nhẹ, nặng, đặc biệt nặng)")
                }
            }
            let socialAllowance = row.flag(.socialAllowance)
            let merit = row.flag(.merit)
            issues += row.issues
            guard row.issues.isEmpty, let unit, let birth else { continue }
            rows.append(
                MemberRow(
                    line: record.line, unit: unit.ref.description, household: household,
                    member: HouseholdMember(
                        household: "", name: name, gender: gender, birth: birth.description, relation: relation,
                        idNumber: idNumber, ethnicity: ethnicity, disability: disability,
                        socialAllowance: socialAllowance, merit: merit),
                    householdColumn: row.column(.household), idColumn: row.column(.idNumber)))
        }
        return (rows, issues)
    }

    /// What a re-run compares of a household's members: each in file order (the order they are created in).
    static func membersFingerprint(_ members: [HouseholdMember]) -> String {
        members.map {
            [
                $0.name, $0.gender.rawValue, $0.birth, $0.relation, $0.idNumber ?? "", $0.ethnicity ?? "",
                $0.disability?.rawValue ?? "", $0.socialAllowance ? "1" : "0", $0.merit ? "1" : "0",
            ].joined(separator: "|")
        }.joined(separator: "\n")
    }
}
