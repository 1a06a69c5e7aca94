import CaseLineDomain
import CaseLineServer
import CaseLineStore
import Foundation

extension DemoData {
    /// The former Huyện Bạch Thông (legacy:063, Bắc Kạn, now in Thái Nguyên) as a province would bring it in:
    /// the decided lists of 2022–2025 of its communes, imported through the same path as
    /// `caseline-server import lists`, so that `REVIEW FLOWS district=legacy:063 from=2022 to=2025` tells a
    /// four-year story — fewer poor each year, some escaping only to near-poor, a few falling back. Names are
    /// invented; the figures are generated, shaped like the province's reports.
    static func seedHistory(_ store: any Store, settings: Settings) async throws {
        let loaded = try await store.units()
        let units = UnitDirectory(units: loaded.units, links: loaded.links)
        // Quang Thuận (legacy:02017) is left out: its successor Bạch Thông keeps the demo's own register.
        let communes = units.list(UnitDirectory.Filter(edition: .legacy, province: UnitRef(.legacy, "06")))
            .filter { $0.level == .commune && $0.parent == "063" && $0.ref.code != "02017" }
        guard !communes.isEmpty else { return }
        var rows = [
            "unit,successor,household,village,head,gender,birth,ethnicity,persons,list_year,class,decision,decision_date"
        ]
        let surnames = ["Hoàng", "Nông", "Lý", "Triệu", "Lục", "Ma", "Đàm", "Hà"]
        let given = ["Văn Páo", "Thị Mai", "Văn Tằng", "Thị Hoa", "Văn Khánh", "Thị Lan", "Văn Sình", "Thị Nhung"]
        let groups = ["Tày", "Dao", "Nùng", "Kinh", "H'Mông"]
        for i in 0..<480 {
            let commune = communes[i % communes.count]
            let successor = units.lineage(commune.ref).first(where: \.primary)?.currentCode ?? ""
            let name = "\(surnames[i % surnames.count]) \(given[(i / 8) % given.count])"
            // The path of household i through the four lists.
            // A fixed pseudo-random draw per household, so the totals are uneven, as real ones are.
            let draw = (i * 7_919 + (i * i) % 97) % 100
            let path: [String]
            switch draw / 8 {
            case 0, 1: path = ["poor", "poor", "poor", "poor"]
            case 2: path = ["poor", "poor", "near-poor", "none"]
            case 3: path = ["poor", "near-poor", "near-poor", "none"]
            case 4: path = ["near-poor", "near-poor", "none", "none"]
            case 5: path = ["near-poor", "none", "none", "near-poor"]
            case 6: path = ["near-poor", "poor", "poor", "near-poor"]
            case 7: path = ["none", "near-poor", "none", "none"]
            case 8: path = ["poor", "near-poor", "none", "none"]
            case 9: path = ["none", "none", "poor", "near-poor"]
            default: path = ["none", "none", "none", "none"]
            }
            let index = communes.firstIndex { $0.ref == commune.ref } ?? 0
            for (offset, year) in (2022...2025).enumerated() {
                rows.append(
                    [
                        commune.ref.description, successor, "BT-\(i)", "Thôn \(i % 9 + 1)", name,
                        given[(i / 8) % given.count].hasPrefix("Thị") ? "nữ" : "nam",
                        "19\(50 + i % 40)-0\(i % 9 + 1)-1\(i % 9)", groups[i % groups.count], "\(i % 6 + 1)", "\(year)",
                        path[offset], "\(60 + index)/QĐ-UBND", "\(year - 1)-12-2\(index % 8)",
                    ].joined(separator: ","))
            }
        }
        _ = try await HistoryImporter.run(
            Array((rows.joined(separator: "\n") + "\n").utf8), source: "bach-thong-2022-2025.csv", dryRun: false,
            actor: .system("demo"), command: "demo", store: store, units: units, review: settings.server.review,
            today: SurveyImporter.today())
    }
}
