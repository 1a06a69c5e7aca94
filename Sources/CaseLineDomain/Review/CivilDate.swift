/// A calendar date with no time and no zone (`YYYY-MM-DD`), the unit in which the review procedure counts:
/// QĐ 24/2021/QĐ-TTg sets its windows and limits in days (1 September – 14 December, "within 15 days", "3
/// working days"), and a decision, a meeting's minutes or a certificate carries a date, never an instant.
/// Which day "today" is belongs to the server (its zone, Asia/Ho_Chi_Minh by default); the rules only compare
/// and count dates.
public struct CivilDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A valid Gregorian date between the years 1 and 9999, or nil.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Int(Timestamp.daysIn(Int64(month), Int64(year)))).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Exactly `YYYY-MM-DD` (ASCII digits), a valid date; anything else is nil.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = Int(bytes[index]) - 0x30
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The date `dayNumber` days after 1970-01-01 (negative before it), for day numbers of the years 1–9999.
    public init(dayNumber: Int64) {
        let (year, month, day) = Timestamp.civil(fromDays: dayNumber)
        self.year = Int(year)
        self.month = Int(month)
        self.day = Int(day)
    }

    /// Days since 1970-01-01, so that dates subtract and add as integers.
    public var dayNumber: Int64 { Timestamp.days(fromCivil: Int64(year), Int64(month), Int64(day)) }

    /// `YYYYMMDD` as a number (2026-12-01 → 20261201): ordered as the dates are.
    public var dayCode: Int { year * 10_000 + month * 100 + day }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + Int64(days)) }

    /// Days from `self` to `other` (positive when `other` is later).
    public func days(until other: CivilDate) -> Int { Int(other.dayNumber - dayNumber) }

    /// 1970-01-01 was a Thursday.
    public var weekday: Weekday {
        let index = Int(((dayNumber + 3) % 7 + 7) % 7)  // 0 = Monday
        return Weekday.allCases[index]
    }

    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CivilDate(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a YYYY-MM-DD date: \(text)")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// In ISO 8601 order, Monday first; spelled out in configuration files (`"weekend": ["saturday", "sunday"]`).
public enum Weekday: String, Sendable, Hashable, Codable, CaseIterable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday
}
