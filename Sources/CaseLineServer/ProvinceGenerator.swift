public import CaseLineDomain
import Foundation

/// A generated province history: for every legacy commune of the province's legacy predecessors, a register
/// size, the households on the poor and near-poor lists of each list year and their paths from year to year —
/// deterministic (a seeded generator), shaped like the programme's reports (the highland communes of the
/// former Bắc Kạn poorer than Thái Nguyên's lowland ones, wards poorer than none, rates falling by about a
/// point a year, some households escaping only to near-poor, a few falling back). It writes the lists in the
/// import format of `caseline-server import lists` (`Tools/samples/history-lists.md`) and the totals as
/// `HouseholdTotal`s, so the demo and the benchmark load it through the same path as a province would.
/// Names are invented.
public struct ProvinceGenerator: Sendable {
    public struct Options: Sendable {
        /// The 2025 province whose legacy predecessors are generated.
        public var province: String
        /// About how many resident households in all (the sum of the register sizes).
        public var households: Int
        public var years: ClosedRange<Int>
        /// Every resident household has a row each year (`none` when on no list) — the benchmark's heavy case;
        /// otherwise only households on a list in some year.
        public var everyone: Bool
        /// Legacy districts left out (the demo keeps its own hand-made history for one).
        public var skipDistricts: Set<String>
        public var seed: UInt64

        public init(
            province: String = "19", households: Int, years: ClosedRange<Int>, everyone: Bool = false,
            skipDistricts: Set<String> = [], seed: UInt64 = 2025
        ) {
            self.province = province
            self.households = households
            self.years = years
            self.everyone = everyone
            self.skipDistricts = skipDistricts
            self.seed = seed
        }
    }

    public struct Output: Sendable {
        /// The lists, in the `import lists` format.
        public var csv: String
        public var rows: Int
        public var listedHouseholds: Int
        public var totals: [HouseholdTotal]
    }

    /// SplitMix64: small, fast and the same on every machine.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        /// A uniform draw in 0..<n.
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
        /// True with probability `permille` / 1000.
        mutating func chance(_ permille: Int) -> Bool { below(1000) < permille }
    }

    static let surnames = [
        "Hoàng", "Nông", "Lý", "Triệu", "Lục", "Ma", "Đàm", "Hà", "Nguyễn", "Trần", "Dương", "Lương",
    ]
    static let men = ["Văn Páo", "Văn Tằng", "Văn Khánh", "Văn Sình", "Đức Thắng", "Văn Hùng", "Quang Minh"]
    static let women = ["Thị Mai", "Thị Hoa", "Thị Lan", "Thị Nhung", "Thị Hằng", "Thị Thu", "Thị Dung"]

    public static func generate(_ options: Options, units: UnitDirectory) -> Output {
        var random = Random(state: options.seed)
        let legacyProvinces = Set(
            units.list(UnitDirectory.Filter(edition: .current, province: UnitRef(.current, options.province)))
                .filter { $0.level == .commune }
                .flatMap { units.lineage($0.ref).filter(\.primary) }
                .compactMap { units.unit(UnitRef(.legacy, $0.legacyCode))?.province })
        var communes: [AdminUnit] = []
        for legacy in legacyProvinces.sorted() {
            communes += units.list(UnitDirectory.Filter(edition: .legacy, province: UnitRef(.legacy, legacy)))
                .filter { $0.level == .commune && !options.skipDistricts.contains($0.parent ?? "") }
        }
        // Register sizes: uneven, summing to about `households`.
        let weights = communes.map { _ in 50 + random.below(100) }
        let weightSum = max(weights.reduce(0, +), 1)
        var rows = [
            "unit,successor,household,village,head,gender,birth,ethnicity,persons,list_year,class,decision,decision_date"
        ]
        var totals: [HouseholdTotal] = []
        var listed = 0
        var number = 0
        for (index, commune) in communes.enumerated() {
            let size = max(40, options.households * weights[index] / weightSum)
            let successor = units.lineage(commune.ref).first(where: \.primary)?.currentCode ?? ""
            // Highland Bắc Kạn (legacy 06) is poorer than Thái Nguyên (19); wards and towns least poor.
            let highland = commune.province == "06"
            let town = commune.type.lowercased().contains("phường") || commune.type.lowercased().contains("thị trấn")
            let poorPermille = (highland ? 120 + random.below(140) : 10 + random.below(40)) / (town ? 3 : 1)
            let nearPermille = (highland ? 80 + random.below(80) : 20 + random.below(40)) / (town ? 2 : 1)
            for year in options.years {
                totals.append(
                    HouseholdTotal(
                        unit: commune.ref.description, year: year,
                        households: size + (year - options.years.lowerBound) * size / 100,
                        persons: (size + (year - options.years.lowerBound) * size / 100) * 38 / 10,
                        source: "Số liệu sinh (demo)", by: "system:generator", at: ""))
            }
            for local in 0..<size {
                // Year one: poor, near-poor or neither, by the commune's rates; then a path.
                var klass: ReviewClass =
                    random.chance(poorPermille) ? .poor : random.chance(nearPermille * 1000 / 900) ? .nearPoor : .none
                var path: [ReviewClass] = []
                for _ in options.years {
                    path.append(klass)
                    switch klass {
                    case .poor:
                        klass = random.chance(190) ? .nearPoor : random.chance(140) ? .none : .poor
                    case .nearPoor:
                        klass = random.chance(230) ? .none : random.chance(35) ? .poor : .nearPoor
                    default:
                        klass =
                            random.chance(poorPermille / 12)
                            ? .poor : random.chance(nearPermille / 8) ? .nearPoor : .none
                    }
                }
                let onAList = path.contains { $0 == .poor || $0 == .nearPoor }
                if !onAList && !options.everyone { continue }
                if onAList { listed += 1 }
                number += 1
                let woman = random.chance(320)
                let name =
                    "\(surnames[random.below(surnames.count)]) \(woman ? women[random.below(women.count)] : men[random.below(men.count)])"
                let ethnicity =
                    highland
                    ? ["Tày", "Dao", "Nùng", "H'Mông", "Kinh"][random.below(5)] : (random.chance(250) ? "Tày" : "Kinh")
                let persons = 2 + random.below(5)
                let birth = "19\(45 + random.below(50))-0\(1 + random.below(9))-1\(random.below(9))"
                for (offset, year) in options.years.enumerated() {
                    rows.append(
                        [
                            commune.ref.description, successor, "G\(local)", "Thôn \(local % 12 + 1)", name,
                            woman ? "nữ" : "nam", birth, ethnicity, "\(persons)", "\(year)", path[offset].rawValue,
                            "\(20 + index % 70)/QĐ-UBND", "\(year - 1)-12-\(15 + index % 10)",
                        ].joined(separator: ","))
                }
            }
        }
        return Output(
            csv: rows.joined(separator: "\n") + "\n", rows: rows.count - 1, listedHouseholds: listed, totals: totals)
    }
}
