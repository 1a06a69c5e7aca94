import CaseLineDomain
import Testing

@Suite struct NameFoldingTests {
    @Test(
        "folds case, tones, vowel marks and đ",
        arguments: [
            ("Quang Thuận", "quang thuan"), ("QUẢNG THUẬN", "quang thuan"), ("Đồng Hới", "dong hoi"),
            ("đồng   hới", "dong hoi"), ("Bắc-Kạn", "bac kan"), ("  Xã  Nà Phặc ", "xa na phac"),
            ("Thừa Thiên Huế", "thua thien hue"), ("ĐẮK LẮK", "dak lak"), ("Ngũ Hành Sơn", "ngu hanh son"),
        ])
    func folds(_ pair: (String, String)) {
        #expect(NameFolding.fold(pair.0) == pair.1)
    }

    @Test func decomposedInputFoldsLikeComposed() {
        let decomposed = "Quang Thua\u{0323}\u{0302}n"
        #expect(NameFolding.fold(decomposed) == "quang thuan")
    }

    @Test func significantCharacters() {
        #expect(NameFolding.significantCount(NameFolding.fold("đ")) == 1)
        #expect(NameFolding.significantCount(NameFolding.fold("- -")) == 0)
        #expect(NameFolding.significantCount(NameFolding.fold("Xã 1")) == 3)
    }
}

@Suite struct AssignmentStateTests {
    @Test func stateIsDerivedFromTheDay() {
        var assignment = Assignment(
            id: "AS-1", commune: "02014", login: "lan", role: .lead, from: "2026-11-24", decision: "45/QĐ-BCĐ",
            committee: "CM-1")
        #expect(assignment.state(on: "2026-11-23") == .scheduled)
        #expect(assignment.state(on: "2026-11-24") == .active)
        assignment.until = "2027-01-01"
        #expect(assignment.state(on: "2026-12-31") == .active)
        #expect(assignment.state(on: "2027-01-01") == .ended)
    }
}
