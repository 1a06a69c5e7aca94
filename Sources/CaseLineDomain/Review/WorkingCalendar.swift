/// Which days are working days, for periods the law counts in working days (the public posting of a review's
/// results: "03 ngày làm việc" †). Weekends and public holidays are not working days; the Government also
/// moves days (a Saturday worked to bridge a holiday, "ngày làm bù"), so both lists are configuration, read
/// from a file and changed without a release.
///
/// The Labour Code 2019 (art. 112) fixes four solar-calendar holidays (1/1, 30/4, 1/5, 2/9); the others (Tết,
/// the Hùng Kings' day on 10/3 lunar, the day next to 2/9) fall on dates announced every year, so they are
/// never computed here: `fixedSolarHolidays(year:)` gives only the four, and a deployment adds the rest.
public struct WorkingCalendar: Sendable, Hashable, Codable {
    public var weekend: Set<Weekday>
    public var holidays: Set<CivilDate>
    /// Weekend days that are worked (make-up days).
    public var workedWeekendDays: Set<CivilDate>

    public init(
        weekend: Set<Weekday> = [.saturday, .sunday], holidays: Set<CivilDate> = [],
        workedWeekendDays: Set<CivilDate> = []
    ) {
        self.weekend = weekend
        self.holidays = holidays
        self.workedWeekendDays = workedWeekendDays
    }

    public func isWorkingDay(_ date: CivilDate) -> Bool {
        if holidays.contains(date) { return false }
        if workedWeekendDays.contains(date) { return true }
        return !weekend.contains(date.weekday)
    }

    /// The last day of a period of `count` working days that begins after `start` (the day of the act is not
    /// counted, Civil Code 2015 art. 147): posting on Monday for 3 working days runs through Thursday. Nil when
    /// `count` is not positive or the calendar has no working day at all.
    public func lastDay(ofWorkingDays count: Int, after start: CivilDate) -> CivilDate? {
        guard count > 0, Weekday.allCases.contains(where: { !weekend.contains($0) }) || !workedWeekendDays.isEmpty
        else { return nil }
        var date = start
        var counted = 0
        // A year of holidays cannot hide every working day: stop well after any real period.
        for _ in 0..<(count * 7 + 400) {
            date = date.adding(days: 1)
            if isWorkingDay(date) {
                counted += 1
                if counted == count { return date }
            }
        }
        return nil
    }

    /// Working days in `start + 1 ... end` (0 when `end` is not after `start`).
    public func workingDays(after start: CivilDate, through end: CivilDate) -> Int {
        guard end > start else { return 0 }
        var count = 0
        var date = start.adding(days: 1)
        while date <= end {
            if isWorkingDay(date) { count += 1 }
            date = date.adding(days: 1)
        }
        return count
    }

    /// New Year's Day, Reunification Day, Labour Day and National Day of `year`.
    public static func fixedSolarHolidays(year: Int) -> Set<CivilDate> {
        Set([(1, 1), (4, 30), (5, 1), (9, 2)].compactMap { CivilDate(year: year, month: $0.0, day: $0.1) })
    }
}
