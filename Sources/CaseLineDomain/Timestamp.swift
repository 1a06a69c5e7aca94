public import Foundation

/// UTC ISO 8601 with a `Z`, whole seconds (`2026-11-24T03:15:00Z`): the one time format on the wire and in
/// the database, so that stored times sort as text.
///
/// Every record read from the store carries two to five of these, so they are converted here by arithmetic
/// on the proleptic Gregorian calendar: Foundation's ISO 8601 style cost about 2 µs per conversion, a tenth
/// of a case read (perf, 2026-11-26). Text in any other ISO 8601 shape still goes through Foundation.
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let (day, second) = secondOfDay < 0 ? (days - 1, secondOfDay + 86_400) : (days, secondOfDay)
        let (year, month, dayOfMonth) = civil(fromDays: day)
        guard (0...9999).contains(year) else { return date.formatted(.iso8601) }
        var bytes = [UInt8](repeating: 0, count: 20)
        func put(_ value: Int64, _ at: Int, _ width: Int) {
            var value = value
            for index in stride(from: at + width - 1, through: at, by: -1) {
                bytes[index] = UInt8(truncatingIfNeeded: 48 + value % 10)
                value /= 10
            }
        }
        put(year, 0, 4)
        put(month, 5, 2)
        put(dayOfMonth, 8, 2)
        put(second / 3600, 11, 2)
        put(second / 60 % 60, 14, 2)
        put(second % 60, 17, 2)
        (bytes[4], bytes[7], bytes[10], bytes[13], bytes[16], bytes[19]) = (45, 45, 84, 58, 58, 90)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func parse(_ text: String) -> Date? {
        if let seconds = fastParse(text) { return Date(timeIntervalSince1970: TimeInterval(seconds)) }
        return try? Date(text, strategy: .iso8601)
    }

    /// Seconds since 1970 for exactly `YYYY-MM-DDTHH:MM:SSZ`, nil for anything else.
    static func fastParse(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { bytes -> Int64? in
            guard bytes.count == 20, bytes[4] == 45, bytes[7] == 45, bytes[10] == 84, bytes[13] == 58,
                bytes[16] == 58, bytes[19] == 90
            else { return nil }
            func number(_ at: Int, _ width: Int) -> Int64? {
                var value: Int64 = 0
                for index in at..<at + width {
                    let digit = bytes[index] &- 48
                    guard digit < 10 else { return nil }
                    value = value * 10 + Int64(digit)
                }
                return value
            }
            guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
                let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
                (1...12).contains(month), (1...daysIn(month, year)).contains(day), hour < 24, minute < 60,
                second < 60
            else { return nil }
            return days(fromCivil: year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
        }
    }

    static func daysIn(_ month: Int64, _ year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a Gregorian date (Howard Hinnant's `days_from_civil`).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The Gregorian date of a day counted from 1970-01-01 (Hinnant's `civil_from_days`).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
