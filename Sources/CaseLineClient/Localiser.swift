public import Foundation

/// How values are shown to a person: exact, as on the wire (English), or the Vietnamese way — amounts as
/// `20.000.000 ₫`, dates as dd/mm/yyyy, times in the server's zone (Asia/Ho_Chi_Minh unless the client's TZ
/// says otherwise), state names and field labels in Vietnamese. Protocol codes, ids and the server's own texts
/// are never translated, and raw, JSON and CSV output never pass through here.
public struct Localiser: Sendable {
    public let vietnamese: Bool
    public let zone: TimeZone

    public static let exact = Localiser(vietnamese: false, zone: TimeZone(identifier: "UTC")!)

    public init(vietnamese: Bool, zone: TimeZone) {
        self.vietnamese = vietnamese
        self.zone = zone
    }

    /// The zone times are shown in: `TZ` when set (a zone name, with or without a leading `:`), else the
    /// server's default zone.
    public static func zone(environment: [String: String]) -> TimeZone {
        if let name = environment["TZ"].map({ $0.hasPrefix(":") ? String($0.dropFirst()) : $0 }), !name.isEmpty,
            let zone = TimeZone(identifier: name)
        {
            return zone
        }
        return TimeZone(identifier: "Asia/Ho_Chi_Minh")!
    }

    static let amountKeys: Set<String> = ["amount", "income", "income-line"]

    static let labels: [String: String] = [
        "id": "mã", "code": "mã", "title": "tiêu đề", "state": "trạng thái", "commune": "xã",
        "commune-name": "tên xã", "province": "tỉnh", "name": "tên", "kind": "loại", "amount": "số tiền",
        "step": "bước", "round": "vòng", "submitter": "người trình", "waiting-since": "chờ từ", "via": "qua",
        "due": "hạn", "assignee": "người làm", "priority": "ưu tiên", "overdue": "quá hạn", "comments": "bình luận",
        "creator": "người tạo", "created-at": "tạo lúc", "updated-at": "sửa lúc", "rev": "phiên bản",
        "description": "mô tả", "reason": "lý do", "note": "ghi chú", "component": "hợp phần", "case": "hồ sơ",
        "task": "việc", "count": "số lượng", "user": "người dùng", "user-name": "họ tên", "role": "vai trò",
        "from": "từ", "until": "đến", "to": "sang", "by": "bởi", "at": "lúc", "decision": "quyết định",
        "funding": "nguồn vốn", "households": "hộ", "documents": "văn bản", "submitted-at": "trình lúc",
        "decided-at": "quyết lúc", "chain": "chuỗi duyệt", "level": "cấp", "village": "thôn", "area": "khu vực",
        "head": "chủ hộ", "gender": "giới tính", "birth": "ngày sinh", "size": "số người", "class": "phân loại",
        "class-year": "năm phân loại", "income": "thu nhập", "year": "năm", "text": "nội dung", "author": "tác giả",
        "time": "thời gian", "login": "tên đăng nhập", "status": "tình trạng", "committee": "ban chỉ đạo",
        "position": "chức vụ", "since": "từ ngày", "type": "kiểu", "short-name": "tên ngắn", "edition": "phiên bản",
        "ref": "tham chiếu", "n": "số", "on-behalf-of": "thay cho", "delegator": "người ủy quyền",
        "delegate": "người được ủy quyền",
    ]

    static let states: [String: String] = [
        // tasks
        "new": "mới", "assigned": "đã giao", "inprogress": "đang làm", "blocked": "bị vướng", "done": "xong",
        "cancelled": "đã hủy",
        // cases and steps
        "draft": "nháp", "submitted": "đã trình", "approved": "đã duyệt", "rejected": "bị từ chối",
        "returned": "bị trả lại", "waiting": "đang chờ", "queued": "chưa tới", "skipped": "bỏ qua",
        // assignments, delegations, tokens, users
        "scheduled": "sắp hiệu lực", "active": "đang hiệu lực", "ended": "đã kết thúc", "expired": "hết hạn",
        "revoked": "đã thu hồi", "disabled": "bị khóa", "locked": "bị tạm khóa",
    ]

    static let otherValues: [String: [String: String]] = [
        "priority": ["low": "thấp", "normal": "bình thường", "high": "cao", "urgent": "khẩn"],
        "class": ["poor": "nghèo", "near-poor": "cận nghèo", "escaped": "thoát nghèo", "average": "trung bình"],
        "area": ["rural": "nông thôn", "urban": "thành thị"],
        "gender": ["male": "nam", "female": "nữ"],
        "role": ["lead": "phụ trách chính", "support": "hỗ trợ"],
        "via": ["direct": "trực tiếp"],
    ]

    /// A column header (upper case) or a field label (as written) in the chosen language.
    public func label(_ key: String) -> String {
        vietnamese ? (Self.labels[key] ?? key) : key
    }

    /// One value as a person reads it.
    public func value(_ value: String, key: String, record: String) -> String {
        guard vietnamese else { return value }
        if Self.amountKeys.contains(key), let amount = Self.amount(value) { return amount }
        if key == "funding" {
            return value.split(separator: ",").map { part in
                let pair = part.split(separator: ":", maxSplits: 1)
                guard pair.count == 2, let amount = Self.amount(String(pair[1])) else { return String(part) }
                return "\(pair[0]) \(amount)"
            }.joined(separator: ", ")
        }
        if let time = timestamp(value) { return time }
        if let date = Self.date(value) { return date }
        if ["state", "status", "from", "to"].contains(key), let state = Self.states[value] { return state }
        if RecordSchema.type(of: key, in: record) == .boolean {
            return value == "yes" ? "có" : value == "no" ? "không" : value
        }
        if let words = Self.otherValues[key], let word = words[value] { return word }
        return value
    }

    /// `20000000` → `20.000.000 ₫`.
    public static func amount(_ text: String) -> String? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var groups: [Substring] = []
        var rest = Substring(text)
        while rest.count > 3 {
            groups.insert(rest.suffix(3), at: 0)
            rest = rest.dropLast(3)
        }
        groups.insert(rest, at: 0)
        return groups.joined(separator: ".") + " ₫"
    }

    /// `2026-11-24` → `24/11/2026`.
    public static func date(_ text: String) -> String? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { return nil }
        return "\(parts[2])/\(parts[1])/\(parts[0])"
    }

    /// `2026-11-24T13:40:22Z` → `24/11/2026 20:40` in the zone.
    public func timestamp(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[10] == UInt8(ascii: "T"), bytes[19] == UInt8(ascii: "Z"),
            let day = Self.date(String(text.prefix(10)))
        else { return nil }
        _ = day
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: bytes[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(5..<7), let dayOfMonth = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        guard
            let instant = utc.date(
                from: DateComponents(
                    year: year, month: month, day: dayOfMonth, hour: hour, minute: minute, second: second))
        else { return nil }
        var local = Calendar(identifier: .gregorian)
        local.timeZone = zone
        let parts = local.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        func two(_ value: Int?) -> String { String(value ?? 0).leftPadded(to: 2) }
        return "\(two(parts.day))/\(two(parts.month))/\(parts.year ?? 0) \(two(parts.hour)):\(two(parts.minute))"
    }
}
