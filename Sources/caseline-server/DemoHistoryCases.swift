import CaseLineDomain
import CaseLineServer
import CaseLineStore
import Foundation

extension DemoData {
    /// Support already decided in the former Thái Nguyên city (legacy:164) in the years of the generated lists,
    /// brought in as a province would bring its files (`import cases`): a new house for one poor household in
    /// twenty-five and a repair for another (counted across the city), each commune's yearly purchase of
    /// health-insurance cards for its poor households (one in thirty missed, so the city's coverage target of
    /// 100 % is not quite met) and a vocational class. `REPORT OUTPUTS district=legacy:164` and the coverage target then have real-looking figures.
    static func seedHistoricCases(
        _ store: any Store, lists csv: String, units: UnitDirectory, years: ClosedRange<Int>
    ) async throws {
        // The generated lists: unit,successor,household,village,head,gender,birth,ethnicity,persons,list_year,
        // class,decision,decision_date (no field holds a comma).
        var poor: [String: [(household: String, persons: Int)]] = [:]
        var successorOf: [String: String] = [:]
        for line in csv.split(separator: "\n").dropFirst() {
            let field = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard field.count >= 11, field[10] == "poor", let year = Int(field[9]), years.contains(year),
                let unit = UnitRef(wire: field[0]), units.unit(unit)?.parent == "164"
            else { continue }
            successorOf[field[0]] = field[1]
            poor["\(field[0]) \(year)", default: []].append((field[2], Int(field[8]) ?? 1))
        }
        var rows = [
            "unit,successor,key,kind,title,year,state,decision,decision_date,fund_central,fund_provincial,poor,near_poor,households,started,finished,handed_over"
        ]
        var number = 0
        var counted = 0
        var missed = 0
        for key in poor.keys.sorted() {
            let parts = key.split(separator: " ")
            let (unit, year) = (String(parts[0]), Int(parts[1])!)
            let successor = successorOf[unit] ?? ""
            let households = poor[key]!
            func add(
                _ reference: String, _ kind: String, _ title: String, _ central: Int, _ provincial: Int,
                _ persons: Int, _ chosen: [String], built: Bool
            ) {
                number += 1
                let progress = built ? "\(year)-05-04,\(year)-08-20,\(year)-09-02" : ",,"
                rows.append(
                    "\(unit),\(successor),\(reference),\(kind),\"\(title)\",\(year),approved,\(number)/QĐ-UBND,\(year)-03-18,"
                        + "\(central),\(provincial == 0 ? "" : String(provincial)),\(persons),,"
                        + "\(chosen.map { "\(unit)/\($0)" }.joined(separator: "|")),\(progress)")
            }
            for entry in households {
                counted += 1
                if counted % 25 == 0 {
                    add(
                        "NM-\(year)-\(entry.household)", "housing-new", "Xây mới nhà ở hộ nghèo \(entry.household)",
                        40_000_000, 10_000_000, entry.persons, [entry.household], built: true)
                } else if counted % 25 == 12 {
                    add(
                        "SC-\(year)-\(entry.household)", "housing-repair", "Sửa chữa nhà ở hộ nghèo \(entry.household)",
                        25_000_000, 0, entry.persons, [entry.household], built: counted % 50 == 12)
                }
            }
            // Cards for every poor household but one in thirty across the city (moved in after the purchase).
            let covered = households.filter { _ in
                missed += 1
                return missed % 30 != 0
            }.prefix(500)
            let persons = covered.map(\.persons).reduce(0, +)
            add(
                "BHYT-\(year)", "health-insurance", "Mua thẻ BHYT năm \(year) cho người thuộc hộ nghèo",
                persons * 804_600,
                0, persons, covered.map(\.household), built: false)
            add(
                "DN-\(year)", "vocational", "Lớp đào tạo nghề năm \(year) (may công nghiệp)", 36_000_000, 6_000_000, 9,
                [], built: false)
        }
        _ = try await CaseImporter.run(
            Array((rows.joined(separator: "\n") + "\n").utf8), source: "thai-nguyen-city-cases.csv", dryRun: false,
            creator: "admin", actor: .system("demo"), command: "demo", store: store, units: units,
            today: SurveyImporter.today())
    }
}
