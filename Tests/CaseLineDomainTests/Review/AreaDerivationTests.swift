import CaseLineDomain
import Testing

@Suite struct AreaDerivationTests {
    @Test(arguments: [("commune", SettlementArea.rural), ("ward", .urban), ("township", .urban)])
    func theUnitTypeDecides(_ pair: (String, SettlementArea)) throws {
        let derived = try AreaDerivation.derive(unitType: pair.0, unitCode: "02014").get()
        #expect(derived.area == pair.1)
        #expect(derived.source == .unitType(pair.0))
    }

    @Test(arguments: ["province", "city", "district", "town", "district-city", "urban-district", ""])
    func unitsThatHoldNoHouseholdsAreRefused(_ type: String) {
        #expect(throws: DomainError.self) { try AreaDerivation.derive(unitType: type, unitCode: "19").get() }
    }

    @Test func specialZonesComeFromConfiguration() throws {
        #expect(throws: DomainError.self) {
            try AreaDerivation.derive(unitType: "special-zone", unitCode: "22591").get()
        }
        let configuration = AreaDerivation.Configuration(specialZones: ["22591": .urban], specialZoneDefault: .rural)
        let listed = try AreaDerivation.derive(
            unitType: "special-zone", unitCode: "22591", configuration: configuration
        )
        .get()
        #expect(listed.area == .urban && listed.source == .specialZone(code: "22591"))
        let other = try AreaDerivation.derive(unitType: "special-zone", unitCode: "31000", configuration: configuration)
            .get()
        #expect(other.area == .rural)
    }

    @Test func anOverrideWinsAndMustSayWhoWhyAndOnWhatAuthority() throws {
        let day = try #require(CivilDate("2026-09-03"))
        let override = AreaOverride(
            area: .rural, by: "thuy", on: day, reference: "QĐ 12/QĐ-UBND", reason: "thôn nông nghiệp của phường")
        let derived = try AreaDerivation.derive(unitType: "ward", unitCode: "01234", override: override).get()
        #expect(derived.area == .rural)
        #expect(derived.explanation.contains("override by thuy"))
        for broken in [
            AreaOverride(area: .rural, by: " ", on: day, reference: "QĐ 12", reason: "x"),
            AreaOverride(area: .rural, by: "thuy", on: day, reference: "", reason: "x"),
            AreaOverride(area: .rural, by: "thuy", on: day, reference: "QĐ 12", reason: ""),
        ] {
            let result = AreaDerivation.derive(unitType: "ward", unitCode: "01234", override: broken)
            #expect(throws: DomainError.self) { try result.get() }
        }
    }
}
