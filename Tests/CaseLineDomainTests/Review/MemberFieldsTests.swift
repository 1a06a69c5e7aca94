import CaseLineDomain
import Foundation
import Testing

@Suite struct CitizenIDTests {
    static let today = CivilDate(year: 2026, month: 11, day: 24) ?? CivilDate(dayNumber: 0)

    @Test(arguments: [
        ("001089012345", "001", Gender.male, 1989), ("006168001234", "006", .female, 1968),
        ("019205000123", "019", .male, 2005), ("019310000123", "019", .female, 2010),
        ("096100000001", "096", .female, 1900),
    ])
    func theNumberEncodesProvinceGenderAndYear(_ row: (String, String, Gender, Int)) throws {
        let id = try #require(CitizenID(row.0))
        #expect(id.provinceCode == row.1)
        #expect(id.gender == row.2)
        #expect(id.birthYear == row.3)
        let (checked, warnings) = try CitizenID.check(row.0, gender: row.2, birth: nil, today: Self.today).get()
        #expect(checked == id && warnings.isEmpty)
    }

    @Test(arguments: [
        "", "00108901234", "0010890123456", "00108901234a", "001 89012345", "００１０８９０１２３４５", "001489012345",
        "001989012345",
    ])
    func malformedNumbersAreRefused(_ text: String) {
        #expect(CitizenID(text) == nil, "\(text)")
        #expect(throws: DomainError.self) {
            try CitizenID.check(text, gender: nil, birth: nil, today: Self.today).get()
        }
    }

    @Test func aBirthInTheFutureIsRefused() {
        #expect(CitizenID("019399000001") != nil, "well formed")
        #expect(throws: DomainError.self) {
            try CitizenID.check("019399000001", gender: nil, birth: nil, today: Self.today).get()
        }
    }

    @Test func disagreementsAreWarningsNotRefusals() throws {
        let birth = try #require(CivilDate("1987-03-02"))
        let (_, warnings) = try CitizenID.check("099189012345", gender: .male, birth: birth, today: Self.today).get()
        #expect(
            warnings == [
                .unknownProvince("099"), .genderDiffers(number: .female, record: .male),
                .birthYearDiffers(number: 1989, record: 1987),
            ])
        #expect(warnings[0].description.contains("099"))
    }

    @Test func maskingAndCodable() throws {
        let id = try #require(CitizenID("006068001234"))
        #expect(id.masked == "••••••••1234")
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == #"["006068001234"]"#)
        #expect(try JSONDecoder().decode([CitizenID].self, from: data) == [id])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CitizenID].self, from: Data(#"["12"]"#.utf8)) }
        #expect(CitizenID.provinceCodes.count == 63)
    }
}

@Suite struct EthnicGroupTests {
    @Test func theListOfQD121HasFiftyFourGroupsInOrder() {
        #expect(EthnicGroup.all.count == 54)
        #expect(EthnicGroup.all.map(\.code) == Array(1...54))
        #expect(Set(EthnicGroup.all.map(\.name)).count == 54)
        let expected = [
            "Kinh", "Tày", "Thái", "Hoa", "Khơ-me", "Mường", "Nùng", "Mông", "Dao", "Gia-rai", "Ngái", "Ê-đê", "Ba-na",
            "Xơ-đăng", "Sán Chay", "Cơ-ho", "Chăm", "Sán Dìu", "Hrê", "Mnông", "Ra-glai", "Xtiêng", "Bru-Vân Kiều",
            "Thổ", "Giáy", "Cơ-tu", "Giẻ-Triêng", "Mạ", "Khơ-mú", "Co", "Tà-ôi", "Chơ-ro", "Kháng", "Xinh-mun",
            "Hà Nhì", "Chu-ru", "Lào", "La Chí", "La Ha", "Phù Lá", "La Hủ", "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn",
            "Cơ Lao", "Cống", "Bố Y", "Si La", "Pu Péo", "Brâu", "Ơ Đu", "Rơ-măm",
        ]
        #expect(EthnicGroup.all.map(\.name) == expected)
        #expect(EthnicGroup.code(1)?.isMinority == false)
        #expect(EthnicGroup.code(2)?.isMinority == true)
        #expect(EthnicGroup.code(0) == nil && EthnicGroup.code(55) == nil)
    }

    @Test(arguments: [
        ("Tày", 2), ("tay", 2), ("02", 2), ("2", 2), ("Khmer", 5), ("khơ me", 5), ("H'Mông", 8), ("Mèo", 8),
        ("HMông", 8), ("Jrai", 10), ("Ê Đê", 12), ("Ba Na", 13), ("Xơ Đăng", 14), ("K'Ho", 16), ("Raglai", 21),
        ("X'Tiêng", 22), ("Vân Kiều", 23), ("Gié Triêng", 27), ("Khơ Mú", 29), ("Tà Ôi", 31), ("Cờ Lao", 47),
        ("Ơ Đu", 53), ("Rơ Măm", 54), ("54", 54), ("Việt", 1),
    ])
    func namesAndCodesPeopleType(_ row: (String, Int)) {
        #expect(EthnicGroup.lookup(row.0)?.code == row.1, "\(row.0)")
    }

    @Test(arguments: ["", "Kinh Kinh", "55", "00", "123", "Tay Nguyen", "Pháp"])
    func unknownEntries(_ text: String) {
        #expect(EthnicGroup.lookup(text) == nil, "\(text)")
    }

    @Test func codableAsTheTwoDigitCode() throws {
        let groups = [EthnicGroup.code(2), EthnicGroup.code(53)].compactMap { $0 }
        let data = try JSONEncoder().encode(groups)
        #expect(String(decoding: data, as: UTF8.self) == #"["02","53"]"#)
        #expect(try JSONDecoder().decode([EthnicGroup].self, from: data) == groups)
    }
}

@Suite struct RelationAndProfileTests {
    @Test(arguments: [
        ("chủ hộ", RelationToHead.head), ("Chủ hộ", .head), ("head", .head), ("vợ", .spouse), ("Chồng", .spouse),
        ("vợ/chồng", .spouse), ("vợ / chồng", .spouse), ("con", .child), ("con gái", .child), ("con nuôi", .child),
        ("con dâu", .childInLaw), ("con rể", .childInLaw), ("cháu nội", .grandchild), ("cháu", .grandchild),
        ("mẹ", .parent), ("bố đẻ", .parent), ("mẹ chồng", .parentInLaw), ("bà ngoại", .grandparent),
        ("em trai", .sibling), ("anh/chị/em", .sibling), ("child-in-law", .childInLaw),
        ("other:cháu họ", .other("cháu họ")), ("khác: người ở nhờ", .other("người ở nhờ")),
    ])
    func relationsAsPeopleWriteThem(_ row: (String, RelationToHead)) {
        #expect(RelationToHead.parse(row.0) == row.1, "\(row.0)")
    }

    @Test(arguments: ["", "hàng xóm", "other:", "khác:  "])
    func unknownRelations(_ text: String) {
        #expect(RelationToHead.parse(text) == nil, "\(text)")
    }

    @Test func everyListedRelationRoundTrips() throws {
        for relation in RelationToHead.listed + [.other("cháu họ")] {
            #expect(RelationToHead.parse(relation.code) == relation)
            #expect(RelationToHead.parse(relation.label) == relation || relation == .other("cháu họ"))
            let data = try JSONEncoder().encode([relation])
            #expect(try JSONDecoder().decode([RelationToHead].self, from: data) == [relation])
        }
    }

    @Test func disabilityLevelsAndTheProfile() throws {
        #expect(DisabilityLevel.parse("nặng") == .severe)
        #expect(DisabilityLevel.parse("Đặc biệt nặng") == .extremelySevere)
        #expect(DisabilityLevel.parse("mild") == .mild)
        #expect(DisabilityLevel.parse("vừa") == nil)
        let profile = MemberProfile(
            idNumber: CitizenID("006068001234"), ethnicity: EthnicGroup.lookup("Tày"), disability: .mild,
            socialAllowance: true, merit: false, relation: .grandparent)
        let data = try JSONEncoder().encode(profile)
        #expect(try JSONDecoder().decode(MemberProfile.self, from: data) == profile)
        #expect(MemberProfile.identityKeys == ["id-number"])
    }
}
