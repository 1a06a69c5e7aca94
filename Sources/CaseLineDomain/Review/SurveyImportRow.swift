import Foundation

extension SurveyImport {
    /// One person's row, read field by field; every problem is kept with its line and column.
    struct Row {
        let record: CSVReader.Record
        let columns: [Column: Int]
        let headerCount: Int
        var issues: [Issue] = []
        var warnings: [Issue] = []

        var commune: String?
        var reference = ""
        var village: String?
        var relation: RelationToHead?
        var name: String?
        var gender: Gender?
        var birth: CivilDate?
        var idNumber: CitizenID?
        var ethnicity: EthnicGroup?
        var disability: DisabilityLevel?
        var socialAllowance = false
        var merit = false
        var survey: Survey?
        var firstSurveyColumn: Column?

        init(record: CSVReader.Record, columns: [Column: Int], headerCount: Int) {
            self.record = record
            self.columns = columns
            self.headerCount = headerCount
        }

        var line: Int { record.line }
        var hasSurvey: Bool { firstSurveyColumn != nil }

        var householdKey: String? {
            guard let commune, !reference.isEmpty else { return nil }
            return "\(commune)/\(reference)"
        }

        var personKey: String? {
            guard let householdKey, let name, let birth else { return nil }
            return "\(householdKey)/\(NameFolding.fold(name))/\(birth)"
        }

        var person: Person? {
            guard let personKey, let name, let gender, let birth, let relation else { return nil }
            return Person(
                line: line, key: personKey, name: name, gender: gender, birth: birth,
                profile: MemberProfile(
                    idNumber: idNumber, ethnicity: ethnicity, disability: disability, socialAllowance: socialAllowance,
                    merit: merit, relation: relation))
        }

        /// The cell of a column, trimmed; empty when the column or the cell is absent.
        func value(_ column: Column) -> String {
            guard let index = columns[column], index <= record.fields.count else { return "" }
            return record.fields[index - 1].value.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func issue(_ column: Column, _ message: String) -> Issue {
            let index = columns[column] ?? 1
            let fieldLine = index <= record.fields.count ? record.fields[index - 1].line : line
            return Issue(line: fieldLine, column: index, field: column.rawValue, message: message)
        }

        mutating func fail(_ column: Column, _ message: String) { issues.append(issue(column, message)) }

        mutating func read(standard: StandardDescription, today: CivilDate) {
            if record.fields.count != headerCount {
                issues.append(
                    Issue(
                        line: line, column: min(record.fields.count, headerCount) + 1, field: nil,
                        message: "the row has \(record.fields.count) fields, the header \(headerCount)"))
            }
            readIdentity(today: today)
            readProfile(today: today)
            readSurvey(standard: standard, today: today)
        }

        mutating func readIdentity(today: CivilDate) {
            let communeText = value(.commune)
            if let unit = UnitRef(wire: communeText), unit.code.count == 5 {
                commune = unit.description
            } else {
                fail(.commune, "a commune is its 5-digit code (or legacy:CODE), not \"\(communeText)\"")
            }
            reference = value(.household)
            if reference.isEmpty || reference.contains("/") || reference.count > 40 {
                fail(.household, "a household key is 1–40 characters without \"/\"")
                reference = ""
            }
            let villageText = value(.village)
            if villageText.isEmpty { fail(.village, "the village is required") } else { village = villageText }
            let relationText = value(.relation)
            relation = RelationToHead.parse(relationText)
            if relation == nil {
                fail(
                    .relation,
                    "\"\(relationText)\" is not a relation; use one of "
                        + RelationToHead.listed.map(\.label).joined(separator: ", ") + ", or other: <words>")
            }
            let nameText = value(.name)
            if nameText.isEmpty || nameText.count > 100 {
                fail(.name, "a name is 1–100 characters")
            } else {
                name = nameText
            }
            switch NameFolding.fold(value(.gender)) {
            case "nam", "male", "m": gender = .male
            case "nu", "female", "f": gender = .female
            default: fail(.gender, "gender is nam or nữ (male or female), not \"\(value(.gender))\"")
            }
            if let date = Self.date(value(.birth)), date <= today, date.year >= 1890 {
                birth = date
            } else {
                fail(.birth, "a birth date is YYYY-MM-DD or DD/MM/YYYY, not in the future: \"\(value(.birth))\"")
            }
        }

        mutating func readProfile(today: CivilDate) {
            let idText = value(.idNumber)
            if !idText.isEmpty {
                switch CitizenID.check(idText, gender: gender, birth: birth, today: today) {
                case .success(let (id, notes)):
                    idNumber = id
                    warnings += notes.map { issue(.idNumber, $0.description) }
                case .failure(let error):
                    fail(.idNumber, error.message)
                }
            }
            let ethnicText = value(.ethnicity)
            if !ethnicText.isEmpty {
                ethnicity = EthnicGroup.lookup(ethnicText)
                if ethnicity == nil {
                    fail(
                        .ethnicity,
                        "\"\(ethnicText)\" is not one of the 54 groups (name or code of \(EthnicGroup.codeList))")
                }
            }
            let disabilityText = value(.disability)
            if !disabilityText.isEmpty, !["0", "khong", "no"].contains(NameFolding.fold(disabilityText)) {
                disability = DisabilityLevel.parse(disabilityText)
                if disability == nil { fail(.disability, "disability is nhẹ, nặng or đặc biệt nặng (or empty)") }
            }
            for (column, isSet) in [(Column.socialAllowance, true), (.merit, false)] {
                guard let flag = Self.flag(value(column)) else {
                    fail(column, "write có or không (yes/no, 1/0), or leave empty")
                    continue
                }
                if isSet { socialAllowance = flag } else { merit = flag }
            }
        }

        mutating func readSurvey(standard: StandardDescription, today: CivilDate) {
            firstSurveyColumn = Column.survey.first { !value($0).isEmpty }
            // Figures on another person's row are reported once, by the household check.
            guard firstSurveyColumn != nil, relation == .head else { return }
            var figures = SurveyFigures()
            var ok = true
            switch NameFolding.fold(value(.phieuA)) {
            case "": break
            case "phieu b", "b", "qua", "dat": figures.phieuA = .phieuB
            case "excluded", "loai", "khong dat": figures.phieuA = .excluded
            default:
                fail(.phieuA, "Phiếu A is phieu-b (go on to Phiếu B) or excluded (loại)")
                ok = false
            }
            for (column, isA) in [(Column.scoreA, true), (.scoreB, false)] where !value(column).isEmpty {
                guard let number = Self.integer(value(column)), number <= 10_000 else {
                    fail(column, "a score is a whole number of points, not \"\(value(column))\"")
                    ok = false
                    continue
                }
                if isA { figures.scoreA = number } else { figures.scoreB = number }
            }
            var codes: [String] = []
            for part in Self.split(value(.deprived)) {
                let code = part.lowercased()
                if standard.indicator(code) == nil {
                    fail(.deprived, "\"\(part)\" is not an indicator of \(standard.id)")
                    ok = false
                } else if codes.contains(code) {
                    fail(.deprived, "\"\(part)\" is ticked twice")
                    ok = false
                } else {
                    codes.append(code)
                }
            }
            figures.deprived = codes
            if !value(.income).isEmpty {
                if let income = Self.amount(value(.income)) {
                    figures.income = income
                } else {
                    fail(.income, "income is whole VND (1500000 or 1.500.000), not \"\(value(.income))\"")
                    ok = false
                }
            }
            for part in Self.split(value(.livelihood), spaces: false) {
                if let livelihood = Livelihood.allCases.first(where: {
                    $0.rawValue == part.lowercased() || NameFolding.fold($0.label) == NameFolding.fold(part)
                }) {
                    if !figures.livelihoods.contains(livelihood) { figures.livelihoods.append(livelihood) }
                } else {
                    fail(.livelihood, "\"\(part)\" is not agriculture, forestry, fishery or salt")
                    ok = false
                }
            }
            figures.livelihoods.sort()
            let surveyed = Self.date(value(.surveyedOn))
            if surveyed == nil || surveyed.map({ $0 > today }) == true {
                fail(.surveyedOn, "the survey's date (YYYY-MM-DD, not in the future) is required with its figures")
                ok = false
            }
            let reviewer = value(.reviewer)
            guard ok, let surveyed else { return }
            if figures.phieuA == .excluded, figures.scoreA != nil || figures.scoreB != nil || !codes.isEmpty {
                fail(.phieuA, "Phiếu A excludes the household: leave its Phiếu B figures empty")
                return
            }
            if figures.phieuA != .excluded, figures.scoreA == nil, figures.income == nil {
                fail(.scoreA, "give score A (or the income)")
                return
            }
            if case .failure(let error) = Classifier.classify(figures, area: .rural, standard: standard) {
                fail(error.message.contains("score B") ? .scoreB : .scoreA, error.message)
                return
            }
            survey = Survey(figures: figures, surveyedOn: surveyed, reviewer: reviewer.isEmpty ? nil : reviewer)
        }

        // MARK: Cell formats

        /// `YYYY-MM-DD`, or `D/M/YYYY` as Vietnamese spreadsheets write dates.
        static func date(_ text: String) -> CivilDate? {
            if let date = CivilDate(text) { return date }
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[2].count == 4, (1...2).contains(parts[0].count),
                (1...2).contains(parts[1].count),
                parts.allSatisfy({ $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
                let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2])
            else { return nil }
            return CivilDate(year: year, month: month, day: day)
        }

        static func integer(_ text: String) -> Int? {
            guard !text.isEmpty, text.count <= 9, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
                return nil
            }
            return Int(text)
        }

        /// Whole VND: digits, or digits in groups of three separated by dots (`1.500.000`).
        static func amount(_ text: String) -> Int64? {
            let groups = text.split(separator: ".", omittingEmptySubsequences: false)
            guard let first = groups.first, !first.isEmpty, first.count <= 12,
                groups.dropFirst().allSatisfy({ $0.count == 3 }), groups.count == 1 || first.count <= 3,
                groups.allSatisfy({ $0.utf8.allSatisfy { (0x30...0x39).contains($0) } })
            else { return nil }
            return Int64(groups.joined())
        }

        /// Yes / no, in Vietnamese or English; nil for anything else.
        static func flag(_ text: String) -> Bool? {
            switch NameFolding.fold(text) {
            case "", "0", "khong", "no", "false", "k": false
            case "1", "co", "yes", "true", "x": true
            default: nil
            }
        }

        /// A list cell: items separated by semicolons, commas or (for codes) spaces.
        static func split(_ text: String, spaces: Bool = true) -> [String] {
            text.split(whereSeparator: { $0 == ";" || $0 == "," || (spaces && $0 == " ") })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }
}
