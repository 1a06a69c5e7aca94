public import CaseLineProtocol

/// How the figures of report records (`REPORT` answers, CLP1.md §10.12 and §11) are shown to a person: under a
/// Vietnamese locale amounts as `1.837.272.000 ₫`, rates and shares as `0,47 %`, margins of rates as
/// `0,07 điểm`, counts with thousands separators (`87.800`), and Vietnamese labels; in English exactly as on the
/// wire. Codes (units, communes, projects), years and ids are never reformatted.
extension Localiser {
    /// The records a `REPORT` answer holds (besides `FLOWS`, shared with `REVIEW FLOWS`).
    public static let reportRecords: Set<String> = [
        "REPORT", "POVERTY-YEAR", "POVERTY-COMMUNE", "POVERTY-GROUP", "TARGET-RESULT", "MONEY", "OUTPUT",
        "WORK-TASKS", "WORK-CASES", "WORK-UNLED",
    ]

    /// What a report figure is.
    public enum Figure: Sendable, Equatable {
        case amount, percent, points, count, text
    }

    /// Keys holding VND amounts in report records.
    static let reportAmountKeys: Set<String> = [
        "allocated", "carried-in", "disbursed", "carried-out", "remaining", "amount",
    ]

    /// Keys that are codes, years, dates or words even when they look like numbers.
    static let reportTextKeys: Set<String> = [
        "report", "unit", "unit-name", "from", "to", "as-of", "rounding", "year", "commune", "commune-name", "group",
        "target", "indicator", "kind", "comparison", "document", "project", "source", "nature", "component", "step",
        "oldest", "met", "within",
    ]

    /// What the value of `key` in `row` is: amounts, rates and shares, margins in points (of a rate target),
    /// counts; anything else is text.
    public static func figure(_ key: String, in row: Record) -> Figure {
        if reportTextKeys.contains(key) { return .text }
        if row.type == "TARGET-RESULT", ["value", "min", "max", "actual", "margin"].contains(key) {
            let rate = row["indicator"]?.hasSuffix("-rate") == true
            guard rate else { return .count }
            return key == "margin" || row["kind"] == "reduction" ? .points : .percent
        }
        if reportAmountKeys.contains(key) { return .amount }
        if key == "rate" || key.hasSuffix("-rate") || key.hasSuffix("-share") { return .percent }
        return .count
    }

    /// `1837272000` → `1.837.272.000`, `-0.07` → `-0,07`: thousands grouped with dots, decimals after a comma;
    /// nil when the text is not a plain decimal number.
    public static func vietnameseNumber(_ text: String) -> String? {
        let negative = text.hasPrefix("-")
        let digits = negative ? String(text.dropFirst()) : text
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
            parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { return nil }
        var groups: [Substring] = []
        var rest = parts[0]
        while rest.count > 3 {
            groups.insert(rest.suffix(3), at: 0)
            rest = rest.dropLast(3)
        }
        groups.insert(rest, at: 0)
        return (negative ? "-" : "") + groups.joined(separator: ".") + (parts.count == 2 ? "," + parts[1] : "")
    }

    /// One value of a record as a person reads it: report figures formatted as their kind says, every other
    /// record as `value(_:key:record:)` shows it.
    public func cell(_ row: Record, _ key: String) -> String {
        let raw = row[key] ?? ""
        guard Self.reportRecords.contains(row.type) else { return value(raw, key: key, record: row.type) }
        guard vietnamese, !raw.isEmpty else { return raw }
        switch Self.figure(key, in: row) {
        case .amount: return Self.vietnameseNumber(raw).map { $0 + " ₫" } ?? raw
        case .percent: return Self.vietnameseNumber(raw).map { $0 + " %" } ?? raw
        case .points: return Self.vietnameseNumber(raw).map { $0 + " điểm" } ?? raw
        case .count: return Self.vietnameseNumber(raw) ?? raw
        case .text:
            if ["met", "within"].contains(key) { return raw == "yes" ? "có" : raw == "no" ? "không" : raw }
            if let word = Self.reportValues[key]?[raw] { return word }
            return value(raw, key: key, record: row.type)
        }
    }

    /// A figure for a chart's caption: as `cell` shows it in Vietnamese; in English grouped with commas and
    /// with its unit, since a chart is read at a glance (`1,837,272,000 VND`, `0.47%`, `0.07 points`).
    public func caption(_ raw: String, _ figure: Figure) -> String {
        if vietnamese {
            guard let number = Self.vietnameseNumber(raw) else { return raw }
            switch figure {
            case .amount: return number + " ₫"
            case .percent: return number + " %"
            case .points: return number + " điểm"
            case .count, .text: return number
            }
        }
        guard let number = Self.vietnameseNumber(raw) else { return raw }
        let english = String(number.map { $0 == "." ? "," : $0 == "," ? "." : $0 })
        switch figure {
        case .amount: return english + " VND"
        case .percent: return english + "%"
        case .points: return english + (english == "1" ? " point" : " points")
        case .count, .text: return english
        }
    }

    /// A column label of a record type: report records have their own Vietnamese labels.
    public func label(_ key: String, record: String) -> String {
        guard vietnamese else { return key }
        if Self.reportRecords.contains(record) || record == "FLOWS", let label = Self.reportLabels[key] {
            return label
        }
        return label(key)
    }

    /// The title of a report's section for a record type.
    public func sectionTitle(_ record: String) -> String {
        let titles: [String: (String, String)] = [
            "POVERTY-YEAR": ("Poor and near-poor households by year", "Hộ nghèo, hộ cận nghèo theo năm"),
            "POVERTY-COMMUNE": ("By commune", "Theo xã"),
            "FLOWS": ("Movements between the years' lists", "Biến động giữa các năm"),
            "POVERTY-GROUP": ("By group", "Theo nhóm hộ"),
            "TARGET-RESULT": ("Against the targets", "So với chỉ tiêu"),
            "MONEY": ("Funds: allocated and disbursed", "Nguồn vốn: phân bổ và giải ngân"),
            "OUTPUT": ("Outputs", "Kết quả thực hiện"),
            "WORK-TASKS": ("Tasks", "Công việc"),
            "WORK-CASES": ("Cases waiting for a decision", "Hồ sơ chờ quyết định"),
            "WORK-UNLED": ("Communes without a lead", "Xã chưa có người phụ trách chính"),
        ]
        guard let title = titles[record] else { return record }
        return vietnamese ? title.1 : title.0
    }

    /// The name of a report (`REPORT`'s `report=`).
    public func reportTitle(_ report: String) -> String {
        let titles: [String: (String, String)] = [
            "poverty": ("Poverty report", "Báo cáo hộ nghèo, hộ cận nghèo"),
            "money": ("Funding report", "Báo cáo nguồn vốn"),
            "outputs": ("Outputs report", "Báo cáo kết quả thực hiện"),
            "work": ("Work report", "Báo cáo tiến độ công việc"),
        ]
        guard let title = titles[report] else { return vietnamese ? "Báo cáo \(report)" : "Report \(report)" }
        return vietnamese ? title.1 : title.0
    }

    static let reportLabels: [String: String] = [
        "report": "báo cáo", "unit": "đơn vị", "unit-name": "tên đơn vị", "from": "từ", "to": "đến",
        "as-of": "số liệu đến", "communes": "số xã", "rounding": "làm tròn", "year": "năm",
        "households": "tổng số hộ", "persons": "nhân khẩu", "communes-without-total": "xã thiếu tổng số",
        "poor": "hộ nghèo", "poor-persons": "khẩu nghèo", "near-poor": "hộ cận nghèo",
        "near-poor-persons": "khẩu cận nghèo", "poor-rate": "tỷ lệ nghèo", "near-poor-rate": "tỷ lệ cận nghèo",
        "multidimensional-rate": "tỷ lệ đa chiều", "commune": "xã", "commune-name": "tên xã", "group": "nhóm",
        "poor-share": "tỷ trọng nghèo", "near-poor-share": "tỷ trọng cận nghèo", "target": "chỉ tiêu",
        "indicator": "chỉ số", "kind": "loại", "comparison": "so sánh", "value": "mức", "min": "tối thiểu",
        "max": "tối đa", "actual": "thực hiện", "met": "đạt", "within": "trong khoảng", "margin": "chênh lệch",
        "document": "văn bản", "project": "dự án", "source": "nguồn", "nature": "tính chất", "allocated": "phân bổ",
        "carried-in": "năm trước chuyển sang", "disbursed": "giải ngân", "carried-out": "chuyển năm sau",
        "remaining": "còn lại", "rate": "tỷ lệ giải ngân", "overrides": "vượt mức", "cases": "hồ sơ",
        "amount": "số tiền", "escaped": "thoát nghèo", "minority": "DTTS", "started": "khởi công",
        "finished": "hoàn thành", "handed-over": "bàn giao", "component": "hợp phần", "open": "đang mở",
        "overdue": "quá hạn", "done": "xong", "step": "bước", "pending": "đang chờ",
        "waiting-over-7": "chờ quá 7 ngày", "waiting-over-30": "chờ quá 30 ngày", "oldest": "chờ lâu nhất từ",
        "balanced": "cân đối", "other": "khác", "poor-insured": "hộ nghèo có BHYT",
        "poor-insured-share": "tỷ lệ hộ nghèo có BHYT",
        "near-poor-insured": "hộ cận nghèo có BHYT", "near-poor-insured-share": "tỷ lệ hộ cận nghèo có BHYT",
    ]

    static let reportValues: [String: [String: String]] = [
        "group": [
            "ethnic-minority": "dân tộc thiểu số", "female-head": "chủ hộ là nữ", "rural": "nông thôn",
            "urban": "thành thị",
        ],
        "indicator": [
            "poverty-rate": "tỷ lệ hộ nghèo", "near-poor-rate": "tỷ lệ hộ cận nghèo",
            "multidimensional-rate": "tỷ lệ nghèo đa chiều", "poor": "hộ nghèo", "near-poor": "hộ cận nghèo",
            "escaped-poor": "hộ thoát nghèo", "escaped-near-poor": "hộ thoát cận nghèo",
            "poor-insured": "hộ nghèo có BHYT", "near-poor-insured": "hộ cận nghèo có BHYT",
        ],
        "kind": [
            "level": "mức", "reduction": "giảm", "count": "số lượng", "coverage": "bao phủ",
            "housing-new": "xây mới nhà ở", "housing-repair": "sửa chữa nhà ở", "livelihood": "sinh kế",
            "health-insurance": "bảo hiểm y tế", "vocational": "đào tạo nghề", "review-result": "kết quả rà soát",
            "exit-poverty": "thoát nghèo", "inspection": "kiểm tra", "all": "tất cả",
        ],
        "comparison": ["at-most": "không quá", "at-least": "ít nhất"],
        "source": [
            "central": "trung ương", "provincial": "tỉnh", "district": "huyện", "commune": "xã",
            "integrated": "lồng ghép", "socialised": "xã hội hóa", "credit": "tín dụng", "household": "hộ dân",
            "all": "tất cả",
        ],
        "nature": ["investment": "đầu tư", "recurrent": "sự nghiệp"],
        "project": ["all": "tất cả"],
        "commune": ["all": "tất cả"],
        "component": ["none": "không"],
    ]
}
