import CaseLineDomain
import CaseLineStore
import Testing

/// Against the real units shipped with CaseLine.
@Suite struct UnitDirectoryTests {
    static let directory: UnitDirectory = {
        let (units, links) = try! UnitResource.bundled()
        return UnitDirectory(units: units, links: links)
    }()

    @Test func bothEditionsAreComplete() {
        let d = Self.directory
        #expect(
            d.list(.init(edition: .current, type: "province")).count
                + d.list(.init(edition: .current, type: "city")).count == 34)
        #expect(d.list(.init(edition: .current)).filter { $0.level == .commune }.count == 3321)
        #expect(d.list(.init(edition: .legacy)).filter { $0.level == .province }.count == 63)
        #expect(d.unit(UnitRef(.current, "19"))?.name == "Tỉnh Thái Nguyên")
        #expect(d.unit(UnitRef(.current, "19"))?.province == nil)
    }

    @Test func searchIgnoresDiacriticsAndRanksExactFirst() {
        let found = Self.directory.search("quang thuan", .init())
        #expect(found.first?.unit.name == "Xã Quang Thuận")
        #expect(found.first?.match == .exact)
        #expect(found.contains { $0.unit.name == "Phường Quảng Thuận" })
        let hoi = Self.directory.search("dong hoi", .init(edition: .current))
        #expect(hoi.map(\.unit.ref.code) == ["18880"])
        let prefix = Self.directory.search("bach th", .init(edition: .current))
        #expect(prefix.first?.unit.ref.code == "02014")
        #expect(prefix.first?.match == .prefix)
    }

    @Test func searchRanksCurrentBeforeLegacyAndProvincesBeforeCommunes() {
        let found = Self.directory.search("thai nguyen", .init())
        #expect(found.first?.unit.ref == UnitRef(.current, "19"))
        let exact = found.filter { $0.match == .exact }
        let firstLegacy = exact.firstIndex { $0.unit.ref.edition == .legacy } ?? exact.endIndex
        #expect(exact[..<firstLegacy].allSatisfy { $0.unit.ref.edition == .current })
    }

    @Test func lineageRunsBothWays() {
        let d = Self.directory
        let predecessors = d.lineage(UnitRef(.current, "02014")).map(\.legacyCode)
        #expect(predecessors == ["02014", "02017", "02059"])
        #expect(d.current(UnitRef(.legacy, "02017"))?.name == "Xã Bạch Thông")
        #expect(d.current(UnitRef(.legacy, "06"))?.ref.code == "19", "Bắc Kạn province went into Thái Nguyên")
    }

    @Test func scopesContainUnitsAndScopes() {
        let d = Self.directory
        #expect(d.scope(.province("19"), contains: UnitRef(.current, "02014")))
        #expect(d.scope(.province("19"), contains: UnitRef(.legacy, "02017")), "legacy units follow their successor")
        #expect(!d.scope(.province("44"), contains: UnitRef(.current, "02014")))
        #expect(d.scope(.commune("02014"), contains: UnitRef(.current, "02014")))
        #expect(!d.scope(.commune("02014"), contains: UnitRef(.current, "19")))
        #expect(d.scope(.province("19"), contains: Scope.commune("02014")))
        #expect(!d.scope(.province("19"), contains: Scope.national))
        #expect(!d.scope(.commune("02014"), contains: Scope.province("19")))
    }
}

@Suite struct UnitImportTests {
    static let header = "edition,code,type,name,short_name,parent,province,lat,lon,area_km2"

    @Test func aGoodFileLoads() throws {
        let csv = """
            \(Self.header)
            2025,90,province,Tỉnh Thử Nghiệm,Thử Nghiệm,,,,,
            2025,90001,commune,"Xã Một, Hai",Một Hai,90,90,21.5,105.2,12.5
            """
        let units = try UnitImport.parse(csv).get()
        #expect(units.count == 2)
        #expect(units[1].name == "Xã Một, Hai")
        #expect(units[1].latitude == 21.5)
    }

    @Test func everyBadRowIsReportedWithItsLine() throws {
        let csv = """
            \(Self.header)
            2025,90,province,Tỉnh Thử Nghiệm,Thử Nghiệm,,,,,
            2030,90002,commune,Xã A,A,90,90,,,
            2025,9000X,commune,Xã B,B,90,90,,,
            2025,90003,district,Xã C,C,90,90,,,
            2025,90004,commune,,D,90,90,,,
            2025,90005,commune,Xã E,E,91,91,,,
            2025,90006,commune,Xã F,F,90,90,abc,,
            2025,90,province,Tỉnh lặp,Lặp,,,,,
            2025,90007,commune,"Xã G,G,90,90,,,
            2025,90008,commune,Xã H
            """
        guard case .failure(let problems) = UnitImport.parse(csv) else {
            Issue.record("a bad file loaded")
            return
        }
        #expect(problems.list.map(\.line) == [3, 4, 5, 6, 7, 7, 8, 9, 10, 11])
        #expect(problems.list[0].reason.contains("edition"))
        #expect(problems.list.contains { $0.reason.contains("repeats line 2") })
    }

    @Test func aMissingColumnIsReportedOnce() {
        guard case .failure(let problems) = UnitImport.parse("edition,code,name\n2025,90,x\n") else {
            Issue.record("loaded")
            return
        }
        #expect(problems.list.count == 1)
        #expect(problems.list[0].reason.contains("type"))
    }
}
