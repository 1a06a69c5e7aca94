import CaseLineDomain
import Foundation
import Testing

@Suite struct CSVReaderTests {
    static func read(_ text: String, separator: UInt8? = nil) -> Result<[CSVReader.Record], CSVReader.Failure> {
        CSVReader.read(Array(text.utf8), separator: separator)
    }

    @Test func quotingLineBreaksAndLineNumbers() throws {
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n\r\nlast,,\n"
        let records = try Self.read(text).get()
        #expect(records.map(\.values) == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["last", "", ""]])
        #expect(records.map(\.line) == [1, 2, 5], "the quoted line break moves the next record's line")
        #expect(records[1].fields.map(\.column) == [1, 2, 3])
    }

    @Test func aByteOrderMarkAndSemicolonsAreUnderstood() throws {
        let text = "\u{FEFF}tên;thôn\nMinh;\"Nà Hin; tổ 2\"\n"
        #expect(CSVReader.detectSeparator(Array(text.utf8)) == UInt8(ascii: ";"))
        let records = try Self.read(text).get()
        #expect(records.map(\.values) == [["tên", "thôn"], ["Minh", "Nà Hin; tổ 2"]])
    }

    @Test func textComesOutComposed() throws {
        let decomposed = "Nguye\u{0302}\u{0303}n,Thua\u{0323}\u{0302}n\n"
        let records = try Self.read(decomposed).get()
        #expect(records[0].values == ["Nguyễn", "Thuận"])
        #expect(records[0].values[0].unicodeScalars.count == 6)
    }

    @Test func everyProblemIsNamedByLineAndColumn() {
        let text = "a,b\nx\"y,z\n\"p\"q,r\nok,ok\n\"never closed,\n"
        guard case .failure(let failure) = Self.read(text) else {
            Issue.record("should fail")
            return
        }
        #expect(
            failure.problems.map { "\($0.line):\($0.column)" } == ["2:1", "3:1", "5:1"],
            "\(failure.problems)")
        var invalid = Array("a,b\nok,".utf8)
        invalid += [0xC3, 0x28, 0x0A]
        guard case .failure(let utf8) = CSVReader.read(invalid) else {
            Issue.record("should fail")
            return
        }
        #expect(utf8.problems.map { "\($0.line):\($0.column)" } == ["2:2"])
        #expect(utf8.problems.first?.message == "not valid UTF-8")
    }
}

@Suite struct SurveyImportTests {
    static let today = CivilDate(year: 2026, month: 11, day: 24) ?? CivilDate(dayNumber: 0)

    static var sample: [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
                "Tools/samples/survey-import.csv")
        return (try? Array(Data(contentsOf: url))) ?? []
    }

    static func parse(_ bytes: [UInt8], _ standard: StandardDescription = .nd351) -> Result<
        SurveyImport.Parsed, SurveyImport.Failure
    > {
        SurveyImport.parse(bytes, standard: standard, today: today)
    }

    static func parse(_ text: String, _ standard: StandardDescription = .nd351) -> Result<
        SurveyImport.Parsed, SurveyImport.Failure
    > {
        parse(Array(text.utf8), standard)
    }

    @Test func theSampleFileLoads() throws {
        #expect(!Self.sample.isEmpty, "Tools/samples/survey-import.csv is readable")
        let result = try Self.parse(Self.sample).get()
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        #expect(
            result.households.map(\.key) == ["02014/NH-01", "02014/NH-02", "02014/KC-01", "02014/KC-02", "02014/NP-01"])
        #expect(result.households.map { $0.members.count + 1 } == [4, 2, 4, 2, 3])
        let minh = try #require(result.households.first)
        #expect(minh.head.name == "Hoàng Văn Minh" && minh.head.profile.relation == .head)
        #expect(minh.head.profile.idNumber?.digits == "006068001234")
        #expect(minh.head.profile.ethnicity?.code == 2)
        #expect(minh.members.last?.birth == CivilDate(year: 2012, month: 6, day: 15), "DD/MM/YYYY")
        #expect(minh.lines == [2, 3, 4, 5])
        let survey = try #require(minh.survey)
        #expect(
            survey.figures
                == SurveyFigures(
                    phieuA: .phieuB, scoreA: 118, scoreB: 30,
                    deprived: ["housing-quality", "latrine", "digital-services"],
                    livelihoods: [.agriculture]))
        #expect(survey.surveyedOn == CivilDate(year: 2026, month: 9, day: 15) && survey.reviewer == "an")
        let son = result.households[2]
        #expect(
            son.survey?.figures.deprived == ["housing-quality", "housing-area", "drinking-water", "household-waste"])
        #expect(son.survey?.figures.livelihoods == [.agriculture, .forestry])
        #expect(son.members.last?.profile.relation == .other("cháu họ, ở nhờ"))
        #expect(son.members.last?.profile.disability == .mild && son.members.last?.profile.socialAllowance == true)
        #expect(result.households[3].survey?.figures.phieuA == .excluded)
        #expect(result.households[3].head.profile.merit)
        #expect(result.households[4].survey?.figures.income == 2_400_000)
        // Classified with the review's standard, every household gets a class.
        for household in result.households {
            if let figures = household.survey?.figures {
                #expect(throws: Never.self) {
                    try Classifier.classify(figures, area: .rural, standard: .nd351).get()
                }
            }
        }
        #expect(Set(result.households.map(\.fingerprint)).count == 5)
        #expect(result.households.allSatisfy { $0.fingerprint.count == 16 })
    }

    @Test func theSameContentHasTheSameKeysAndFingerprints() throws {
        let plain = try Self.parse(Self.sample).get()
        var text = String(decoding: Self.sample, as: UTF8.self)
        // With a BOM, CRLF line ends, decomposed letters and rows in another order: nothing changed.
        var lines = text.split(separator: "\n").map(String.init)
        let header = lines.removeFirst()
        lines.reverse()
        text = "\u{FEFF}" + ([header] + lines).joined(separator: "\r\n") + "\r\n"
        text = text.decomposedStringWithCanonicalMapping
        let shuffled = try Self.parse(text).get()
        let before: [String: String] = Dictionary(
            uniqueKeysWithValues: plain.households.map { ($0.key, $0.fingerprint) })
        let reordered: [String: String] = Dictionary(
            uniqueKeysWithValues: shuffled.households.map { ($0.key, $0.fingerprint) })
        #expect(reordered == before)
        func personKeys(_ result: SurveyImport.Parsed) -> Set<String> {
            var keys: Set<String> = []
            for household in result.households {
                keys.insert(household.head.key)
                for member in household.members { keys.insert(member.key) }
            }
            return keys
        }
        #expect(personKeys(shuffled) == personKeys(plain))
        // One changed cell changes that household's fingerprint only.
        let changed = String(decoding: Self.sample, as: UTF8.self).replacingOccurrences(
            of: ",132,10,", with: ",131,10,")
        let after = try Self.parse(changed).get()
        let differing = zip(plain.households, after.households).filter { $0.fingerprint != $1.fingerprint }.map(\.0.key)
        #expect(differing == ["02014/NH-02"])
    }

    @Test func aSemicolonSheetLoadsToo() throws {
        let text = """
            commune;household;village;relation;name;gender;birth;deprived;score_a;surveyed_on
            02014;X-1;Thôn Nà Hin;chủ hộ;Đinh Văn Tâm;nam;1990-01-01;latrine,telecom;100;2026-09-20
            """
        let result = try Self.parse(text, .nd07).get()
        #expect(result.households.first?.survey?.figures.deprived == ["latrine", "telecom"])
    }

    @Test func everyErrorIsNamedByLineAndColumn() {
        let text = """
            commune,household,village,relation,name,gender,birth,id_number,ethnicity,deprived,score_a,score_b,surveyed_on
            2014,A,Thôn Nà Hin,chủ hộ,Minh,nam,1968-04-12,,Tày,,,,
            02014,B,Thôn Nà Hin,chủ hộ,Lan,x,1968-13-12,12345,Pháp,sanitation,100,,2026-09-01
            02014,B,Thôn Nà Hin,con,Tùng,nam,2010-01-05,,,,,,
            02014,C,Thôn Nà Hin,vợ,Hoa,nữ,1971-08-03,006171002345,,,,,
            02014,D,Thôn Nà Hin,chủ hộ,Sơn,nam,1975-05-05,006075005678,,latrine,100,20,2026-09-01
            02014,D,Thôn Nà Hin,chủ hộ,Páo,nam,1976-05-05,006075005678,,,,,
            02014,E,Thôn Nà Hin,chủ hộ,Ly,nữ,1980-01-01,,,latrine,,,2026-09-01
            02014,F,Thôn Nà Hin,hàng xóm,Kim,nữ,2030-01-01,,,,,,
            02014,G,Thôn Nà Hin,chủ hộ,Mai,nữ,1990-01-01,,,,,
            """
        guard case .failure(let failure) = Self.parse(text) else {
            Issue.record("should fail")
            return
        }
        let found = failure.issues.map { "\($0.line):\($0.column):\($0.field ?? "-")" }
        #expect(
            found == [
                "2:1:commune",
                "3:6:gender", "3:7:birth", "3:8:id_number", "3:9:ethnicity", "3:10:deprived",
                "5:4:relation",
                "6:12:score_b",
                "7:4:relation", "7:8:id_number",
                "8:11:score_a",
                "9:4:relation", "9:7:birth",
                "10:13:-",
            ], "\(failure.description)")
        #expect(failure.domainError.code == .invalid)
        #expect(failure.domainError.details.first?.1 == "\(failure.issues.count)")
        #expect(failure.issues[0].description.hasPrefix("line 2, column 1 (commune): "))
    }

    @Test func headerProblemsStopBeforeTheRows() {
        for (text, expected) in [
            ("commune,household,village,relation,name,gender,birth,colour\n", ["1:8"]),
            ("commune,household,village,relation,name,gender\n", ["1:1"]),
            ("commune,household,village,relation,name,gender,birth,name\n", ["1:8"]),
            ("commune,household,village,relation,name,gender,birth\n", ["1:1"]),
            ("", ["1:1"]),
        ] {
            guard case .failure(let failure) = Self.parse(text) else {
                Issue.record("\(text) should fail")
                continue
            }
            #expect(failure.issues.map { "\($0.line):\($0.column)" } == expected, "\(text): \(failure)")
        }
    }

    @Test func surveyFiguresOnAMembersRowAndAmbiguousFigures() {
        let text = """
            commune,household,village,relation,name,gender,birth,phieu_a,score_a,score_b,deprived,income,surveyed_on
            02014,A,Thôn Nà Hin,chủ hộ,Minh,nam,1968-04-12,excluded,100,,,,2026-09-01
            02014,A,Thôn Nà Hin,vợ,Hoa,nữ,1971-08-03,,90,,,,
            02014,B,Thôn Nà Hin,chủ hộ,Lan,nữ,1958-11-30,phieu-b,,,,"1,500,000",2026-09-01
            02014,C,Thôn Nà Hin,chủ hộ,Tâm,nam,1990-01-01,maybe,,,,,2026-12-01
            """
        guard case .failure(let failure) = Self.parse(text) else {
            Issue.record("should fail")
            return
        }
        #expect(
            failure.issues.map { "\($0.line):\($0.field ?? "-")" } == [
                "2:phieu_a", "3:score_a", "4:income", "5:phieu_a", "5:surveyed_on",
            ], "\(failure.description)")
    }

    @Test func cccdWarningsAreReportedNotRefused() throws {
        let text = """
            commune,household,village,relation,name,gender,birth,id_number
            02014,A,Thôn Nà Hin,chủ hộ,Minh,nữ,1967-04-12,099068001234
            """
        let result = try Self.parse(text).get()
        #expect(result.warnings.map { "\($0.line):\($0.column)" } == ["2:8", "2:8", "2:8"])
        #expect(result.households.first?.head.profile.idNumber?.digits == "099068001234")
    }
}
